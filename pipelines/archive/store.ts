// The archive of loaded files: each file's bytes, as they were read while fingerprinting it, kept gzip-compressed and
// read-only under <archive_dir>/sha256/ab/<hex>.gz. A tee receives the bytes, compresses them to a temp file and
// hashes them; inside the batch's transaction the temp file is renamed into place (an entry already there is kept,
// never rewritten) and meta.archive gets its row. A batch that fails or is rolled back leaves no row.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { JianguanError } from '../../lib/errors.ts';
import type { Warehouse } from '../../warehouse/db.ts';

export function entryPath(archiveDir: string, sha256: string): string {
  return join(archiveDir, 'sha256', sha256.slice(0, 2), `${sha256}.gz`);
}

/** A file's bytes on their way into the archive: `write` each chunk as it is read, then `finish`. */
export interface ArchiveTee {
  write(chunk: Buffer): Promise<void>;
  /** The compressed temp file, complete and flushed to disk, with the SHA-256 and size of what was written. */
  finish(): Promise<PendingEntry>;
  /** Removes the temp file (after a failure, or once committed: then it is gone already). */
  discard(): Promise<void>;
}

export interface PendingEntry {
  archiveDir: string;
  tmp: string;
  sha256: string;
  bytes: number;
  storedBytes: number;
}

let tmpSeq = 0;

export async function startTee(archiveDir: string): Promise<ArchiveTee> {
  const tmpDir = join(archiveDir, 'tmp');
  await mkdir(tmpDir, { recursive: true });
  const tmp = join(tmpDir, `${process.pid}-${++tmpSeq}-${Date.now()}.gz.tmp`);
  const gzip = createGzip({ level: 6 });
  const done = pipeline(gzip, createWriteStream(tmp, { flush: true }));
  let failed: unknown = null;
  done.catch((err: unknown) => {
    failed = err;
  });
  const hash = createHash('sha256');
  let bytes = 0;
  return {
    async write(chunk) {
      if (failed) throw failed;
      // the reader reuses its buffer: keep a copy until zlib has it
      const copy = Buffer.from(chunk);
      hash.update(copy);
      bytes += copy.length;
      if (!gzip.write(copy)) await Promise.race([new Promise((r) => gzip.once('drain', r)), done]);
    },
    async finish() {
      gzip.end();
      await done;
      const storedBytes = Number((await stat(tmp)).size);
      return { archiveDir, tmp, sha256: hash.digest('hex'), bytes, storedBytes };
    },
    async discard() {
      if (!gzip.writableEnded) gzip.destroy();
      await done.catch(() => undefined);
      await rm(tmp, { force: true });
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Puts a finished entry in place (unless one is there: content-addressed, it is never rewritten) and records it in
 * meta.archive, in the caller's transaction. `sha256` is the batch's hash: the archived bytes must be the same.
 */
export async function commitEntry(tx: Warehouse, e: PendingEntry, sha256: string): Promise<void> {
  if (e.sha256 !== sha256) {
    throw new JianguanError('archive-mismatch', `archive: the bytes archived hash to ${e.sha256}, the batch's file to ${sha256}`);
  }
  const dest = entryPath(e.archiveDir, e.sha256);
  let stored = e.storedBytes;
  if (await exists(dest)) {
    stored = Number((await stat(dest)).size);
    await rm(e.tmp, { force: true });
  } else {
    await mkdir(dirname(dest), { recursive: true });
    await chmod(e.tmp, 0o444);
    await rename(e.tmp, dest);
  }
  await tx.run(
    `insert into meta.archive (sha256, path, bytes, stored_bytes, archived_at, pruned_at) values (?, ?, ?, ?, now(), null)
     on conflict (sha256) do update set path = excluded.path, stored_bytes = excluded.stored_bytes, archived_at = excluded.archived_at,
       pruned_at = null where meta.archive.pruned_at is not null or meta.archive.path <> excluded.path`,
    [e.sha256, dest, e.bytes, stored],
  );
}

/** The hashes meta.archive holds an unpruned entry for. */
export async function archivedHashes(wh: Warehouse): Promise<Set<string>> {
  return new Set((await wh.all('select sha256 from meta.archive where pruned_at is null')).map((r) => String(r.sha256)));
}
