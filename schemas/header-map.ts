// Maps a file's header to canonical fields: the source's `columns` config first, then the field's own
// name, Chinese label, national code (XK_*, CF_*) and known aliases. Problems that make the whole
// file unreadable (duplicate, empty or forbidden headers, missing required columns) are reported here.
import type { FeedSpec } from './fields.ts';
import { columnsHint, describeMissing } from './header-hints.ts';
import type { FileReason } from './reasons.ts';

export interface HeaderSource {
  columns: Record<string, string | null>;
  constants: Record<string, string>;
  unknown_columns: 'ignore' | 'error';
}

export interface HeaderMapping {
  /** Canonical field per column index (null = ignored column). */
  fieldOfColumn: (string | null)[];
  /** Column index per mapped canonical field. */
  columnOfField: Map<string, number>;
  ignored: string[];
}

export type HeaderResult = { ok: true; mapping: HeaderMapping } | { ok: false; reason: FileReason; message: string };

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function key(s: string): string {
  return s.normalize('NFKC').trim().toLowerCase();
}

/** Every header spelling a feed understands without configuration, keyed by normalised spelling. */
export function knownHeaders(feed: FeedSpec): Map<string, string> {
  const known = new Map<string, string>();
  // Later entries never override earlier ones: field names and labels beat aliases.
  const add = (spelling: string, field: string) => {
    const k = key(spelling);
    if (!known.has(k)) known.set(k, field);
  };
  for (const [name, f] of Object.entries(feed.fields)) {
    add(name, name);
    add(f.label, name);
    for (const s of f.std ?? []) add(s, name);
  }
  for (const [name, f] of Object.entries(feed.fields)) for (const a of f.aliases ?? []) add(a, name);
  return known;
}

export function mapHeader(feed: FeedSpec, header: readonly string[], source: HeaderSource): HeaderResult {
  const configured = new Map(Object.entries(source.columns).map(([h, f]) => [key(h), f] as const));
  const known = knownHeaders(feed);
  const fieldOfColumn: (string | null)[] = [];
  const columnOfField = new Map<string, number>();
  const seen = new Map<string, number>();
  const ignored: string[] = [];

  for (let i = 0; i < header.length; i++) {
    const raw = header[i] ?? '';
    const h = key(raw);
    const col = `column ${i + 1}`;
    if (h === '') return { ok: false, reason: 'empty-header', message: `${col} has an empty header` };
    if (FORBIDDEN.has(h)) return { ok: false, reason: 'forbidden-header', message: `${col}: header "${raw}" is not allowed` };
    const prev = seen.get(h);
    if (prev !== undefined) {
      return { ok: false, reason: 'duplicate-header', message: `header "${raw}" appears in columns ${prev + 1} and ${i + 1}` };
    }
    seen.set(h, i);
    const field = configured.has(h) ? (configured.get(h) ?? null) : (known.get(h) ?? null);
    if (field === null) {
      if (!configured.has(h) && source.unknown_columns === 'error') {
        return { ok: false, reason: 'missing-columns', message: `${col}: header "${raw}" maps to no field of ${feed.name}` };
      }
      if (!configured.has(h)) ignored.push(raw);
      fieldOfColumn.push(null);
      continue;
    }
    const other = columnOfField.get(field);
    if (other !== undefined) {
      return {
        ok: false,
        reason: 'duplicate-header',
        message: `columns ${other + 1} ("${header[other]}") and ${i + 1} ("${raw}") both map to field ${field}`,
      };
    }
    columnOfField.set(field, i);
    fieldOfColumn.push(field);
  }

  const missing = Object.entries(feed.fields)
    .filter(([name, f]) => f.required === true && !columnOfField.has(name) && !(name in source.constants))
    .map(([name]) => name);
  if (missing.length) {
    // each missing field with the file's unmapped headers closest to it (schemas/header-hints.ts)
    const listed = missing.map((name) => describeMissing(feed, name, ignored)).join(', ');
    return { ok: false, reason: 'missing-columns', message: `required columns missing: ${listed}${columnsHint(feed, missing, ignored)}` };
  }
  return { ok: true, mapping: { fieldOfColumn, columnOfField, ignored } };
}
