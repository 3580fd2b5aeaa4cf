// When a file's contents became known (sources[].known_on), the date as-of transforms filter batches by.
import type { SourceConfig } from '../../schemas/sources-config.ts';

const CST_OFFSET_MS = 8 * 3_600_000;
// a date written YYYYMMDD, YYYY-MM-DD or YYYY_MM_DD, not part of a longer number
const PATH_DATE = /(?<!\d)(\d{4})([-_]?)(\d{2})\2(\d{2})(?!\d)/g;

/** The calendar day (YYYY-MM-DD) in China Standard Time of an instant. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The last real calendar date written in a path, or null. */
export function dateInPath(location: string): string | null {
  let found: string | null = null;
  for (const m of location.matchAll(PATH_DATE)) {
    const iso = `${m[1]}-${m[3]}-${m[4]}`;
    const t = Date.parse(`${iso}T00:00:00Z`);
    if (!Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === iso && iso >= '1900-01-01') found = iso;
  }
  return found;
}

/** The batch's known_on: by the source's rule, null when the rule is `path` and the path has no date. */
export function knownOn(source: Pick<SourceConfig, 'known_on'>, location: string, loadedAt: Date): string | null {
  return source.known_on === 'path' ? dateInPath(location) : chinaDate(loadedAt);
}
