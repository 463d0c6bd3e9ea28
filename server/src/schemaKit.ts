/**
 * Small TypeBox helpers shared by every domain's `schemas.ts`: the schemas are the one source of
 * the API's shapes (`type X = Static<typeof XSchema>`), validated by Ajv, serialised by
 * fast-json-stringify and published as OpenAPI.
 */
import { Type as T, type TSchema } from '@sinclair/typebox';

/** `S` or `null`. */
export const Nullable = <S extends TSchema>(schema: S) => T.Union([schema, T.Null()]);

/**
 * One of a list of strings, as `{ type: 'string', enum }`: typed as the union, serialised as a plain
 * string (an anyOf of literals would be checked value by value when a response is serialised).
 * Response shapes use it; request bodies keep their literal unions and the errors they name.
 */
export const StringEnum = <const V extends readonly string[]>(values: V, options: { description?: string } = {}) =>
  T.Unsafe<V[number]>({ type: 'string', enum: [...values], ...options });

/** One of a list of integers (levels, priorities), typed as the union. */
export const IntegerEnum = <const V extends readonly number[]>(values: V, options: { description?: string } = {}) =>
  T.Unsafe<V[number]>({ type: 'integer', enum: [...values], ...options });
