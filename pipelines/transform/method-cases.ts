// The risk method's worked examples: small situations, each one entity, with the factors and alerts the marts
// must give as of METHOD_AS_OF under the default risk config (the cases are in method-cases-events.ts and
// method-cases-licences.ts). method-cases.test.ts loads them into a warehouse and checks every number; docs.ts
// prints them in sql/README-models.md. Dates are chosen on the boundaries: the examples are the boundary rules, tested.
import type { MethodCase } from './method-case-kit.ts';
import { VISIT_AND_PENALTY_CASES } from './method-cases-events.ts';
import { LICENCE_AND_LISTING_CASES } from './method-cases-licences.ts';

export { METHOD_AS_OF, type MethodCase } from './method-case-kit.ts';

export const METHOD_CASES: readonly MethodCase[] = [...VISIT_AND_PENALTY_CASES, ...LICENCE_AND_LISTING_CASES];
