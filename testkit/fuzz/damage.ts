// Byte damage every format's mutators share: truncation, random bytes set in a range, and a template's table.
import type { Rng } from '../../fixtures/generator/prng.ts';
import type { Mutated, Table, Template } from './types.ts';

/** The first `at` bytes of `b`. */
export const cut = (b: Buffer, at: number, why: string): Mutated => ({
  bytes: Buffer.from(b.subarray(0, at)),
  note: `truncated at byte ${at} of ${b.length} (${why})`,
});

/** 1 to 6 random bytes of `b0[from, to)` set to random values. */
export function flipIn(b0: Buffer, rng: Rng, from: number, to: number, why: string): Mutated {
  const b = Buffer.from(b0);
  const at: string[] = [];
  for (let k = rng.int(1, 6); k > 0 && to > from; k--) {
    const i = rng.int(from, to - 1);
    b[i] = rng.int(0, 255);
    at.push(`${i}=0x${b[i]!.toString(16)}`);
  }
  return { bytes: b, note: `${why}: bytes set ${at.join(' ')}` };
}

/** The template's records as a table (empty for a template without one). */
export const tableOf = (t: Template): Table => t.table ?? { header: [], rows: [] };
