// Generates schemas/FEEDS.md, the field reference of every canonical feed, from the feed specs.

import { FEEDS } from './feeds/index.ts';
import { type FeedSpec, type FieldSpec, LENIENT_KINDS, lenientField } from './fields.ts';
import { FILE_REASONS, RECORD_REASONS, WARNING_REASONS } from './reasons.ts';
import { sqlType } from './sql-types.ts';

function kindText(f: FieldSpec): string {
  switch (f.kind) {
    case 'text':
      return f.max ? `text ≤ ${f.max}` : 'text';
    case 'code':
      return ['identifier', f.digits ? `${f.digits} digits` : '', f.pattern ? `\`${f.pattern}\`` : '', f.max ? `≤ ${f.max}` : '']
        .filter(Boolean)
        .join(', ');
    case 'uscc':
      return '统一社会信用代码 (both checks, placeholder → NULL)';
    case 'region':
      return 'GB/T 2260 code';
    case 'date':
      return f.openEnded ? 'date (2099-12-31/长期 → NULL = open-ended)' : 'date';
    case 'amount':
      return f.unit === 'wan' ? 'amount in 万元 → yuan' : 'amount in yuan';
    case 'integer':
      return `integer${f.min !== undefined ? ` ${f.min}–${f.max ?? ''}` : ''}`;
    case 'boolean':
      return 'yes/no';
    case 'enum': {
      const codes = f.options.map((o) => (o.code === o.label ? o.code : `${o.code} ${o.label}`)).join('; ');
      return `${f.multi ? 'codes (several, joined by , 、 ; /)' : 'code'}: ${codes}${f.exclusive?.length ? ` (${f.exclusive.join(', ')} stands alone)` : ''}`;
    }
    case 'penalty-types':
      return '处罚类别, mapped by name (2016 and 2021 lists)';
    case 'list':
      return `list (joined by , 、 ; /)${f.min ? `, at least ${f.min}` : ''}`;
  }
}

function required(f: FieldSpec): string {
  const r = f.required;
  if (!r) return lenientField(f) ? 'no: unknown code → NULL + `enum-unknown` warning' : '';
  if (r === true) return 'yes';
  if ('placeholder' in r) return `if ${r.field} is the placeholder`;
  return `if ${r.field} ∈ {${r.in.join(', ')}}`;
}

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

function feedSection(feed: FeedSpec): string {
  const rows = Object.entries(feed.fields).map(([name, f]) =>
    [name, f.label, [...(f.std ?? []), ...(f.aliases ?? [])].join(', '), sqlType(f), kindText(f), required(f)].map(cell).join(' | '),
  );
  const rules = (feed.rules ?? []).map((r) => `- \`${r.reason}\` on \`${r.field}\`: ${r.message} (\`${r.sql}\`)`);
  return [
    `## \`raw.${feed.name}\`: ${feed.label}`,
    '',
    `Natural key: ${feed.naturalKey.map((k) => `\`${k}\``).join(' + ')}.`,
    '',
    '| field | 中文 | headers accepted without config | type | rule | required |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
    ...(rules.length ? ['', 'Record rules:', ...rules] : []),
    '',
  ].join('\n');
}

export function feedsMarkdown(): string {
  return [
    '# Canonical feeds',
    '',
    'Generated from `schemas/feeds/*.ts` by `npm run schema`; do not edit by hand.',
    'Every raw table also has `_batch_id`, `_record_no`, `_source_line`, `_row_hash` and `_warnings`.',
    '',
    ...Object.values(FEEDS).map(feedSection),
    '## Reject reasons (`meta.rejects.reason_code`)',
    '',
    '| code | 说明 |',
    '|---|---|',
    ...Object.entries(RECORD_REASONS).map(([c, t]) => `| \`${c}\` | ${t} |`),
    '',
    '## Warnings (`raw.<feed>._warnings`; the record loads, `meta.batches.rows_warned` counts it)',
    '',
    `An unknown value in a field that is not required (not even conditionally) and of kind ${[...LENIENT_KINDS].map((k) => `\`${k}\``).join(', ')}`,
    'keeps the record: the field is stored NULL and `_warnings` gets `enum-unknown:<field>=<source text>`. Required fields reject (`enum-invalid`).',
    '',
    '| code | 说明 |',
    '|---|---|',
    ...Object.entries(WARNING_REASONS).map(([c, t]) => `| \`${c}\` | ${t} |`),
    '',
    '## File failures (`meta.batches.error_code`, status `failed`)',
    '',
    '| code | 说明 |',
    '|---|---|',
    ...Object.entries(FILE_REASONS).map(([c, t]) => `| \`${c}\` | ${t} |`),
    '',
  ].join('\n');
}
