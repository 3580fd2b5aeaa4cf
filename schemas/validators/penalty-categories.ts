// 处罚类别 (CF_CFLB) arrives as free text joined with any punctuation, as the 2016 seven-value list, or as the
// 2021 行政处罚法 Art. 9 class strings. Everything maps by NAME onto one vocabulary of specific penalty types:
// the numeric codings differ between source systems (0–6 in one, 1–6 + 9 in others), so a bare number is rejected.
// The SQL twin (jg_penalty_*) is generated from the tables below.

import { BLANK_CHARS, trimBlank } from './text.ts';

/** 2016 "信用中国" spec, seven values. */
export const LEGACY_2016_CATEGORIES: readonly string[] = [
  '警告',
  '罚款',
  '没收违法所得、没收非法财物',
  '责令停产停业',
  '暂扣或者吊销许可证、暂扣或者吊销执照',
  '行政拘留',
  '其他（需注明）',
];

/** 行政处罚法 (2021) Art. 9, classes 1–6. */
export const ART9_CLASSES: readonly string[] = [
  '警告、通报批评',
  '罚款、没收违法所得、没收非法财物',
  '暂扣许可证件、降低资质等级、吊销许可证件',
  '限制开展生产经营活动、责令停产停业、责令关闭、限制从业',
  '行政拘留',
  '法律、行政法规规定的其他行政处罚',
];

export type Art9Class = 1 | 2 | 3 | 4 | 5 | 6;

/** Canonical penalty types in output order, each with its Art. 9 class. */
export const PENALTY_TYPES: readonly { readonly name: string; readonly artClass: Art9Class }[] = [
  { name: '警告', artClass: 1 },
  { name: '通报批评', artClass: 1 },
  { name: '罚款', artClass: 2 },
  { name: '没收违法所得', artClass: 2 },
  { name: '没收非法财物', artClass: 2 },
  { name: '暂扣许可证件', artClass: 3 },
  { name: '降低资质等级', artClass: 3 },
  { name: '吊销许可证件', artClass: 3 },
  { name: '限制开展生产经营活动', artClass: 4 },
  { name: '责令停产停业', artClass: 4 },
  { name: '责令关闭', artClass: 4 },
  { name: '限制从业', artClass: 4 },
  { name: '行政拘留', artClass: 5 },
  { name: '其他', artClass: 6 },
];

export const OTHER_TYPE = '其他';

/** Token (after splitting) → canonical type names. Tokens starting with 其他 map to 其他 without being listed. */
export const PENALTY_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(PENALTY_TYPES.map((t) => [t.name, [t.name]])),
  没收违法所得和非法财物: ['没收违法所得', '没收非法财物'],
  没收违法所得及非法财物: ['没收违法所得', '没收非法财物'],
  暂扣许可证: ['暂扣许可证件'],
  暂扣执照: ['暂扣许可证件'],
  暂扣营业执照: ['暂扣许可证件'],
  暂扣证照: ['暂扣许可证件'],
  暂扣许可证照: ['暂扣许可证件'],
  吊销许可证: ['吊销许可证件'],
  吊销执照: ['吊销许可证件'],
  吊销营业执照: ['吊销许可证件'],
  吊销证照: ['吊销许可证件'],
  吊销许可证照: ['吊销许可证件'],
  // the 2016 value "暂扣或者吊销许可证、暂扣或者吊销执照" does not say which one happened: record both
  暂扣或者吊销许可证: ['暂扣许可证件', '吊销许可证件'],
  暂扣或者吊销执照: ['暂扣许可证件', '吊销许可证件'],
  暂扣或吊销许可证: ['暂扣许可证件', '吊销许可证件'],
  暂扣或吊销执照: ['暂扣许可证件', '吊销许可证件'],
  暂扣或者吊销许可证件: ['暂扣许可证件', '吊销许可证件'],
  责令停产: ['责令停产停业'],
  责令停业: ['责令停产停业'],
  拘留: ['行政拘留'],
};

/** Art. 9 class 6 contains a 、 of its own; it is rewritten to 其他 before splitting. */
export const CLASS6_PATTERN = '法律[、,，]?行政法规规定的其他行政处罚';

/** Bracketed notes ("其他（需注明）", "罚款（2000元）") are dropped before splitting; not nested. */
export const BRACKET_PATTERN = '[（(][^）)]*[）)]';

const DELIMITERS = ',，、;；/|';

function regexClass(chars: string): string {
  return [...chars].map((c) => (/[\\\]^-]/.test(c) ? `\\${c}` : c)).join('');
}

/** One or more delimiters or blanks. */
export const SPLIT_PATTERN = `[${regexClass(DELIMITERS + BLANK_CHARS)}]+`;

const CLASS6_RE = new RegExp(CLASS6_PATTERN, 'g');
const BRACKET_RE = new RegExp(BRACKET_PATTERN, 'g');
const SPLIT_RE = new RegExp(SPLIT_PATTERN);
const ORDER = new Map(PENALTY_TYPES.map((t, i) => [t.name, i]));

export type PenaltyResult = { ok: true; types: string[] } | { ok: false; reason: 'enum-invalid'; message: string };

/** Tokens of a category field, in the order the SQL twin produces them. */
export function penaltyTokens(raw: string): string[] {
  return trimBlank(raw)
    .replace(CLASS6_RE, OTHER_TYPE)
    .replace(BRACKET_RE, '')
    .split(SPLIT_RE)
    .filter((t) => t !== '');
}

/** Canonical, de-duplicated types in vocabulary order. Blank → ok with no types. */
export function mapPenaltyCategories(raw: string): PenaltyResult {
  const found = new Set<string>();
  const unknown: string[] = [];
  for (const token of penaltyTokens(raw)) {
    const names = token.startsWith(OTHER_TYPE) ? [OTHER_TYPE] : Object.hasOwn(PENALTY_SYNONYMS, token) ? PENALTY_SYNONYMS[token] : undefined;
    if (names) for (const n of names) found.add(n);
    else unknown.push(token);
  }
  if (unknown.length > 0) {
    return { ok: false, reason: 'enum-invalid', message: `无法识别的处罚类别：${unknown.join('、')}` };
  }
  return { ok: true, types: [...found].sort((a, b) => ORDER.get(a)! - ORDER.get(b)!) };
}
