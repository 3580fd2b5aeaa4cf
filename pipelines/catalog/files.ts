// Is a landed file still what the ledger says was loaded? Re-hashing is the only proof, but a 2 GiB file takes
// seconds, and `lineage` must answer in well under one. So `load` (which hashes every file it reads) and `verify`
// (which always re-hashes) record each file's stat stamp (size, mtime, ctime, inode) beside the hash they found;
// later checks trust that hash only while the stamp is unchanged. ctime cannot be set from user space (touch -d resets mtime, not ctime), so an edit that restores
// size and mtime still changes the stamp and forces a re-hash, as in git's index.
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type StatStamp, stampOf } from '../../lib/file-stamp.ts';
import { col } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';

export type { StatStamp };

export type FileState = 'ok' | 'missing' | 'altered' | 'superseded' | 'unreadable' | 'unchecked';

export interface LedgerFile {
  batch_id: number;
  location: string;
  sha256: string;
  bytes: number;
}

export interface FileVerdict {
  location: string;
  /** Absolute path, when a landing dir is known. */
  path: string | null;
  state: FileState;
  /** The hash found now (absent when the file is missing or was not read). */
  sha256: string | null;
  bytes: number | null;
  /** How the verdict was reached: a fresh hash, a stamp unchanged since a recorded hash, or nothing. */
  method: 'rehash' | 'stamp' | 'none';
  /** For `superseded`: the later batch whose content the file now holds. */
  superseded_by: number | null;
}

/** Size, mtime, ctime and inode in nanoseconds: any write changes at least ctime. Null when the file is gone. */
export async function statStamp(path: string): Promise<StatStamp | null> {
  try {
    const s = await stat(path, { bigint: true });
    if (!s.isFile()) return null;
    return stampOf(s);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw err;
  }
}

export async function sha256File(path: string): Promise<{ sha256: string; bytes: number }> {
  const fh = await open(path, 'r');
  try {
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(4 << 20);
    let bytes = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      bytes += bytesRead;
    }
    return { sha256: hash.digest('hex'), bytes };
  } finally {
    await fh.close();
  }
}

/** Hashes `verify` found, with the stamp they were found under. Empty before the first verify. */
export async function recordedChecks(wh: Warehouse): Promise<Map<string, { sha256: string; stamp: string }>> {
  const rows = await wh.rows('select location, sha256, stamp from meta.file_checks', { location: col.text(), sha256: col.text(), stamp: col.text() });
  return new Map(rows.map((r) => [r.location, { sha256: r.sha256, stamp: r.stamp }]));
}

export async function recordCheck(wh: Warehouse, location: string, sha256: string, s: StatStamp): Promise<void> {
  await wh.run('insert or replace into meta.file_checks (location, sha256, bytes, stamp, checked_at) values (?, ?, ?, ?, now())', [
    location,
    sha256,
    s.bytes,
    s.stamp,
  ]);
}

/** The newest loaded or skipped batch of each location: what the file there is expected to hold now. */
export async function latestByLocation(wh: Warehouse, locations?: readonly string[]): Promise<Map<string, LedgerFile>> {
  const filter = locations ? `and location in (${locations.map(() => '?').join(', ') || 'null'})` : '';
  const rows: LedgerFile[] = await wh.rows(
    `select location, max(batch_id) as batch_id, arg_max(sha256, batch_id) as sha256, arg_max(bytes, batch_id) as bytes
     from meta.batches where status in ('loaded', 'skipped') ${filter} group by location`,
    locations ? [...locations] : [],
    { batch_id: col.int(), location: col.text(), sha256: col.text(), bytes: col.int() },
  );
  return new Map(rows.map((r) => [r.location, r]));
}

// Hashes found in this process, by path and stamp: a second trace of the same file costs a stat, not a hash, and
// two batches of one file hashed at the same time share one read.
const seen = new Map<string, { stamp: string; sha256: Promise<string> }>();

export interface JudgeOptions {
  landingDir: string | null;
  /** `auto`: trust a hash recorded under an unchanged stamp; `always`: hash every file. */
  rehash: 'auto' | 'always';
  recorded: Map<string, { sha256: string; stamp: string }>;
  latest: Map<string, LedgerFile>;
}

/** Compare one ledger file with what is on disk now. */
export async function judgeFile(f: LedgerFile, o: JudgeOptions): Promise<FileVerdict & { stampNow: StatStamp | null }> {
  const base = { location: f.location, path: null, sha256: null, bytes: null, method: 'none' as const, superseded_by: null, stampNow: null };
  if (!o.landingDir) return { ...base, state: 'unchecked' };
  const path = resolve(o.landingDir, f.location);
  let st: StatStamp | null;
  try {
    st = await statStamp(path);
  } catch {
    return { ...base, path, state: 'unreadable' };
  }
  if (!st) return { ...base, path, state: 'missing' };
  const latest = o.latest.get(f.location) ?? f;
  let sha256: string | null = null;
  let method: FileVerdict['method'] = 'stamp';
  const recorded = o.recorded.get(f.location);
  if (o.rehash === 'auto' && recorded?.stamp === st.stamp) sha256 = recorded.sha256;
  if (sha256 === null) {
    let pending = seen.get(path);
    if (o.rehash === 'always' || pending?.stamp !== st.stamp) {
      pending = { stamp: st.stamp, sha256: sha256File(path).then((h) => h.sha256) };
      seen.set(path, pending);
    }
    try {
      sha256 = await pending.sha256;
    } catch {
      seen.delete(path);
      return { ...base, path, bytes: st.bytes, state: 'unreadable', stampNow: st };
    }
    method = 'rehash';
  }
  const v = { ...base, path, sha256, bytes: st.bytes, method, stampNow: st };
  if (sha256 === f.sha256) return { ...v, state: 'ok' };
  if (latest.batch_id > f.batch_id && sha256 === latest.sha256) return { ...v, state: 'superseded', superseded_by: latest.batch_id };
  return { ...v, state: 'altered' };
}
