// Hebei area codes for USCC positions 3–8. A code keeps the area of the office that issued it, so retired and
// de-facto codes (supplement) stay valid forever; codes of other provinces are accepted on their prefix alone
// because entities registered elsewhere operate in Hebei and we hold no list for them.

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { packagePath } from '../../lib/paths.ts';

export interface Region {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
  /** true: in today's GB/T 2260 list; false: supplement (retired, NBS functional zone, 雄安 133100, 1390xx). */
  current: boolean;
}

/** GB/T 2260 province-level prefixes (the first two digits). */
export const PROVINCE_PREFIXES: readonly string[] = [
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
];

/** Our own province: only listed codes count. */
export const HOME_PREFIX = '13';

/** Used for national-level registrations (an assumption: no standard names a code for them). */
export const NATIONAL_AREA = '100000';

function load(file: string, current: boolean): Region[] {
  const text = readFileSync(packagePath('schemas', 'reference', file), 'utf8');
  const rows = parse(text, { columns: true, bom: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  return rows.map((r) => {
    const code = r.code ?? '';
    if (!/^\d{6}$/.test(code)) throw new Error(`${file}: bad region code ${JSON.stringify(code)}`);
    return { code, name: r.name ?? '', level: r.level ?? '', parentCode: r.parent_code || null, current };
  });
}

function build(): ReadonlyMap<string, Readonly<Region>> {
  const map = new Map<string, Readonly<Region>>();
  // current first: 130502, 130503 and 130602 are in both files (renamed, code kept) and read as current
  for (const r of [...load('hebei_regions.csv', true), ...load('hebei_regions_supplement.csv', false)]) {
    if (!map.has(r.code)) map.set(r.code, Object.freeze(r));
  }
  return map;
}

/** Hebei regions: current list ∪ supplement, keyed by 6-digit code. */
export const REGIONS: ReadonlyMap<string, Readonly<Region>> = build();

const OTHER_PREFIXES = new Set(PROVINCE_PREFIXES.filter((p) => p !== HOME_PREFIX));

/** Whether a 6-digit code may stand as the registering area of a credit code. */
export function isKnownArea(code: string): boolean {
  if (!/^[0-9]{6}$/.test(code)) return false;
  return REGIONS.has(code) || OTHER_PREFIXES.has(code.slice(0, 2)) || code === NATIONAL_AREA;
}
