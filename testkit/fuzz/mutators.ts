// The mutator registry, per connector kind (schemas/sources-config.ts CONNECTORS): a new connector (JSON, NDJSON,
// xlsx, Parquet) plugs in its own mutators here, and the type makes a connector without mutators a compile error.
import type { CONNECTORS } from '../../schemas/sources-config.ts';
import { CSV_BIG_MUTATORS } from './csv-big.ts';
import { CSV_MUTATORS } from './csv-mutators.ts';
import type { Mutator } from './types.ts';

export type ConnectorKind = (typeof CONNECTORS)[number];

export const MUTATORS: { [K in ConnectorKind]: { small: Mutator[]; big: Mutator[] } } = {
  csv: { small: CSV_MUTATORS, big: CSV_BIG_MUTATORS },
};

/** Every mutator of `connector` (small and big) by name. */
export function mutatorNamed(connector: ConnectorKind, name: string): Mutator | undefined {
  const m = MUTATORS[connector];
  return [...m.small, ...m.big].find((x) => x.name === name);
}
