// Before a command's action runs: the checks on the warehouse path that every command of a kind shares, so each
// says the same thing and none creates a file it should not. query, lineage, verify and graph read the published
// snapshot unless --live: without one they are exit 2 suggesting --live. Reading commands (status, runs, query, lineage,
// verify, graph) need an existing warehouse and never create one (a misspelt --db is exit 2 naming the path, not
// an empty new warehouse); writing commands (init, load, transform, run, demo) need the warehouse's folder.
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { JianguanError } from '../../lib/errors.ts';
import { snapshotPath } from '../../warehouse/snapshot.ts';
import type { Globals } from './shared.ts';

const READS = new Set(['status', 'runs', 'runs show', 'query', 'lineage', 'verify', 'graph']);
const WRITES = new Set(['init', 'load', 'transform', 'run', 'demo', 'schedule']);

/** `runs show`, `query`: the command's words below the program. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function notFound(db: string): JianguanError {
  return new JianguanError(
    'warehouse-not-found',
    `no warehouse at ${db}: check --db (or $JIANGUAN_DB), or create it with \`jianguan init\` or \`jianguan run\``,
    { exitCode: 2 },
  );
}

export function preflight(cmd: Command, g: Globals, configGiven: boolean): void {
  const path = commandPath(cmd);
  const db = g.db;
  if (db === ':memory:') return;
  if (READS.has(path)) {
    const opts = cmd.opts<{ live?: boolean }>();
    const snapshot = snapshotPath(db);
    if (path === 'query' || path === 'lineage' || path === 'verify' || (path === 'graph' && !configGiven)) {
      // the published snapshot is what they read unless --live; the warehouse itself with --live
      if (!opts.live && existsSync(snapshot)) return;
      if (!existsSync(db)) throw notFound(db);
      if (!opts.live) {
        throw new JianguanError(
          'no-snapshot',
          `${db} has no published snapshot yet (${snapshot}): run \`jianguan run\` first, or add --live to ${path === 'query' ? 'query' : 'read'} the warehouse itself`,
          { exitCode: 2 },
        );
      }
      return;
    }
    // graph draws the models from the config when one is given, and only reads the warehouse otherwise
    if (path === 'graph' && configGiven) return;
    if (!existsSync(db)) throw notFound(db);
    return;
  }
  if (WRITES.has(path)) {
    const dir = dirname(resolve(db));
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new JianguanError('file-not-found', `no folder ${dirname(db)} for the warehouse ${db}: create the folder, or give another --db`, {
        exitCode: 2,
      });
    }
  }
}
