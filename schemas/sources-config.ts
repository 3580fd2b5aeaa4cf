// The sources config: one JSON file listing every department feed. zod-validated; a bad config exits 2
// listing every problem as `path: message`. `npm run schema` regenerates schemas/sources.schema.json.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, errorMessage } from '../lib/errors.ts';
import { FEED_NAMES, FEEDS, type FeedName } from './feeds/index.ts';
import { landingDirOf } from './landing-dir.ts';
import { REGIONS } from './validators/regions.ts';

export const LEVELS = ['province', 'city', 'county'] as const;
export type Level = (typeof LEVELS)[number];
export const LEVEL_LABELS: Record<Level, string> = { province: '省', city: '市', county: '县' };

export const ENCODINGS = ['utf-8', 'gbk', 'gb18030', 'auto'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export const CONNECTORS = ['csv', 'xlsx', 'json', 'ndjson', 'parquet'] as const;

/** Options of the xlsx connector (an Excel workbook; one sheet of it is the feed). */
export const xlsxOptionsSchema = z
  .object({
    sheet: z
      .union([z.string().min(1), z.number().int().min(1)])
      .default(1)
      .describe('The sheet: its name (e.g. 许可信息), or its position from 1 in the workbook.'),
    header_row: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(1)
      .describe('Row of the header (its lower row when header_rows is 2); rows above it are skipped (titles).'),
    header_rows: z
      .union([z.literal(1), z.literal(2)])
      .default(1)
      .describe(
        '2 = a grouped header over two rows (header_row and the row below): a group label over its sub-labels is joined, 有效期 over 自 gives 有效期自.',
      ),
  })
  .strict();

/** Options of the json connector (a JSON document whose records are the elements of one array). */
export const jsonOptionsSchema = z
  .object({
    record_path: z
      .string()
      .regex(/^$|^[^.]+(\.[^.]+)*$/, 'object keys separated by "." (empty: the document itself is the array)')
      .default('')
      .describe('Where the record array is inside the document: object keys separated by "." (e.g. data.list); empty = the document is the array.'),
  })
  .strict();

export const KNOWN_ON = ['loaded', 'path'] as const;

const fieldName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a canonical field name (snake_case)');

export const sourceSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_.-]{0,99}$/, 'lowercase letters, digits, "-", "_" or "." (at most 100)')
      .describe('Unique id of the source; names it in batches, rejects and logs.'),
    level: z.enum(LEVELS).describe('Reporting level: province (省), city (市) or county (县).'),
    region_code: z
      .string()
      .regex(/^\d{6}$/, 'a 6-digit GB/T 2260 code')
      .describe('Region of the reporting department.'),
    department: z.string().min(2).describe('Reporting department, as officially named (e.g. 威县市场监督管理局).'),
    feed: z.enum(FEED_NAMES as [FeedName, ...FeedName[]]).describe('Canonical feed kind the records are loaded as.'),
    connector: z
      .enum(CONNECTORS)
      .default('csv')
      .describe(
        'Connector reading the files: csv (delimited text), xlsx (an Excel workbook, one sheet), json (one JSON document per file, records in an array), ndjson (one JSON object per line), parquet (Apache Parquet, read through DuckDB).',
      ),
    json: jsonOptionsSchema.optional().describe('Options of the json connector.'),
    xlsx: xlsxOptionsSchema.optional().describe('Options of the xlsx connector.'),
    path: z.string().min(1).describe('Landing files, a glob relative to the landing directory (`*`, `?` and `**` supported).'),
    encoding: z.enum(ENCODINGS).default('auto').describe('File encoding; auto = UTF-8 (BOM optional) else GB18030.'),
    delimiter: z.string().length(1).default(',').describe('Field delimiter, one character.'),
    quote: z.string().length(1).default('"').describe('Quote character; a doubled quote inside quotes is a literal quote.'),
    header_row: z.number().int().min(1).max(100).default(1).describe('Physical line of the header; lines before it are skipped.'),
    columns: z
      .record(z.string().min(1), fieldName.nullable())
      .default({})
      .describe(
        'Source header → canonical field (null = ignore the column). Headers equal to a field name, its Chinese label, its national code (XK_*, CF_*) or a known alias map without configuration.',
      ),
    constants: z.record(fieldName, z.string()).default({}).describe('Canonical field → value for every record (fields the feed does not carry).'),
    values: z
      .record(fieldName, z.record(z.string(), z.string()))
      .default({})
      .describe('Per field, source value → canonical value (the department’s own code list).'),
    date_formats: z
      .array(z.string().regex(/%/, 'a strptime format such as %d.%m.%Y'))
      .default([])
      .describe('Extra date formats (strptime) tried before the built-in ones.'),
    unknown_columns: z
      .enum(['ignore', 'error'])
      .default('ignore')
      .describe('What a header that maps to no field does: ignore it (logged once) or fail the file.'),
    known_on: z
      .enum(KNOWN_ON)
      .default('loaded')
      .describe(
        'The date each file became known, which as-of transforms honour (nothing known after as_of counts): loaded = the day it was loaded (China Standard Time); path = the last date written YYYYMMDD, YYYY-MM-DD or YYYY_MM_DD in its path under the landing directory (the department’s extraction date, e.g. license_20241130.csv); a file whose path has none fails with known-on-missing.',
      ),
    enabled: z.boolean().default(true),
  })
  .strict();

export const sourcesConfigSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1).default(1),
    landing_dir: z.string().default('.').describe('Directory the source paths are relative to; relative to the config file.'),
    archive_dir: z
      .union([z.string().min(1), z.literal(false)])
      .optional()
      .describe(
        'Where every loaded file is kept, gzip-compressed and read-only, by its SHA-256 (sha256/ab/<hex>.gz); relative to the config file. Default: <warehouse without .duckdb>.archive beside the warehouse; false turns the archive off.',
      ),
    archive_keep_days: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe(
        'Prune archived files whose every batch is older than this many days and superseded by a later version of its location (never the current version). Default: keep forever.',
      ),
    sources: z.array(sourceSchema).min(1),
  })
  .strict();

export type SourceConfig = z.infer<typeof sourceSchema>;
export type SourcesConfig = z.infer<typeof sourcesConfigSchema> & { file: string; landingDir: string };

/**
 * Why a source path could leave the landing directory (null when it cannot): an absolute path, or a `..`
 * segment. Symlinks under landing_dir are checked when the files are planned (pipelines/ingest/plan.ts).
 */
export function pathEscape(path: string): string | null {
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) return 'is absolute';
  if (path.split(/[/\\]/).includes('..')) return 'has a ".." segment';
  return null;
}

/** Checks zod cannot express alone: unique ids, known fields, level/region agreement. */
function semanticIssues(cfg: z.infer<typeof sourcesConfigSchema>): string[] {
  const issues: string[] = [];
  const seen = new Set<string>();
  cfg.sources.forEach((s, i) => {
    const at = `sources.${i}`;
    if (seen.has(s.id)) issues.push(`${at}.id: duplicate source id "${s.id}"`);
    seen.add(s.id);
    if (s.xlsx && s.connector !== 'xlsx') issues.push(`${at}.xlsx: options of the xlsx connector, but the source's connector is ${s.connector}`);
    if (s.json && s.connector !== 'json') issues.push(`${at}.json: options of the json connector, but the source's connector is ${s.connector}`);
    const escapes = pathEscape(s.path);
    if (escapes) issues.push(`${at}.path: source ${s.id}: path "${s.path}" ${escapes}; paths stay inside landing_dir`);
    const region = REGIONS.get(s.region_code);
    if (!region) issues.push(`${at}.region_code: ${s.region_code} is not a known Hebei region code`);
    else if (region.level !== s.level) {
      issues.push(`${at}.level: region ${s.region_code} (${region.name}) is a ${region.level}, not a ${s.level}`);
    }
    const fields = FEEDS[s.feed].fields;
    for (const [header, field] of Object.entries(s.columns)) {
      if (field !== null && !(field in fields)) issues.push(`${at}.columns.${header}: "${field}" is not a field of ${s.feed}`);
    }
    for (const field of Object.keys(s.constants)) {
      if (!(field in fields)) issues.push(`${at}.constants.${field}: not a field of ${s.feed}`);
    }
    for (const field of Object.keys(s.values)) {
      const spec = fields[field];
      if (!spec) issues.push(`${at}.values.${field}: not a field of ${s.feed}`);
      else if (spec.kind !== 'enum') issues.push(`${at}.values.${field}: value maps apply to code-list fields only`);
    }
  });
  return issues;
}

export function parseSourcesConfig(input: unknown, file = '<inline>'): SourcesConfig {
  const parsed = sourcesConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`invalid sources config ${file}`, issues);
  }
  const issues = semanticIssues(parsed.data);
  if (issues.length) throw new ConfigError(`invalid sources config ${file}`, issues);
  return { ...parsed.data, file, landingDir: landingDirOf(file, parsed.data.landing_dir) };
}

export function loadSourcesConfig(file: string): SourcesConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read sources config ${file}: ${errorMessage(err)}`, [], err);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ConfigError(`sources config ${file} is not valid JSON: ${errorMessage(err)}`, [], err);
  }
  return parseSourcesConfig(json, file);
}

/** JSON Schema of the config, for editors and for documentation. */
export function sourcesConfigJsonSchema(): unknown {
  return z.toJSONSchema(sourcesConfigSchema, { io: 'input' });
}
