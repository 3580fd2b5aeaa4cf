// Onboarding help for a header that misses a required field: which of the file's unmapped headers may be meant.
// Similarity is per character, as suits Chinese (no word boundaries, short labels): 2·LCS / (|a| + |b|), the
// longest common subsequence, against each spelling the field is known by (name, label, national code, aliases),
// best spelling wins. `实施机关` scores 0.75 for `实施机构`; at most 3 candidates of score ≥ 0.5 are offered.
import type { FeedSpec } from './fields.ts';

const MIN_SCORE = 0.5;
const MAX_CANDIDATES = 3;

function norm(s: string): string[] {
  return [...s.normalize('NFKC').trim().toLowerCase()];
}

/** 2·LCS(a, b) / (|a| + |b|), in [0, 1], over characters (code points). */
export function similarity(a: string, b: string): number {
  const x = norm(a);
  const y = norm(b);
  if (!x.length || !y.length) return 0;
  let prev = new Array<number>(y.length + 1).fill(0);
  for (const cx of x) {
    const cur = new Array<number>(y.length + 1).fill(0);
    for (let j = 1; j <= y.length; j++) cur[j] = cx === y[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    prev = cur;
  }
  return (2 * prev[y.length]!) / (x.length + y.length);
}

/** The file's headers (among `unmapped`) closest to `field`, best first. */
export function closestHeaders(feed: FeedSpec, field: string, unmapped: readonly string[]): { header: string; score: number }[] {
  const f = feed.fields[field];
  if (!f) return [];
  const spellings = [field, f.label, ...(f.std ?? []), ...(f.aliases ?? [])];
  return unmapped
    .map((header) => ({ header, score: Math.max(...spellings.map((s) => similarity(header, s))) }))
    .filter((c) => c.score >= MIN_SCORE)
    .sort((a, b) => b.score - a.score || unmapped.indexOf(a.header) - unmapped.indexOf(b.header))
    .slice(0, MAX_CANDIDATES);
}

/** `field (label)`, and the candidates when there are any: `agency (实施机构; closest headers in the file: "实施机关")`. */
export function describeMissing(feed: FeedSpec, field: string, unmapped: readonly string[]): string {
  const label = feed.fields[field]?.label ?? field;
  const c = closestHeaders(feed, field, unmapped);
  if (!c.length) return `${field} (${label})`;
  return `${field} (${label}; closest headers in the file: ${c.map((h) => JSON.stringify(h.header)).join(', ')})`;
}

/** How to map the best candidate of the first field that has one, for the message's end; '' when none has. */
export function columnsHint(feed: FeedSpec, fields: readonly string[], unmapped: readonly string[]): string {
  for (const field of fields) {
    const best = closestHeaders(feed, field, unmapped)[0];
    if (best) return `; if a header is meant, rename it or map it in the source's "columns", e.g. ${JSON.stringify({ [best.header]: field })}`;
  }
  return '';
}
