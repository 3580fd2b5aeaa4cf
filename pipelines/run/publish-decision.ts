// Publishing never regresses what analysts see: marts as of a date earlier than the as-of of the snapshot already
// published (a backfill) are not published unless the command asks (`--publish`). The decision is a row of
// meta.publishes, part of the run's manifest and of its outcome.
import { errorMessage } from '../../lib/errors.ts';
import type { Logger } from '../../lib/log.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { publishedOf } from '../../warehouse/snapshot.ts';

/** What a run that rebuilt the marts did with the published snapshot (also a row of meta.publishes). */
export interface PublishDecision {
  published: boolean;
  /** The date the run's marts describe. */
  asOf: string;
  /** The as-of of the snapshot published before this run (null: none, or unknown). */
  previousAsOf: string | null;
  /** Why it was not published (null when it was). */
  reason: string | null;
}

/** Publish unless the snapshot already published describes a later date and the command did not force it. */
export async function decidePublish(
  wh: Warehouse,
  spec: { db: string; forcePublish?: boolean },
  asOf: string,
  log: Logger,
): Promise<PublishDecision> {
  if (spec.db === ':memory:') return { published: false, asOf, previousAsOf: null, reason: 'an in-memory warehouse has no snapshot' };
  // a snapshot that cannot be read says nothing to keep: it is replaced, as before there was this rule
  const previousAsOf = await publishedOf(wh, spec.db).then(
    (p) => p?.as_of ?? null,
    (err: unknown) => {
      log.warn({ step: 'publish' }, `the published snapshot could not be read, so it is replaced: ${errorMessage(err)}`);
      return null;
    },
  );
  if (previousAsOf !== null && asOf < previousAsOf && !spec.forcePublish) {
    const reason = `the published snapshot is as of ${previousAsOf}, newer than ${asOf}; use --publish to replace it`;
    return { published: false, asOf, previousAsOf, reason };
  }
  return { published: true, asOf, previousAsOf, reason: null };
}
