// Fault injection for the run kernel's tests (and for anyone who wants to see a failure handled): with
// JIANGUAN_FAULT=<step>[,<step>…] the named kernel steps throw `injected-fault` where they would otherwise start.
// Steps: openlineage-start, work, checks, history, publish, finish, manifest, openlineage.
// Load steps (injectBatchFault in pipelines/ingest/parts.ts), for the n-th batch this process writes (1-based),
// inside its transaction after its batch id is taken and its rows are inserted, before the commit:
//   batch-write:<n>  throws a disk-full error there (a write error of the warehouse: the load stops);
//   batch-kill:<n>   the process SIGKILLs itself there.
import { JianguanError } from '../../lib/errors.ts';

export const STEPS = ['openlineage-start', 'work', 'checks', 'history', 'publish', 'finish', 'manifest', 'openlineage'] as const;
export type Step = (typeof STEPS)[number];

function wanted(): string[] {
  return (process.env.JIANGUAN_FAULT ?? '').split(',').map((s) => s.trim());
}

export function injectFault(step: Step): void {
  if (wanted().includes(step)) throw new JianguanError('injected-fault', `injected fault at step ${step} (JIANGUAN_FAULT)`);
}
