-- 002: the audit records. Per-run table counts and the chained run manifests (pipelines/audit/manifest.ts), and
-- the hashes `verify` found for the landed files (pipelines/catalog/files.ts).
create table if not exists meta.run_tables (run_id bigint not null, table_name varchar not null, rows bigint not null, primary key (run_id, table_name));
create table if not exists meta.run_manifests (
  run_id bigint primary key, recorded_at timestamptz not null, manifest varchar not null, sha256 varchar not null, prev_sha256 varchar
);

create table if not exists meta.file_checks (
  location varchar primary key, sha256 varchar not null, bytes bigint not null, stamp varchar not null, checked_at timestamptz not null
);
