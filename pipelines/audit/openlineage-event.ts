// The OpenLineage event shape (spec 2-0-2) and the naming this project uses: job namespace `jianguan`, tables in
// the namespace of their DuckDB file, run ids as name-based UUIDs so re-emitting a run never duplicates it.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { codeVersion } from '../../lib/version.ts';

export const JOB_NAMESPACE = 'jianguan';
const SPEC = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
/** Who wrote the event: this code at its version (a URN; the spec asks for a URI, not a web page). */
export const producer = () => `urn:jianguan:${codeVersion()}`;

export type EventType = 'START' | 'COMPLETE' | 'FAIL';

/** A name-based UUID (RFC 4122 version 5 layout over SHA-1) for a run of the given warehouse. */
export function runUuid(db: string, runId: number, job = ''): string {
  const h = createHash('sha1')
    .update(`jianguan|${resolve(db)}|${runId}|${job}`)
    .digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export const facet = (schema: string, body: Record<string, unknown>) => ({ _producer: producer(), _schemaURL: schema, ...body });

/** The namespace of the warehouse's tables (one DuckDB file on one host). */
export function warehouseNamespace(db: string): string {
  return `duckdb://${hostname()}${resolve(db)}`;
}

export interface DatasetRef {
  namespace: string;
  name: string;
  facets?: Record<string, unknown>;
  outputFacets?: Record<string, unknown>;
}

export interface RunEvent {
  eventType: EventType;
  eventTime: string;
  run: { runId: string; facets: Record<string, unknown> };
  job: { namespace: string; name: string; facets: Record<string, unknown> };
  inputs: DatasetRef[];
  outputs: DatasetRef[];
  producer: string;
  schemaURL: string;
}

export function runEvent(
  e: Omit<RunEvent, 'producer' | 'schemaURL' | 'job'> & { job: string; jobType: 'JOB' | 'TASK'; jobFacets?: Record<string, unknown> },
): RunEvent {
  return {
    eventType: e.eventType,
    eventTime: e.eventTime,
    run: e.run,
    job: {
      namespace: JOB_NAMESPACE,
      name: e.job,
      facets: {
        jobType: facet('https://openlineage.io/spec/facets/2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet', {
          processingType: 'BATCH',
          integration: 'JIANGUAN',
          jobType: e.jobType,
        }),
        ...e.jobFacets,
      },
    },
    inputs: e.inputs,
    outputs: e.outputs,
    producer: producer(),
    schemaURL: SPEC,
  };
}
