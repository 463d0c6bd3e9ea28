/** The body of every 4xx/5xx (written by the error handler in errors.ts), as a schema for the API document and the web. */
import { Type as T, type Static } from '@sinclair/typebox';

export const ErrorSchema = T.Object({
  statusCode: T.Integer(),
  error: T.String(),
  message: T.String(),
  /** The offending input where there is one, e.g. `body.lon`, `querystring.q`, `params.id`. */
  field: T.Optional(T.String()),
  /**
   * What went wrong, for the web to word in the user's language: a schema violation (`required`,
   * `too_long`, `bad_format` …), the status's meaning (`forbidden`, `not_found`, `conflict` …) or a
   * domain reason (`shift_overlap`, `checkin_too_far` …). `message` stays English for tools.
   */
  code: T.String(),
  /** Values the wording fills in, e.g. `{ limit: 32 }`. */
  params: T.Optional(T.Record(T.String(), T.Union([T.String(), T.Number()]))),
});
export type ErrorResponse = Static<typeof ErrorSchema>;
