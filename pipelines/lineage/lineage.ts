// `jianguan lineage <table> <key>`: the tree from any mart, core, staging or raw row down to the raw rows it
// rests on, and from each raw row to its source, file, line, batch, run and checksum, with the file re-checked
// against the ledger. How to walk each table is derived from the models (pipelines/catalog/catalog.ts); the walk itself is
// breadth-first with one keyed statement per table and level (walk.ts).
import { existsSync } from 'node:fs';
import { type ErrorCode, JianguanError } from '../../lib/errors.ts';
import { readLandingDir } from '../../schemas/landing-dir.ts';
import { type Warehouse, withWarehouse } from '../../warehouse/db.ts';
import { snapshotPath } from '../../warehouse/snapshot.ts';
import { type Catalog, loadCatalog, type TableInfo } from '../catalog/catalog.ts';
import { attachSources } from './source.ts';
import type { LineageNode, LineageOptions } from './types.ts';
import { walk } from './walk.ts';

export type { LineageNode, LineageOptions, SourceRef } from './types.ts';

export interface RunLineageOptions extends Omit<LineageOptions, 'landingDir' | 'catalog'> {
  db: string;
  /** The sources config: gives the landing dir, so files can be found and re-hashed. */
  config?: string;
  table: string;
  key: string | string[];
  /**
   * Which file to read: `live` the warehouse itself (fails with exit 75 while a run holds it), `snapshot` the last
   * published copy (what analysts see; never blocked), `auto` (default) the snapshot when there is one.
   */
  from?: 'live' | 'snapshot' | 'auto';
}

export class LineageError extends JianguanError {
  constructor(code: ErrorCode, message: string) {
    super(code, message, { exitCode: 2 });
  }
}

/** `entity_risk` or `mart.entity_risk`; any traceable table. */
export function resolveTable(cat: Catalog, table: string): TableInfo {
  const exact = cat.tables.get(table);
  if (exact) return exact;
  const matches = [...cat.tables.values()].filter((t) => t.table === table);
  if (matches.length === 1) return matches[0] as TableInfo;
  const known = [...cat.tables.keys()].sort().join(', ');
  throw new LineageError(
    'lineage-unknown-table',
    `lineage: ${matches.length ? `${table} is ambiguous` : `no table ${table}`}; traceable tables: ${known}`,
  );
}

/** One value per key column: a list, or one string split on commas for a composite key. */
export function parseKey(info: TableInfo, key: string | string[]): string[] {
  const parts = Array.isArray(key) ? key : info.key.length === 1 ? [key] : key.split(',').map((s) => s.trim());
  if (parts.length !== info.key.length) {
    throw new LineageError(
      'lineage-bad-key',
      `lineage: ${info.name} is keyed by (${info.key.join(', ')}); give ${info.key.length} value(s), comma-separated`,
    );
  }
  info.key.forEach((k, i) => {
    if (/INT/.test(info.columns.get(k) ?? '') && !/^-?\d+$/.test(parts[i] as string)) {
      throw new LineageError('lineage-bad-key', `lineage: ${info.name}.${k} is a whole number, not ${JSON.stringify(parts[i])}`);
    }
  });
  return parts;
}

/** The lineage tree of one row of an open warehouse. */
export async function lineageOf(wh: Warehouse, table: string, key: string | string[], o: LineageOptions = {}): Promise<LineageNode> {
  const cat = o.catalog ?? (await loadCatalog(wh, o.sqlDir));
  const info = resolveTable(cat, table);
  const tuple = parseKey(info, key);
  const root = await walk(wh, cat, info, tuple, { limit: o.limit ?? 50, maxNodes: o.maxNodes ?? 1000 });
  if (!root) throw new LineageError('lineage-row-not-found', `lineage: no row of ${info.name} with (${info.key.join(', ')}) = (${tuple.join(', ')})`);
  await attachSources(wh, root, { landingDir: o.landingDir ?? null, rehash: o.rehash ?? 'auto' });
  return root;
}

/** The file a lineage reads, per `from`. */
export function lineageSource(db: string, from: RunLineageOptions['from'] = 'auto'): string {
  const snapshot = snapshotPath(db);
  const path = from === 'live' || (from === 'auto' && !existsSync(snapshot)) ? db : snapshot;
  if (path === snapshot && !existsSync(path) && existsSync(db)) {
    throw new LineageError('no-snapshot', `lineage: ${db} has no published snapshot yet (${snapshot}): run \`jianguan run\` first, or add --live`);
  }
  if (!existsSync(path)) throw new LineageError('warehouse-not-found', `lineage: no warehouse at ${path} (run \`jianguan run\` first)`);
  return path;
}

export async function runLineage(o: RunLineageOptions): Promise<LineageNode> {
  const path = lineageSource(o.db, o.from);
  // the folder alone; a config that cannot even tell it is loaded in full, for the error that names its problems
  const landingDir = o.config
    ? (readLandingDir(o.config) ?? (await import('../../schemas/sources-config.ts')).loadSourcesConfig(o.config).landingDir)
    : null;
  // read-only: a trace never writes, and a snapshot is opened the way analysts open it
  return withWarehouse(path, (wh) => lineageOf(wh, o.table, o.key, { ...o, landingDir }), { readOnly: true });
}
