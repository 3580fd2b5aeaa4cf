// The field vocabulary of the canonical feed schemas. Each feed (schemas/feeds/*.ts) is a list of these
// specs; from that one definition come the raw table DDL, the SQL that validates and converts CSV text
// on ingest (schemas/to-sql.ts), the zod record schemas (schemas/to-zod.ts) and the documentation.

export interface EnumOption {
  /** The stored canonical value. */
  code: string;
  /** The Chinese label (also accepted as input). */
  label: string;
  /** Other spellings accepted as input (legacy codes, short forms). */
  aliases?: readonly string[];
}

export type FieldKind =
  /** Free text, trimmed; empty → NULL. */
  | { kind: 'text'; max?: number }
  /** An identifier (licence number, case number): Excel-mangled values are rejected. */
  | { kind: 'code'; max?: number; pattern?: string; digits?: number }
  /** Unified social credit code: normalised, both check characters, dept/category, area. Placeholder → NULL. */
  | { kind: 'uscc' }
  /** GB/T 2260 six-digit region code. */
  | { kind: 'region' }
  /** A calendar date in any accepted spelling; with openEnded, 2099-12-31/长期 → NULL (no end). */
  | { kind: 'date'; openEnded?: boolean }
  /** Money, stored in yuan with 2 decimals; `unit` is what the feed sends unless the text says otherwise. */
  | { kind: 'amount'; unit: 'wan' | 'yuan' }
  | { kind: 'integer'; min?: number; max?: number }
  | { kind: 'boolean' }
  /** One value (or, with multi, a separator-joined list) from a code list. `exclusive` codes must stand alone. */
  | { kind: 'enum'; options: readonly EnumOption[]; multi?: boolean; exclusive?: readonly string[] }
  /** 处罚类别 free text mapped by name to the canonical penalty types (2016 and 2021 lists). */
  | { kind: 'penalty-types' }
  /** A separator-joined list of names (e.g. inspectors), stored as VARCHAR[]; fewer than `min` → `minReason`. */
  | { kind: 'list'; min?: number; minReason?: string };

export type Requirement =
  | boolean
  /** Required when another field's canonical value is one of `in`. */
  | { field: string; in: readonly string[] }
  /** Required when the (uscc) field `field` carried the 00000000000000000X placeholder. */
  | { field: string; placeholder: true };

export type FieldSpec = FieldKind & {
  /** Chinese label, used in messages and as an accepted header. */
  label: string;
  /** National standard field codes accepted as headers (XK_*, CF_*). */
  std?: readonly string[];
  /** Other headers accepted without configuration. */
  aliases?: readonly string[];
  required?: Requirement;
  description?: string;
};

export interface RowRule {
  /** Reason code from schemas/reasons.ts. */
  reason: string;
  /** The field the reject names. */
  field: string;
  /** SQL boolean over the converted values (plain column names) that is TRUE when the record breaks the rule. */
  sql: string;
  /** The same rule over a converted JS record; true when broken. */
  js: (r: Record<string, unknown>) => boolean;
  message: string;
}

export interface FeedSpec {
  /** Feed kind, also the raw table name: raw.<name>. */
  name: string;
  label: string;
  family: 'inspection' | 'license' | 'credit';
  /** Natural key of a real-world record (used by core to merge versions reported by several levels). */
  naturalKey: readonly string[];
  fields: Readonly<Record<string, FieldSpec>>;
  rules?: readonly RowRule[];
}

export function defineFeed<const S extends FeedSpec>(spec: S): S {
  for (const [name, f] of Object.entries(spec.fields)) {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`${spec.name}.${name}: field names are snake_case`);
    if (typeof f.required === 'object' && !(f.required.field in spec.fields)) {
      throw new Error(`${spec.name}.${name}: required-when refers to unknown field ${f.required.field}`);
    }
  }
  for (const k of spec.naturalKey) {
    if (!(k in spec.fields)) throw new Error(`${spec.name}: natural key field ${k} is not a field`);
  }
  return spec;
}

/**
 * Code-list kinds whose unknown value, in an optional field, keeps the record: the field is stored NULL and the
 * record carries an `enum-unknown` warning instead of being rejected (a cosmetic field must not drop a record).
 */
export const LENIENT_KINDS: ReadonlySet<FieldKind['kind']> = new Set(['enum', 'boolean', 'penalty-types']);

/** The reason code of a value that is in no code list; lenient fields turn it into a warning. */
export const UNKNOWN_CODE = 'enum-invalid';

/** True when an unknown code in this field is a warning: a lenient kind, and not required (not even conditionally). */
export function lenientField(f: FieldSpec): boolean {
  return !f.required && LENIENT_KINDS.has(f.kind);
}

/** Text before the raw value in the `_warnings` entry of a lenient field's unknown code: `enum-unknown:<field>=<text>`. */
export function unknownCodeWarningPrefix(field: string): string {
  return `enum-unknown:${field}=`;
}

/** Separators accepted between the values of multi-valued fields. */
export const LIST_SEPARATORS = [',', '，', '、', ';', '；', '/', '|'] as const;

/** The canonical JS value of a field kind (dates and amounts as ISO / decimal strings). */
export type ValueOf<F extends FieldSpec> = F extends { kind: 'integer' }
  ? number
  : F extends { kind: 'boolean' }
    ? boolean
    : F extends { kind: 'enum'; multi: true }
      ? string[]
      : F extends { kind: 'penalty-types' | 'list' }
        ? string[]
        : string;

/** A canonical record of a feed: every field, NULL when absent. */
export type RecordOf<S extends FeedSpec> = { -readonly [K in keyof S['fields']]: ValueOf<S['fields'][K]> | null };
