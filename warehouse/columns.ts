// Column types of a typed read (`wh.rows(sql, params, { id: col.int(), … })`). Each helper is a zod schema that
// takes what DuckDB's JSON rows hold and coerces it: BIGINT, HUGEINT and DECIMAL come back as strings, DATE and
// TIMESTAMP as strings, lists as arrays, structs as objects. A value of the wrong kind fails with a message the
// Warehouse turns into a JianguanError('query-result-mismatch') naming the column.
import { z } from 'zod';

const describe = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : String(v));

/** A zod schema from unknown to T that fails with `expected …, got …`. */
function coerce<T>(expected: string, fn: (v: unknown) => T | undefined) {
  return z.unknown().transform((v, ctx): T => {
    const out = v === null || v === undefined ? undefined : fn(v);
    if (out === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected ${expected}, got ${describe(v)}` });
      return z.NEVER;
    }
    return out;
  });
}

const INT_RE = /^-?\d+$/;
const NUM_RE = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export const col = {
  /** INTEGER, BIGINT (a string in JSON), HUGEINT: a safe JS integer. */
  int: () =>
    coerce<number>('an integer', (v) => {
      const n = typeof v === 'number' ? v : typeof v === 'string' && INT_RE.test(v) ? Number(v) : typeof v === 'bigint' ? Number(v) : Number.NaN;
      return Number.isSafeInteger(n) ? n : undefined;
    }),
  /** DOUBLE, DECIMAL (a string in JSON), any number: a finite JS number. */
  num: () =>
    coerce<number>('a number', (v) => {
      const n = typeof v === 'number' ? v : typeof v === 'string' && NUM_RE.test(v) ? Number(v) : typeof v === 'bigint' ? Number(v) : Number.NaN;
      return Number.isFinite(n) ? n : undefined;
    }),
  /** VARCHAR and friends: a string (never a number turned into text). */
  text: () => coerce<string>('text', (v) => (typeof v === 'string' ? v : undefined)),
  bool: () => coerce<boolean>('a boolean', (v) => (typeof v === 'boolean' ? v : undefined)),
  /** DATE: `YYYY-MM-DD` as DuckDB prints it. */
  date: () => coerce<string>('a date (YYYY-MM-DD)', (v) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined)),
  /** TIMESTAMP / TIMESTAMPTZ: the text DuckDB prints (`2024-12-31 02:30:00[.123][+08]`). */
  timestamp: () => coerce<string>('a timestamp', (v) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/.test(v) ? v : undefined)),
  /**
   * TIMESTAMP / TIMESTAMPTZ read as text, given out as ISO 8601 (`2024-12-31T02:30:00[.123][+08:00]`): what the
   * `--json` outputs print. (`timestamp` keeps DuckDB's text; the run manifests hash it as it is.)
   */
  isoTimestamp: () =>
    coerce<string>('a timestamp', (v) =>
      typeof v === 'string' && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/.test(v)
        ? v.replace(' ', 'T').replace(/([+-]\d{2})(?::?(\d{2}))?$/, (_, h: string, m?: string) => `${h}:${m ?? '00'}`)
        : undefined,
    ),
  /** LIST of `item`. */
  list: <T extends z.ZodType>(item: T) => z.array(item),
  /** A JSON value of any shape (STRUCT, MAP, JSON): checked by `schema`. */
  json: <T extends z.ZodType>(schema: T) => schema,
  /** NULL allowed (as `null`). */
  nullable: <T extends z.ZodType>(inner: T) => inner.nullable(),
};

/** The columns of a typed read: one schema per column name. */
export type Columns = Record<string, z.ZodType>;
/** The row type of `Columns`. */
export type RowOf<C extends Columns> = { [K in keyof C]: z.output<C[K]> };
