-- A script whose include does not exist (the loader must refuse it at load).
--- @include "nowhere"
return 1
