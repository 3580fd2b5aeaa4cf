// The anchor file: the head of the manifest chain, written outside the warehouse after every run, so that a
// consistent rewrite of the warehouse (values, row hashes, batch digests, manifests and the whole chain recomputed
// by someone who knows the algorithms) still shows: the chain no longer ends in the hashes anchored before.
//
// One JSON line per run, appended (O_APPEND) and fsynced: {run_id, manifest_sha256, prev_sha256, status,
// anchored_at, warehouse}. A run's manifest names its predecessor's sha256, so its manifest_sha256 commits to the
// whole chain up to it: it is the chain head. Default file: `<warehouse without .duckdb>.anchors.jsonl` beside the
// warehouse; `--anchor-file F` or $JIANGUAN_ANCHOR_FILE put it elsewhere (a WORM mount, a synced folder).
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { JianguanError } from '../../lib/errors.ts';

export const ANCHOR_FILE_ENV = 'JIANGUAN_ANCHOR_FILE';

export interface AnchorLine {
  run_id: number;
  /** The run's manifest sha256: the head of the chain at that run. */
  manifest_sha256: string;
  prev_sha256: string | null;
  status: string;
  anchored_at: string;
  /** The warehouse file's name (not its path). */
  warehouse: string;
}

/** Where the anchors of warehouse `db` go: the given file, else $JIANGUAN_ANCHOR_FILE, else beside the warehouse. */
export function anchorFileFor(db: string, given?: string | null, env: NodeJS.ProcessEnv = process.env): string {
  if (given) return given;
  if (env[ANCHOR_FILE_ENV]) return env[ANCHOR_FILE_ENV] as string;
  return `${db.endsWith('.duckdb') ? db.slice(0, -'.duckdb'.length) : db}.anchors.jsonl`;
}

/** Append one run's chain head to the anchor file, and make it durable before returning. */
export function appendAnchor(
  file: string,
  db: string,
  m: { run_id: number; sha256: string; prev_sha256: string | null; status: string },
): AnchorLine {
  const line: AnchorLine = {
    run_id: m.run_id,
    manifest_sha256: m.sha256,
    prev_sha256: m.prev_sha256,
    status: m.status,
    anchored_at: new Date().toISOString(),
    warehouse: basename(db),
  };
  const fd = openSync(file, 'a');
  try {
    writeSync(fd, `${JSON.stringify(line)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return line;
}

/** The anchor head as the run summary prints it: `anchor: run 7 chain 3fa2c9…`. */
export function formatAnchor(a: AnchorLine, file: string): string {
  return `anchor: run ${a.run_id} chain ${a.manifest_sha256.slice(0, 16)}… (${file}; copy it off this machine, send the head to a notary)`;
}

/** The lines of an anchor file; a line that is not an anchor is returned as `{ bad: lineNumber }`. */
export function readAnchors(file: string): (AnchorLine | { bad: number })[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new JianguanError('file-not-found', `verify --anchor: no anchor file at ${file}`, { exitCode: 2 });
    throw err;
  }
  return text
    .split('\n')
    .map((l, i) => ({ l, i }))
    .filter(({ l }) => l.trim() !== '')
    .map(({ l, i }) => {
      try {
        const a = JSON.parse(l) as AnchorLine;
        if (Number.isInteger(a.run_id) && typeof a.manifest_sha256 === 'string') return a;
      } catch {}
      return { bad: i + 1 };
    });
}
