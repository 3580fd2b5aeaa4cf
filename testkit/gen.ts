// Deterministic pseudo-random input generation for the equivalence tests: the same sequence on every machine, so a
// failure reproduces.
import { FULLWIDTH_ASCII, FULLWIDTH_CHARS } from '../schemas/validators/text.ts';

/** mulberry32: small, fast, and the same sequence on every machine. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Gen {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = rng(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  char(chars: string): string {
    return chars[Math.floor(this.next() * chars.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}

export const BLANKS = [' ', '\t', '\u3000', '\u00a0', '\ufeff', '\u200b', '\n'];

export function toFullwidth(s: string, g: Gen): string {
  return [...s].map((c) => (g.chance(0.5) && FULLWIDTH_ASCII.includes(c) ? FULLWIDTH_CHARS[FULLWIDTH_ASCII.indexOf(c)]! : c)).join('');
}

export function wrapBlank(s: string, g: Gen): string {
  return g.pick(BLANKS) + s + (g.chance(0.5) ? g.pick(BLANKS) : '');
}
