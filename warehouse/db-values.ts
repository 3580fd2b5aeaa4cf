// DuckDB values as typed JSON, for Warehouse.stream (warehouse/db.ts): the one other file allowed to import the
// DuckDB client, for its value types only; it opens nothing.
import { DuckDBTypeId, type DuckDBValueConverter, JsonDuckDBValueConverter } from '@duckdb/node-api';

const BIG_INTS = new Set<DuckDBTypeId>([DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT]);
const TIMESTAMPS = new Set<DuckDBTypeId>([
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_NS,
  DuckDBTypeId.TIMESTAMP_TZ,
]);

/**
 * DuckDB values as typed JSON: integers are numbers, a BIGINT/HUGEINT beyond ±2^53 a string of its digits (a
 * number would lose digits); DECIMAL an exact decimal string (money is never rounded through a double); dates
 * `YYYY-MM-DD`, timestamps ISO 8601 (`2024-12-31T08:00:00`, with the offset for TIMESTAMPTZ); lists and structs as
 * arrays and objects of the same; everything else as @duckdb/node-api's JSON conversion.
 */
export const typedJson: DuckDBValueConverter<unknown> = (value, type, converter) => {
  if (value === null) return null;
  if (BIG_INTS.has(type.typeId) && typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : String(value);
  }
  if (TIMESTAMPS.has(type.typeId)) return String(value).replace(' ', 'T');
  return (JsonDuckDBValueConverter as DuckDBValueConverter<unknown>)(value, type, converter);
};
