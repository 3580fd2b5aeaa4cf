// Identifiers that went through Excel: long digit strings become 4.40301E+17 (the digits past 15 are gone for
// good), and fixed-width codes lose their leading zeros. Neither can be repaired, only reported.

import { trimBlank } from './text.ts';

/** Scientific notation as Excel writes it; shared with jg_excel_mangled. */
export const SCIENTIFIC_SHAPE = '^[+-]?[0-9]+(?:\\.[0-9]+)?[eE][+-]?[0-9]+$';

const SCIENTIFIC_RE = new RegExp(SCIENTIFIC_SHAPE);

/** True for `4.40301E+17`, `9.1130105E+17`, `1.30105e17`, … */
export function excelMangled(raw: string): boolean {
  return SCIENTIFIC_RE.test(trimBlank(raw));
}

/** True when an all-digit value is shorter than its fixed width (e.g. 5-digit 01234 stored as a number). */
export function lostLeadingZeros(raw: string, digits: number): boolean {
  const t = trimBlank(raw);
  return /^[0-9]+$/.test(t) && t.length < digits;
}
