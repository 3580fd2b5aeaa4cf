// The shapes `Warehouse` returns that need no DuckDB types: untyped rows, a streamed result, and the check of a
// typed row against its columns (warehouse/columns.ts).
import { z } from 'zod';
import { JianguanError } from '../lib/errors.ts';
import type { Columns, RowOf } from './columns.ts';

/**
 * An untyped row, for results whose columns are not known in advance: an analyst's `query`, the rows of an
 * arbitrary table that lineage walks. Everything else reads typed rows with `rows`/`row`/`scalar` and `col`.
 */
// biome-ignore lint/suspicious/noExplicitAny: rows are JSON values of any shape (lists, structs)
export type Row = Record<string, any>;
/** A streamed result (`Warehouse.stream`). */
export interface RowStream {
  columns: string[];
  chunks(): AsyncGenerator<unknown[][]>;
  /** Count the rows not read yet, without converting them; stops once it has counted at least `max`. */
  rest(max?: number): Promise<number>;
}

/** `Warehouse.stream` was given no statement, or more than one. */
export class StatementCountError extends Error {
  constructor(readonly statements: number) {
    super(`${statements} statements`);
  }
}

/** `Warehouse.stream` was given a statement of a type it was told not to run (`only`); nothing was run. */
export class StatementTypeError extends Error {
  constructor(readonly statementType: string) {
    super(`a ${statementType} statement`);
  }
}

const OBJECTS = new WeakMap<Columns, z.ZodObject>();

export function objectOf(cols: Columns): z.ZodObject {
  let o = OBJECTS.get(cols);
  if (!o) {
    o = z.object(cols);
    OBJECTS.set(cols, o);
  }
  return o;
}

export function mismatch(column: string, index: number, message: string, sql: string): JianguanError {
  const query = sql.replace(/\s+/g, ' ').trim();
  return new JianguanError(
    'query-result-mismatch',
    `column "${column}" of result row ${index + 1}: ${message} (query: ${query.length > 120 ? `${query.slice(0, 120)}…` : query})`,
    { details: { column, row: index + 1 } },
  );
}

export function checkRow<C extends Columns>(schema: z.ZodObject, cols: C, row: Row, index: number, sql: string): RowOf<C> {
  const out = schema.safeParse(row);
  if (out.success) return out.data as RowOf<C>;
  const issue = out.error.issues[0];
  const column = String(issue?.path[0] ?? '?');
  const message = column in cols && !(column in row) ? 'missing from the result' : (issue?.message ?? 'invalid value');
  throw mismatch(column, index, message, sql);
}
