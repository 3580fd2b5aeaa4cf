// The schedule lock `<db>.schedule.lock`: one `jianguan schedule` per warehouse. It holds {pid, host, started}
// as JSON and is created with O_EXCL, so of two processes starting at once exactly one gets it. A lock whose pid
// is dead on this host is stale (the process was killed): it is moved aside by rename (only one process can
// move a given file), checked to be the stale one it read, removed, and the lock is taken again with O_EXCL. A
// lock of another host is never cleared (its pid cannot be checked from here).
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { JianguanError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/log.ts';
import { pidAlive } from '../../lib/pid.ts';

export interface LockHolder {
  pid: number;
  host: string;
  started: string;
}

export function scheduleLockPath(db: string): string {
  return `${db}.schedule.lock`;
}

function readHolder(path: string): { text: string; holder: LockHolder | null } | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    return { text, holder: Number.isSafeInteger(h.pid) && typeof h.host === 'string' ? h : null };
  } catch {
    // a lock being written this instant (created, not yet filled) or garbage: not ours to judge as stale
    return { text, holder: null };
  }
}

function tryCreate(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

export interface ScheduleLock {
  path: string;
  /** Removes the lock if it is still this process's. */
  release(): void;
}

/** Takes the schedule lock of `db`, or throws `schedule-locked` (exit 75) naming the live holder. */
export function acquireScheduleLock(db: string, log: Logger): ScheduleLock {
  const path = scheduleLockPath(db);
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() } satisfies LockHolder);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path, mine)) {
      return {
        path,
        release: () => {
          if (readHolder(path)?.text === mine) unlinkSync(path);
        },
      };
    }
    const seen = readHolder(path);
    if (seen === null) continue; // removed meanwhile: try again
    const h = seen.holder;
    if (!h || h.host !== hostname() || pidAlive(h.pid)) {
      const who = h ? `PID ${h.pid} on ${h.host}, started ${h.started}` : `unreadable lock file ${path}`;
      throw new JianguanError(
        'schedule-locked',
        `another jianguan schedule runs on this warehouse (${who}); stop it first, or remove ${path} if it is stale`,
        {
          exitCode: 75,
          retryable: true,
          details: { pid: h?.pid ?? null, host: h?.host ?? null },
        },
      );
    }
    // stale: move it aside (atomic), check it is the one judged stale, then take the lock with O_EXCL again
    const aside = `${path}.stale-${process.pid}`;
    try {
      renameSync(path, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // another process cleared it first
      throw err;
    }
    if (readHolder(aside)?.text !== seen.text) {
      // a fresh lock was taken between our read and our rename: put it back (unless yet another one exists)
      try {
        linkSync(aside, path);
      } catch {}
      unlinkSync(aside);
      continue;
    }
    unlinkSync(aside);
    log.warn({ path, pid: h.pid, host: h.host, started: h.started }, `cleared a stale schedule lock of PID ${h.pid} (no longer running)`);
  }
  throw new JianguanError('schedule-locked', `could not take the schedule lock ${path} (it kept changing)`, { exitCode: 75, retryable: true });
}
