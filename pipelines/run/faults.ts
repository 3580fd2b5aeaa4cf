// Fault injection for the run kernel's tests (and for anyone who wants to see a failure handled): with
// JIANGUAN_FAULT=<step>[,<step>…] the named kernel steps throw `injected-fault` where they would otherwise start.
// Steps: openlineage-start, work, checks, history, publish, finish, manifest, openlineage.
import { JianguanError } from '../../lib/errors.ts';

export const STEPS = ['openlineage-start', 'work', 'checks', 'history', 'publish', 'finish', 'manifest', 'openlineage'] as const;
export type Step = (typeof STEPS)[number];

export function injectFault(step: Step): void {
  const wanted = (process.env.JIANGUAN_FAULT ?? '').split(',').map((s) => s.trim());
  if (wanted.includes(step)) throw new JianguanError('injected-fault', `injected fault at step ${step} (JIANGUAN_FAULT)`);
}
