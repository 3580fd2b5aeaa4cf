// The mutator registry, per connector kind (schemas/sources-config.ts CONNECTORS): each connector plugs in its own
// mutators here, and the type makes a connector without mutators a compile error. Names are unique across
// connectors (the non-CSV ones carry their connector as a prefix: `json-byte-flip`, `xlsx-zero`).
import { CSV_BIG_MUTATORS } from './csv-big.ts';
import { CSV_MUTATORS } from './csv-mutators.ts';
import { JSON_BIG_MUTATORS, NDJSON_BIG_MUTATORS } from './json-big.ts';
import { JSON_MUTATORS, NDJSON_MUTATORS } from './json-mutators.ts';
import { PARQUET_MUTATORS } from './parquet-mutators.ts';
import type { ConnectorKind, Mutator } from './types.ts';
import { XLSX_BIG_MUTATORS, XLSX_MUTATORS } from './xlsx-mutators.ts';

export type { ConnectorKind } from './types.ts';

export const MUTATORS: { [K in ConnectorKind]: { small: Mutator[]; big: Mutator[] } } = {
  csv: { small: CSV_MUTATORS, big: CSV_BIG_MUTATORS },
  json: { small: JSON_MUTATORS, big: JSON_BIG_MUTATORS },
  ndjson: { small: NDJSON_MUTATORS, big: NDJSON_BIG_MUTATORS },
  xlsx: { small: XLSX_MUTATORS, big: XLSX_BIG_MUTATORS },
  parquet: { small: PARQUET_MUTATORS, big: [] },
};

/** Every mutator of `connector` (small and big) by name; without a connector, of any. */
export function mutatorNamed(connector: ConnectorKind | undefined, name: string): Mutator | undefined {
  const all = connector ? [MUTATORS[connector]] : Object.values(MUTATORS);
  return all.flatMap((m) => [...m.small, ...m.big]).find((x) => x.name === name);
}
