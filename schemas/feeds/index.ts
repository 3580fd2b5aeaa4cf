// The explicit list of feed kinds (no registration by import side effect).
import type { FeedSpec } from '../fields.ts';
import { abnormalOperation } from './abnormal-operation.ts';
import { creditRating } from './credit-rating.ts';
import { dishonestDebtor } from './dishonest-debtor.ts';
import { inspection } from './inspection.ts';
import { license } from './license.ts';
import { penalty } from './penalty.ts';
import { seriousViolation } from './serious-violation.ts';

const SPECS = {
  inspection,
  license,
  penalty,
  dishonest_debtor: dishonestDebtor,
  abnormal_operation: abnormalOperation,
  serious_violation: seriousViolation,
  credit_rating: creditRating,
} as const satisfies Record<string, FeedSpec>;

export type FeedName = keyof typeof SPECS;
/** The literal spec types, for deriving record types (schemas/to-zod.ts). */
export type FeedSpecs = typeof SPECS;
/** The feeds for general use: field names are plain strings here. */
export const FEEDS: { readonly [K in FeedName]: FeedSpec } = SPECS;
export const FEED_NAMES = Object.keys(FEEDS) as FeedName[];

export function feedSpec(name: FeedName): FeedSpec {
  return FEEDS[name];
}
