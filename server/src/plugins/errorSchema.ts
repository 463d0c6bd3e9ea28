/** The body of every 4xx/5xx (written by the error handler in errors.ts), as a schema for the API document and the web. */
import { Type as T, type Static } from '@sinclair/typebox';

export const ErrorSchema = T.Object({
  statusCode: T.Integer(),
  error: T.String(),
  message: T.String(),
  /** The offending input where there is one, e.g. `body.lon`, `querystring.q`, `params.id`. */
  field: T.Optional(T.String()),
});
export type ErrorResponse = Static<typeof ErrorSchema>;
