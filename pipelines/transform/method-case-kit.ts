// The shape of the risk method's worked examples (method-cases.ts) and the helpers the case files write them with.
import type { FeedName } from '../../schemas/feeds/index.ts';

export const METHOD_AS_OF = '2024-12-31';

export interface CaseRecord {
  feed: FeedName;
  /** The record's canonical fields; the test fills in the rest (names, numbers, authorities). */
  values: Record<string, string | number | string[] | null>;
  /** meta.batches.known_on of the file it came in (default 2024-11-30). */
  knownOn?: string;
}

export interface MethodCase {
  id: string;
  /** The factor or alert rule it illustrates (docs list it there). */
  rule: string;
  /** The entity_id its records name when that is not the case's own credit code (a 个体工商户's 注册号). */
  entityId?: string;
  story: string;
  records: CaseRecord[];
  /** mart.risk_factors of the entity (factor → points; none = absent) and the rules mart.risk_alerts fires for it. */
  factors: Record<string, number>;
  alerts: string[];
  why: string;
}

export const ins = (on: string, results: string[]): CaseRecord => ({ feed: 'inspection', values: { inspected_on: on, results } });
export const lic = (v: CaseRecord['values'], knownOn?: string): CaseRecord => ({ feed: 'license', values: v, ...(knownOn ? { knownOn } : {}) });
export const pen = (v: CaseRecord['values']): CaseRecord => ({ feed: 'penalty', values: v });
export const FOOD = '食品经营许可证';
