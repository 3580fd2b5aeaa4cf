// Known bugs another change is fixing: a fuzz finding matching one of these is counted as `known:<id>`, not as a
// failure. Remove an entry once its fix lands; the fuzzer then fails on it again if the fix is incomplete.
import type { Outcome } from './check.ts';

export interface KnownBug {
  id: string;
  /** True when this outcome of this mutator is the known bug (and only it). */
  matches(mutator: string, o: Outcome): boolean;
}

export const KNOWN_BUGS: KnownBug[] = [
  // a NUL byte inside a field is stored as is in raw.<feed>
  { id: 'nul-stored-raw', matches: (_m, o) => o.nulStored && o.problems.length === 0 },
  // a file whose lines end in CR alone is one line: its header is read as duplicated columns
  {
    id: 'cr-only-duplicate-header',
    matches: (m, o) =>
      m === 'line-ends-cr' && o.outcome.startsWith('failed:') && o.problems.every((p) => p.startsWith('the damage keeps every record')),
  },
  // a file that changes while it is loaded (the fuzzer writes every file before its load starts: never produced)
  { id: 'file-changed-while-loading', matches: (_m, o) => o.outcome === 'failed:file-changed' },
];

export function knownBug(mutator: string, o: Outcome): string | null {
  return KNOWN_BUGS.find((k) => k.matches(mutator, o))?.id ?? null;
}
