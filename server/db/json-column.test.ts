import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { deepFreeze, jsonColumn } from './json-column';

describe('jsonColumn', () => {
  const column = jsonColumn('t.c', z.object({ n: z.number(), tags: z.array(z.string()) }));

  it('reads back what it wrote', () => {
    expect(column.read(column.write({ n: 2, tags: ['a'] }))).toEqual({ n: 2, tags: ['a'] });
  });

  it('names the column when the stored text is not JSON or does not match', () => {
    expect(() => column.read('{')).toThrowError('t.c: stored text is not JSON');
    expect(() => column.read('{"n":"2","tags":[]}')).toThrowError(/^t\.c: stored value does not match its schema: .*n/s);
  });
});

describe('deepFreeze', () => {
  it('freezes nested objects and arrays', () => {
    const value = deepFreeze({ a: { b: [1, { c: 2 }] } });
    expect(Object.isFrozen(value.a.b)).toBe(true);
    expect(Object.isFrozen(value.a.b[1])).toBe(true);
    expect(() => {
      (value.a as { b: unknown }).b = [];
    }).toThrowError(TypeError);
  });
});
