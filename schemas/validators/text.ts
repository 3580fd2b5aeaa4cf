// Text clean-up shared by the validators. Each helper has a SQL twin built from the same constants, because
// JS and DuckDB disagree on the defaults: String.prototype.trim strips Unicode spaces while DuckDB's trim()
// strips only ' ', and JS `\s` / `\d` differ from RE2's. Spelling the sets out keeps the two sides identical.

import { literal } from '../../warehouse/sql.ts';

/** Characters stripped from both ends of every field (JS whitespace plus zero-width space and BOM seen in scraped feeds). */
export const BLANK_CHARS =
  ' \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff';

const BLANK_SET = new Set(BLANK_CHARS);

/** Trim BLANK_CHARS from both ends (not String.prototype.trim, whose set DuckDB cannot reproduce exactly). */
export function trimBlank(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && BLANK_SET.has(s[start]!)) start++;
  while (end > start && BLANK_SET.has(s[end - 1]!)) end--;
  return s.slice(start, end);
}

/** Full-width forms U+FF01..U+FF5E, in order; their ASCII twins are 0xFEE0 lower. */
export const FULLWIDTH_CHARS = Array.from({ length: 0x5e }, (_, i) => String.fromCharCode(0xff01 + i)).join('');
export const FULLWIDTH_ASCII = Array.from({ length: 0x5e }, (_, i) => String.fromCharCode(0x21 + i)).join('');

/** True when `s` holds any full-width ASCII form. */
export function hasFullwidth(s: string): boolean {
  return /[\uff01-\uff5e]/.test(s);
}

/**
 * Full-width ASCII forms → ASCII and the ideographic space → ' '. This is what NFKC does to those ranges; full NFKC
 * would also fold ①, ², ligatures etc., which DuckDB (nfc_normalize only) cannot mirror.
 */
export function fullwidthToAscii(s: string): string {
  return s.replace(/[\uff01-\uff5e\u3000]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

/** Upper-case a–z only: JS and DuckDB upper() disagree on non-ASCII (ß → SS vs ẞ). */
export function upperAscii(s: string): string {
  return s.replace(/[a-z]/g, (c) => c.toUpperCase());
}

/** Length in code points, which is what DuckDB's length() counts. */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

// ---- SQL twins (lowercase SQL; `x` is any VARCHAR expression) ----

/** SQL: trimBlank(x). */
export function sqlTrimBlank(x: string): string {
  return `trim(${x}, ${literal(BLANK_CHARS)})`;
}

/** SQL: fullwidthToAscii(x). */
export function sqlFullwidthToAscii(x: string): string {
  return `translate(${x}, ${literal(`${FULLWIDTH_CHARS}\u3000`)}, ${literal(`${FULLWIDTH_ASCII} `)})`;
}

/** SQL: upperAscii(x). */
export function sqlUpperAscii(x: string): string {
  return `translate(${x}, 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')`;
}

/** SQL: a VARCHAR list literal. */
export function sqlList(values: readonly string[]): string {
  return `[${values.map(literal).join(', ')}]`;
}
