// Fault injection for the run kernel's tests (and for anyone who wants to see a failure handled): with
// JIANGUAN_FAULT=<step>[,<step>…] the named kernel steps throw `injected-fault` where they would otherwise start.
// Steps: openlineage-start, work, checks, history, publish, finish, manifest, openlineage; and publish-swap (inside
// publish, after the snapshot is copied and before it is swapped in). With JIANGUAN_KILL=<step> the process kills
// itself with SIGKILL there instead (what a crash or `kill -9` does: no cleanup runs).
// Load steps (injectBatchFault in pipelines/ingest/parts.ts), for the n-th batch this process writes (1-based),
// inside its transaction after its batch id is taken and its rows are inserted, before the commit:
//   batch-write:<n>  throws a disk-full error there (a write error of the warehouse: the load stops);
//   batch-kill:<n>   the process SIGKILLs itself there.
// And file-change:<n> (injectFileChange, same file): the n-th planned file grows by a copy of its last line right
// after its fingerprint, before its scan: the batch must fail with file-changed.
import { JianguanError } from '../../lib/errors.ts';

export const STEPS = ['openlineage-start', 'work', 'checks', 'history', 'publish', 'finish', 'manifest', 'openlineage'] as const;
export type Step = (typeof STEPS)[number];
/** Points inside a step where a fault can be injected too. */
export type FaultPoint = Step | 'publish-swap';

const listed = (name: string, point: FaultPoint) =>
  (process.env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .includes(point);

export function injectFault(step: FaultPoint): void {
  if (listed('JIANGUAN_KILL', step)) process.kill(process.pid, 'SIGKILL');
  if (listed('JIANGUAN_FAULT', step)) throw new JianguanError('injected-fault', `injected fault at step ${step} (JIANGUAN_FAULT)`);
}
