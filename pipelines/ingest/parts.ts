// Part files of a load (scratch directories named after their owner's pid) and how a load stops on an error.
import { appendFileSync, readFileSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { asJianguanError, errorMessage, JianguanError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/log.ts';
import { pidAlive } from '../../lib/pid.ts';

/** Part-file directories are named `jianguan-part-<pid>-XXXXXX` in the scratch dir: their owner is in the name. */
export const PART_DIR = 'jianguan-part-';
const PART_DIR_RE = /^jianguan-part-(\d+)-/;

/**
 * Removes the part files a killed load left behind (in /dev/shm they hold RAM until removed): directories of this
 * naming whose owner pid is gone and that are older than this process. A live owner's directory is kept, and so is
 * anything not named this way (its owner cannot be known).
 */
export async function removeLeftoverParts(dir: string, log: Logger): Promise<string[]> {
  const started = Date.now() - process.uptime() * 1000;
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = PART_DIR_RE.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || pidAlive(pid)) continue;
    const path = join(dir, name);
    try {
      if ((await stat(path)).mtimeMs >= started) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(path);
      log.warn({ path, pid }, `removed part files left by a load that was stopped (pid ${pid}): ${path}`);
    } catch (err) {
      log.warn({ path, pid }, `could not remove part files left by pid ${pid} (${path}): ${errorMessage(err)}`);
    }
  }
  return removed;
}

/** A write error of the warehouse itself (a full disk, a file-size limit, an IO error): no later file can be written. */
export function isWarehouseFailure(err: unknown): boolean {
  const code = asJianguanError(err).code;
  return code === 'disk-full' || code === 'warehouse-io-error' || /invalidated|Failed to commit/i.test(errorMessage(err));
}

/** Thrown in a file's turn once the load has stopped on an error: the file is not written. */
export class LoadStopped extends Error {}

/** JIANGUAN_FAULT=batch-write:<n> / batch-kill:<n>: inside the n-th batch's transaction, before its commit (faults.ts). */
export function injectBatchFault(n: number): void {
  const wanted = (process.env.JIANGUAN_FAULT ?? '').split(',').map((s) => s.trim());
  if (wanted.includes(`batch-kill:${n}`)) process.kill(process.pid, 'SIGKILL');
  if (wanted.includes(`batch-write:${n}`)) {
    throw new JianguanError('disk-full', `no space left on the device: injected write error in batch write ${n} (JIANGUAN_FAULT)`);
  }
}

/**
 * JIANGUAN_FAULT=file-change:<n>: the n-th planned file (1-based, plan order) gets a copy of its last line appended
 * right after its fingerprint, as if its sender were still writing it (faults.ts). Returns the fingerprint.
 */
export function injectFileChange<T>(n: number, path: string, fingerprint: T): T {
  if (!(process.env.JIANGUAN_FAULT ?? '').split(',').some((s) => s.trim() === `file-change:${n}`)) return fingerprint;
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  appendFileSync(path, `${text.endsWith('\n') ? '' : '\n'}${lines[lines.length - 1] ?? ''}\n`);
  return fingerprint;
}
