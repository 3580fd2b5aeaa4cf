// The row hash of a raw row (`_row_hash`) and the digest of a batch's rows. A row hash covers the row's canonical
// values in field order, joined by U+001F with NULL spelled \N (so NULL and an empty value differ):
//
//   md5          batches loaded before SHA-256 (kept, and still verified, as they were)
//   sha256       the default: SHA-256 of that text
//   hmac-sha256  when $JIANGUAN_HMAC_KEY is set: HMAC-SHA-256 keyed with it (RFC 2104), so that whoever can edit the
//                warehouse file but lacks the key cannot forge the hash of an edited row
//
// HMAC is computed in SQL from sha256 with the standard construction H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)); the two
// padded keys K ⊕ ipad and K ⊕ opad are derived in JavaScript and bound as parameters ($jg_ipad, $jg_opad, hex),
// so neither the key nor anything derived from it is ever written to the warehouse or a log.
// The batch digest is SHA-256 over the batch's row hashes concatenated in record order: it is recorded in
// meta.batches at load and in the run manifest, so the manifest chain (and its anchor) commits to every row.
import { createHash } from 'node:crypto';
import { ident } from '../warehouse/sql.ts';
import type { FeedSpec } from './fields.ts';

export type RowHashAlg = 'md5' | 'sha256' | 'hmac-sha256';
export const ROW_HASH_ALGS: readonly RowHashAlg[] = ['md5', 'sha256', 'hmac-sha256'];

export const HMAC_KEY_ENV = 'JIANGUAN_HMAC_KEY';

/** The key from the environment; null when unset or empty. */
export function hmacKeyFromEnv(env: NodeJS.ProcessEnv = process.env): string | null {
  const k = env[HMAC_KEY_ENV];
  return k ? k : null;
}

/** The algorithm a load uses now: HMAC when a key is set, else SHA-256. */
export function loadAlgorithm(key: string | null): RowHashAlg {
  return key ? 'hmac-sha256' : 'sha256';
}

/** The text a row hash covers, as a SQL expression over the feed's columns (optionally qualified by `alias`). */
export function rowTextSql(feed: FeedSpec, alias?: string): string {
  const c = (n: string) => (alias ? `${alias}.${ident(n)}` : ident(n));
  return `concat_ws(chr(31), ${Object.keys(feed.fields)
    .map((n) => `coalesce(${c(n)}::varchar, '\\N')`)
    .join(', ')})`;
}

/** Named parameters an HMAC hash expression needs: the key XOR ipad / opad, 64 bytes each, hex. */
export function hmacParams(key: string): { jg_ipad: string; jg_opad: string } {
  let k = Buffer.from(key, 'utf8');
  if (k.length > 64) k = createHash('sha256').update(k).digest();
  const block = Buffer.alloc(64);
  k.copy(block);
  return {
    jg_ipad: Buffer.from(block.map((b) => b ^ 0x36)).toString('hex'),
    jg_opad: Buffer.from(block.map((b) => b ^ 0x5c)).toString('hex'),
  };
}

/** HMAC-SHA-256 of a VARCHAR expression (hex), given the bound $jg_ipad / $jg_opad. */
export function hmacSql(text: string): string {
  return `sha256(unhex($jg_opad) || unhex(sha256(unhex($jg_ipad) || encode(${text}))))`;
}

/** The SQL expression of a row's hash under `alg` (hmac-sha256 needs hmacParams bound). */
export function rowHashSql(feed: FeedSpec, alg: RowHashAlg = 'sha256', alias?: string): string {
  const text = rowTextSql(feed, alias);
  if (alg === 'md5') return `md5(${text})`;
  if (alg === 'sha256') return `sha256(${text})`;
  return hmacSql(text);
}

/** SQL of the digest of batch $1's rows in `table`: SHA-256 over its row hashes in record order (a batch of no rows: SHA-256 of the empty text). */
export function batchDigestSql(table: string): string {
  return `select sha256(coalesce(string_agg(_row_hash, '' order by _record_no), '')) as digest from ${table} where _batch_id = $1`;
}
