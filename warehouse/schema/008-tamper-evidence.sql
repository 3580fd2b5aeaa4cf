-- 008: tamper evidence (schemas/row-hash.ts, pipelines/audit/fingerprints.ts). Per loaded batch: the algorithm of
-- its rows' _row_hash (md5 for every batch loaded before this migration, sha256 or hmac-sha256 after) and the digest
-- of its rows (SHA-256 over the row hashes in record order; null for batches loaded before this migration). Per run
-- that rebuilt the marts: a fingerprint of every mart table, order-independent, which verify recomputes
-- on the warehouse and on the published snapshot.
alter table meta.batches add column if not exists row_hash_alg varchar;
alter table meta.batches add column if not exists row_digest varchar;
update meta.batches set row_hash_alg = 'md5' where row_hash_alg is null and status = 'loaded' and row_digest is null;
create table if not exists meta.run_fingerprints (
  run_id bigint not null,
  table_name varchar not null,
  row_count bigint not null,
  sha256 varchar not null,
  primary key (run_id, table_name)
);
