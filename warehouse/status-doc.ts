// The status document `<db>.status.json`: what `status` and `runs` would print from a live read, written by the
// writer at the start of every run (with the run `running`, its pid) and at its end (succeeded or failed). Readers
// read it instead of opening the warehouse, so a monitoring `status` never holds DuckDB's file lock while a run
// wants it. It is a cache, never the truth: `verify` and `lineage` do not trust it. Written atomically (temp file,
// fsync, rename): a reader gets a whole document, old or new.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { pidAlive } from '../lib/pid.ts';
import type { RunRow, WarehouseStatus } from './run-status.ts';

export const STATUS_DOC_VERSION = 1;
/** Runs kept in the document (`runs --limit` above this reads the warehouse: `--live`). */
export const STATUS_DOC_RUNS = 50;

export interface RunningRecord {
  run_id: number;
  pid: number;
  command: string;
  started_at: string;
}

export interface StatusDoc {
  version: number;
  /** When the writer wrote this document (ISO). */
  written_at: string;
  /** The run in progress when written (set at its start, cleared at its end); null when none. */
  running: RunningRecord | null;
  status: WarehouseStatus;
  /** The newest runs, newest first (at most STATUS_DOC_RUNS). */
  runs: RunRow[];
  /** Loaded batches per run id. */
  loaded_batches_by_run: Record<string, number>;
  /** The config file the newest run recorded (the config `status` uses when none is named). */
  last_config: { path: string; runId: number } | null;
  /** `runs show` of the newest finished runs, newest first (a run not in the snapshot yet is shown from here). */
  shows: { run_id: number; show: unknown }[];
}

export function statusDocPath(db: string): string {
  return `${db}.status.json`;
}

export function writeStatusDoc(db: string, doc: StatusDoc): void {
  if (db === ':memory:') return;
  const path = statusDocPath(db);
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    try {
      writeSync(fd, `${JSON.stringify(doc, null, 1)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    // a full disk must not leave a half-written temp file behind (the previous document stays as it was)
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** The document, or null when there is none (a warehouse from before it existed) or it cannot be read. */
export function readStatusDoc(db: string): StatusDoc | null {
  const path = statusDocPath(db);
  if (db === ':memory:' || !existsSync(path)) return null;
  try {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as StatusDoc;
    return doc.version === STATUS_DOC_VERSION ? doc : null;
  } catch {
    return null;
  }
}

/** What the document says about a run in progress: running (its pid alive), gone (the pid is dead), or none. */
export interface RunState extends RunningRecord {
  state: 'running' | 'gone';
  /** "run 12 in progress since … (pid 4242)" or "run 12 did not finish (process gone)". */
  message: string;
}

export function runState(doc: StatusDoc | null): RunState | null {
  const r = doc?.running;
  if (!r) return null;
  return pidAlive(r.pid)
    ? { ...r, state: 'running', message: `run ${r.run_id} (${r.command}) in progress since ${r.started_at} (pid ${r.pid})` }
    : { ...r, state: 'gone', message: `run ${r.run_id} (${r.command}) did not finish (process gone; pid ${r.pid}, started ${r.started_at})` };
}
