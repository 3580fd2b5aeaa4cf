// Inputs on which macros.test.ts holds the SQL macros to the JS validators: every documented example, edge cases,
// and deterministic pseudo-random strings near the boundaries (valid codes with one character changed, dates in
// every shape with impossible days, amounts at the precision limits). Deterministic so a failure reproduces.

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { ART9_CLASSES, LEGACY_2016_CATEGORIES, PENALTY_SYNONYMS } from '../schemas/validators/penalty-categories.ts';
import { PROVINCE_PREFIXES, REGIONS } from '../schemas/validators/regions.ts';
import { Gen, toFullwidth, wrapBlank } from './gen.ts';

export { rng } from './gen.ts';

import { DEPT_CATEGORY_PAIRS, makeUscc, USCC_ALPHABET, USCC_PLACEHOLDER, usccCheckChar } from '../schemas/validators/uscc.ts';

// ---- credit codes ----

export function usccVectors(): string[] {
  const rows = parse(readFileSync(new URL('../schemas/reference/uscc_test_vectors.csv', import.meta.url), 'utf8'), {
    columns: true,
    bom: true,
  }) as { code: string }[];
  return rows.map((r) => r.code);
}

// biome-ignore format: a table of data, laid out by hand
export const USCC_EDGE_CASES: readonly string[] = [
  '',
  ' ',
  '\u3000',
  '\t\n',
  USCC_PLACEHOLDER,
  ` ${USCC_PLACEHOLDER} `,
  '00000000000000000x',
  '000000000000000000',
  '９１４４０３００１９２３１７４５８Ｆ',
  '9144030019231745８ｆ',
  '\ufeff91440300192317458F\u200b',
  '91440300192317458F ',
  '9144030019231745 8F',
  '9144030019231745\u30008F',
  '9144030019231745😀F',
  '9144030019231745e\u0301F',
  '91440300192317458FF',
  '91440300192317458',
  'ß1440300192317458F',
  '9I440300192317458F',
  '91440300I92317458F',
  '914403001923174Z8F',
  '9113010AMA07XQNN9N',
  'Z1130105MA07XQNN9N',
  '91130105MA07XQNNAN',
  '91139999192317457C',
  '944403001923174580',
  'A1000000MA0000001X',
  'Y1100000MA00000010',
  'N9130105MA07XQNN9N',
  '10000000000000000X',
];

export function usccInputs(n: number): string[] {
  const g = new Gen(20_240_305);
  const hebei = [...REGIONS.keys()];
  const others = PROVINCE_PREFIXES.filter((p) => p !== '13');
  const mutationChars = `${USCC_ALPHABET}IOSVZabcxyz０Ｆｆ -年`;
  const out: string[] = [...usccVectors(), ...USCC_EDGE_CASES];
  for (let i = 0; i < n; i++) {
    const pair = g.chance(0.85) ? g.pick(DEPT_CATEGORY_PAIRS) : g.char(USCC_ALPHABET) + g.char(USCC_ALPHABET);
    const roll = g.next();
    const area =
      roll < 0.4 ? g.pick(hebei) : roll < 0.6 ? g.pick(others) + g.digits(4) : roll < 0.8 ? `13${g.digits(4)}` : roll < 0.85 ? '100000' : g.digits(6);
    let body = '';
    for (let j = 0; j < 8; j++) body += g.char(USCC_ALPHABET);
    let code = makeUscc(pair + area, body);
    const m = g.next();
    if (m < 0.3) {
      // unchanged
    } else if (m < 0.55) {
      const at = g.int(0, 17);
      code = code.slice(0, at) + g.char(mutationChars) + code.slice(at + 1);
    } else if (m < 0.7) {
      // break the organisation code but keep MOD 31 right, like 91440300192317457C: only the embedded check sees it
      const at = g.int(8, 16);
      const first17 = code.slice(0, at) + g.char(USCC_ALPHABET) + code.slice(at + 1, 17);
      code = first17 + usccCheckChar(first17);
    } else if (m < 0.78) {
      code = code.toLowerCase();
    } else if (m < 0.84) {
      code = toFullwidth(code, g);
    } else if (m < 0.89) {
      const at = g.int(0, 17);
      code = code.slice(0, at) + code.slice(at + 1);
    } else if (m < 0.94) {
      const at = g.int(0, 18);
      code = code.slice(0, at) + g.char(USCC_ALPHABET) + code.slice(at);
    } else {
      code = wrapBlank(code, g);
    }
    out.push(code);
  }
  return out;
}

// ---- dates ----

// biome-ignore format: a table of data, laid out by hand
export const DATE_EDGE_CASES: readonly string[] = [
  '2024-03-05', '2024-3-5', '2024/03/05', '2024/3/5', '2024.3.5', '2024年3月5日', '2024年03月05日', '20240305',
  '2024-03-05T10:00:00', '2024-03-05T10:00:00+08:00', '2024-03-05 10:00:00', '2024/3/5 10:00', '2024-03-05T23:59:59.123Z',
  '45356', '45356.5', '1', '59', '60', '61', '0', '0.5', '73049', '73050', '73051', '99999', '00060', '045356',
  '2099-12-31', '2099/12/31', '2099年12月31日', '20991231', '2099-12-31 00:00:00', '长期', '长期有效', '永久', '无固定期限',
  ' 长期 ', '长期 有效', '2024-02-30', '2023-02-29', '1900-02-29', '2000-02-29', '2024-13-01', '2024-00-10', '2024-01-00',
  '1899-12-31', '1900-01-01', '2100-12-31', '2101-01-01', '0000-01-01', '9999-12-31', '20241301', '', ' ', '\u3000',
  'abc', '2024-03', '2024-03/05', '24-03-05', '2024/03/05 25:00', '2024-03-05T10', '２０２４-03-05', '2024年3月5',
  '2024-03-05x', '2024-03-05 10:00:00 extra', '2024-3-5\n', '2024-03-05T10:00:00+0800', '2024-03-05T10:00:00+08',
  '2024-3-005', '2024--3-5', '2024-03-05  10:00',
];

export function dateInputs(n: number): string[] {
  const g = new Gen(19_000_229);
  const out: string[] = [...DATE_EDGE_CASES];
  const times = ['', 'T10:00:00', ' 10:00', 'T10:00:00+08:00', 'T23:59:59.5Z', ' 24:00', ' 9:05:07', 'T10:00:00-05:30', '  08:00'];
  for (let i = 0; i < n; i++) {
    const kind = g.next();
    if (kind < 0.7) {
      const y = g.chance(0.9) ? g.int(1895, 2105) : g.int(0, 9999);
      const m = g.chance(0.9) ? g.int(1, 12) : g.int(0, 19);
      const d = g.chance(0.8) ? g.int(1, 28) : g.int(0, 32);
      const yy = String(y).padStart(4, '0');
      const p2 = (v: number) => (g.chance(0.5) ? String(v).padStart(2, '0') : String(v));
      const f = g.int(0, 7);
      let s =
        f === 0
          ? `${yy}-${p2(m)}-${p2(d)}`
          : f === 1
            ? `${yy}/${p2(m)}/${p2(d)}`
            : f === 2
              ? `${yy}.${p2(m)}.${p2(d)}`
              : f === 3
                ? `${yy}年${p2(m)}月${p2(d)}日`
                : f === 4
                  ? `${yy}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`
                  : f === 5
                    ? `${yy}${g.char('-/.')}${p2(m)}${g.char('-/.')}${p2(d)}`
                    : f === 6
                      ? '2099-12-31'
                      : `${yy}-${p2(m)}-${p2(d)}`;
      if (g.chance(0.3)) s += g.pick(times);
      if (g.chance(0.1)) s = wrapBlank(s, g);
      out.push(s);
    } else if (kind < 0.9) {
      let s = String(g.chance(0.9) ? g.int(0, 80_000) : g.int(0, 999_999));
      if (g.chance(0.3)) s += `.${g.digits(g.int(0, 3))}`;
      if (g.chance(0.05)) s = `0${s}`;
      out.push(s);
    } else {
      let s = '';
      const len = g.int(1, 12);
      for (let j = 0; j < len; j++) s += g.char('0123456789-/.年月日T: 长期Z+');
      out.push(s);
    }
  }
  return out;
}

// ---- amounts ----

// biome-ignore format: a table of data, laid out by hand
export const AMOUNT_EDGE_CASES: readonly string[] = [
  '0.2', '0.000001', '1', '2000', '2,000.5', '1,234,567.89', '２，０００．５', '2000元', '0.2万元', '0.2 万', '+5', '0', '-0',
  '-0.00', '007', '1.500', '1.1234560', ' 12.5\u3000', '9999999999999999.99', '999999999999.999999', '10000000000000000',
  '1000000000000', '-1', '-0.01', '-0.2万元', '0.001', '0.0000001', '1.005元', 'abc', '1.2.3', '1,00', '1000,000', '.5',
  '5.', '1e5', '¥5', '5 美元', '5元元', '--5', '1 000', '万元', '', ' ', '0.07', '123456789012.345678', '0000000000000000000001',
  '00000000000000000000.01', '9999999999999999.995', '99999999999999999', '1,000万元', '１２万元',
];

export function amountInputs(n: number): string[] {
  const g = new Gen(2_000_050);
  const out: string[] = [...AMOUNT_EDGE_CASES];
  const suffixes = ['', '', '', '元', '万元', '万', ' 元', ' 万元', '美元', '圆'];
  for (let i = 0; i < n; i++) {
    const sign = g.pick(['', '', '', '', '-', '+', '--']);
    let int = g.digits(g.chance(0.05) ? 0 : g.int(1, g.chance(0.2) ? 20 : 8));
    if (g.chance(0.1)) int = `00${int}`;
    if (g.chance(0.2) && int.length > 3) {
      // thousands grouping, occasionally wrong
      const groups: string[] = [];
      let rest = int;
      while (rest.length > 3) {
        groups.unshift(rest.slice(-3));
        rest = rest.slice(0, -3);
      }
      groups.unshift(rest);
      int = groups.join(',');
      if (g.chance(0.2)) int = int.replace(',', '');
    }
    let frac = g.chance(0.6) ? g.digits(g.int(0, 8)) : '';
    if (g.chance(0.2)) frac += '000';
    let s = sign + int + (frac !== '' || g.chance(0.05) ? `.${frac}` : '') + g.pick(suffixes);
    if (g.chance(0.05)) s = toFullwidth(s, g);
    if (g.chance(0.05)) s = wrapBlank(s, g);
    out.push(s);
  }
  return out;
}

// ---- penalty categories ----

// biome-ignore format: a table of data, laid out by hand
export const PENALTY_EDGE_CASES: readonly string[] = [
  ...LEGACY_2016_CATEGORIES,
  ...ART9_CLASSES,
  '', ' ', '、', '1', '0', '9', '1,2', '警告、2', '其他（需注明）：责令改正', '警告、其他(责令改正、公开道歉)', '其他-责令改正',
  '罚款（2000元）、警告', '罚款（未闭合、警告', 'toString', '__proto__', '法律', '法律，行政法规规定的其他行政处罚',
  '罚款\n警告', '罚款\u3000\u3000警告', '罚款||警告', ' 罚款 ', '吊销营业执照', '责令停产、责令停业',
];

export function penaltyInputs(n: number): string[] {
  const g = new Gen(2021);
  const tokens = [
    ...Object.keys(PENALTY_SYNONYMS),
    ...LEGACY_2016_CATEGORIES,
    ...ART9_CLASSES,
    '其他：责令改正',
    '其他(公开道歉)',
    '责令改正',
    '1',
    '3',
    'abc',
    '罚金',
  ];
  const delimiters = [',', '，', '、', ';', '；', '/', '|', ' ', '\u3000', '、 ', ',,', '\t'];
  const out: string[] = [...PENALTY_EDGE_CASES];
  for (let i = 0; i < n; i++) {
    const k = g.int(1, 4);
    let s = g.pick(tokens);
    for (let j = 1; j < k; j++) s += g.pick(delimiters) + g.pick(tokens);
    if (g.chance(0.1)) s += `（${g.pick(['注', '2000元', '、'])}）`;
    if (g.chance(0.1)) s = wrapBlank(s, g);
    out.push(s);
  }
  return out;
}

// ---- identifiers and areas ----

export function identifierInputs(n: number): string[] {
  const g = new Gen(4_403_011);
  const out: string[] = ['4.40301E+17', '9.1130105E+17', '1.30105E17', '1.30105e17', '-1.2E-5', '+3E+2', ' 4.40301E+17 ', '', 'E+17', '1..2E3'];
  for (let i = 0; i < n; i++) {
    const kind = g.next();
    if (kind < 0.4)
      out.push(
        `${g.pick(['', '-', '+'])}${g.digits(g.int(0, 2))}${g.chance(0.7) ? `.${g.digits(g.int(0, 8))}` : ''}${g.char('eE')}${g.pick(['', '+', '-'])}${g.digits(g.int(0, 2))}`,
      );
    else if (kind < 0.8) out.push(g.digits(g.int(0, 18)));
    else out.push(wrapBlank(g.digits(g.int(1, 8)) + g.pick(['', 'A', '.5', 'E']), g));
  }
  return out;
}

export function areaInputs(n: number): string[] {
  const g = new Gen(130_533);
  const out: string[] = [...REGIONS.keys(), '100000', '139999', '990000', '710000', '13053', '1305333', '13053A', '', '１３０５３３'];
  for (let i = 0; i < n; i++) {
    const kind = g.next();
    out.push(kind < 0.4 ? `13${g.digits(4)}` : kind < 0.8 ? g.digits(6) : g.digits(g.int(0, 8)));
  }
  return out;
}
