// zod schemas of the canonical records, derived from the feed specs through the same conversion the SQL path
// applies. `RecordOf<'license'>` etc. are the TypeScript types of raw rows (without lineage columns).
import { z } from 'zod';
import { FEEDS, type FeedName, type FeedSpecs } from './feeds/index.ts';
import type { FeedSpec, RecordOf } from './fields.ts';
import { RECORD_REASONS } from './reasons.ts';
import { type Canonical, convertRecord } from './to-js.ts';

/** Parses a record of source texts keyed by canonical field into canonical values; issues carry `params.reason`. */
export function recordSchema<S extends FeedSpec>(feed: S) {
  const input = z.record(z.string(), z.string().nullable().optional());
  return input.transform((texts, ctx): RecordOf<S> => {
    const r = convertRecord(feed, texts);
    if (!r.ok) {
      const label = feed.fields[r.field]?.label ?? r.field;
      ctx.addIssue({
        code: 'custom',
        path: [r.field],
        message: `${label}：${RECORD_REASONS[r.reason as keyof typeof RECORD_REASONS] ?? r.reason}`,
        params: { reason: r.reason },
      });
      return z.NEVER;
    }
    return r.values as RecordOf<S>;
  });
}

export const RECORD_SCHEMAS = Object.fromEntries(Object.entries(FEEDS).map(([n, f]) => [n, recordSchema(f)])) as {
  [K in FeedName]: ReturnType<typeof recordSchema<FeedSpecs[K]>>;
};

/** e.g. `Canonical<'license'>`: the type of a validated licence record, from its zod schema. */
export type CanonicalRecord<K extends FeedName> = z.infer<(typeof RECORD_SCHEMAS)[K]>;
export type CanonicalValue = Canonical;
