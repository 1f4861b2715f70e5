import { z } from 'zod';

/**
 * JSON columns are read through a codec that checks the stored text against its schema, so a
 * row written by an older version or edited by hand fails loudly where it is read, naming the
 * column, instead of surfacing later as `undefined` deep in a computation. That is a fault of the
 * data, not of the person's request: a plain Error, logged and answered with 500.
 */
export interface JsonColumn<T> {
  read(text: string): T;
  write(value: T): string;
}

export function jsonColumn<S extends z.ZodType>(column: string, schema: S): JsonColumn<z.output<S>> {
  return {
    read(text) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new Error(`${column}: stored text is not JSON`);
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) throw new Error(`${column}: stored value does not match its schema: ${z.prettifyError(parsed.error)}`);
      return parsed.data;
    },
    write: (value) => JSON.stringify(value),
  };
}

/** Freezes an object and everything in it: for values shared between requests (caches), which no caller may change. */
export function deepFreeze<T>(value: T): Readonly<T> {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
