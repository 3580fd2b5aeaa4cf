// Helpers of the archive tests: a licence zone's config with archive settings, the archive's files, a logger that
// keeps its lines.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import pino from 'pino';
import type { Logger } from '../lib/log.ts';

/** Merges top-level settings (archive_dir, archive_keep_days) into a sources config file. */
export function setConfig(cfg: string, settings: Record<string, unknown>): void {
  writeFileSync(cfg, JSON.stringify({ ...JSON.parse(readFileSync(cfg, 'utf8')), ...settings }));
}

export const sha256Of = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Every `.gz` under an archive folder (empty when it does not exist). */
export function archivedFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.gz')).sort();
}

/** A logger at info whose JSON lines are kept in `lines`. */
export function keptLogger(): { log: Logger; lines: { msg: string; [k: string]: unknown }[] } {
  const lines: { msg: string }[] = [];
  const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as { msg: string }) });
  return { log, lines };
}
