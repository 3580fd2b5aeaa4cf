// The fuzzer's vocabulary: a template (a real generated landing file and the source that reads it), a mutator
// (damages a template, deterministically from a seed), and a recipe (everything needed to make the same input again).
import type { Rng } from '../../fixtures/generator/prng.ts';
import type { CONNECTORS } from '../../schemas/sources-config.ts';

export type ConnectorKind = (typeof CONNECTORS)[number];

/** A template's records as parsed from its CSV: the header and the data rows (what the other formats are made from). */
export interface Table {
  header: string[];
  rows: string[][];
}

/** The source config entry as the generator wrote it (plain JSON; the fuzzer overrides a few keys). */
export type SourceEntry = Record<string, unknown> & { id: string; feed: string; encoding?: string };

export interface Template {
  /** Path under the corpus landing dir (the generator's own layout). */
  rel: string;
  source: SourceEntry;
  bytes: Buffer;
  /** The encoding the bytes are in (the generator's manifest), and whether they start with a UTF-8 BOM. */
  encoding: 'utf-8' | 'gbk' | 'gb18030';
  bom: boolean;
  /** Data records in the file, as the manifest counts them. */
  records: number;
  /** The connector reading it (the source entry's `connector`), and its records when made from a CSV template. */
  connector: ConnectorKind;
  table?: Table;
}

export interface Mutated {
  /** The damaged file's bytes; or, for big inputs, a writer that streams it to a path (never held in memory). */
  bytes?: Buffer;
  write?: (path: string) => Promise<void>;
  /** Approximate size of a streamed input (sets its time limit). */
  size?: number;
  /** Keys of the source entry this input is declared with (encoding, delimiter, quote). */
  source?: Partial<Record<'encoding' | 'delimiter' | 'quote', string>> & { json?: { record_path: string }; xlsx?: Record<string, unknown> };
  /** The damage keeps every record: the file must load, reading exactly the template's records. */
  sameRecords?: boolean;
  /** What was done, for people (offsets, bytes). */
  note: string;
}

export interface Mutator {
  name: string;
  /** A 100 MB field, 10,000 columns, a 1 GB line: one of each per full run, not drawn at random. */
  big?: boolean;
  /** Mutate `t`; every random choice comes from `rng`, so a recipe reproduces it. */
  mutate(t: Template, rng: Rng): Mutated;
}

export interface Recipe {
  /** The generator's seed for the template corpus. */
  corpusSeed: number;
  template: string;
  mutator: string;
  seed: number;
  note: string;
  source: SourceEntry;
  sameRecords: boolean;
  templateRecords: number;
  connector?: ConnectorKind;
}
