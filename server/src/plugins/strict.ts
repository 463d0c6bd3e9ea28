/**
 * Strict validation for what devices send: no type coercion ("33.8" is not a number, NaN and
 * Infinity are not numbers) and errors that name the field. The app's Ajv coerces query
 * strings, which is right for the map's GET routes but would let a phone's bug through here.
 */
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import type { TSchema } from '@sinclair/typebox';
import type { FastifySchemaCompiler } from 'fastify';

export interface FieldError {
  /** Dotted path inside the payload, e.g. `positions.3.lat`; empty for the payload itself. */
  path: string;
  message: string;
}

function describe(error: ValueError): string {
  const s = error.schema as Record<string, unknown>;
  if (error.type === ValueErrorType.ObjectRequiredProperty) return 'is required';
  const range = (min: unknown, max: unknown) =>
    min !== undefined && max !== undefined ? ` from ${String(min)} to ${String(max)}` : min !== undefined ? ` ≥ ${String(min)}` : max !== undefined ? ` ≤ ${String(max)}` : '';
  switch (s.type) {
    case 'number':
      return `must be a number${range(s.minimum, s.maximum)}`;
    case 'integer':
      return `must be an integer${range(s.minimum, s.maximum)}`;
    case 'string':
      if (s.pattern && error.type === ValueErrorType.StringPattern) return `must match ${String(s.pattern)}`;
      return `must be a string of${range(s.minLength, s.maxLength)} characters`;
    case 'boolean':
      return 'must be true or false';
    case 'array':
      return `must be a list of${range(s.minItems, s.maxItems)} items`;
    case 'object':
      return 'must be an object';
    default:
      return error.message.replace(/^Expected/, 'must be');
  }
}

/** A compiled checker: `undefined` when `value` is valid, else the first error. */
export function strict<T extends TSchema>(schema: T): { check: TypeCheck<T>; error(value: unknown): FieldError | undefined } {
  const check = TypeCompiler.Compile(schema);
  return {
    check,
    error(value) {
      if (check.Check(value)) return undefined;
      const first = check.Errors(value).First();
      if (!first) return { path: '', message: 'is invalid' };
      return { path: first.path.replace(/^\//, '').replaceAll('/', '.'), message: describe(first) };
    },
  };
}

/**
 * Fastify validator compiler using {@link strict}. The error carries `validation` like Ajv's,
 * so the app's one error handler answers 400 naming the field (`body.positions.3.lat`).
 */
export const strictCompiler: FastifySchemaCompiler<TSchema> = ({ schema }) => {
  const v = strict(schema);
  return (data: unknown) => {
    const e = v.error(data);
    if (!e) return { value: data };
    const error = Object.assign(new Error(e.message), {
      validation: [{ instancePath: e.path ? `/${e.path.replaceAll('.', '/')}` : '', message: e.message, params: {} }],
    });
    return { error };
  };
};
