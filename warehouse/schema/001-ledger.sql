-- 001: the ledger. Schemas, the run and batch sequences, every run (meta.runs), every file read (meta.batches)
-- and every record refused (meta.rejects). Raw tables are derived from the feed specs (raw-tables.ts), not here.
create schema if not exists meta;
create schema if not exists raw;
create schema if not exists ref;
create sequence if not exists meta.run_seq start 1;
create sequence if not exists meta.batch_seq start 1;
create table if not exists meta.schema_version (version integer not null, applied_at timestamptz not null default now());
create table if not exists meta.runs (
  run_id bigint primary key,
  command varchar not null,
  args varchar,
  started_at timestamptz not null,
  finished_at timestamptz,
  status varchar not null,
  exit_code integer,
  files_seen bigint default 0,
  batches_loaded bigint default 0,
  batches_skipped bigint default 0,
  batches_failed bigint default 0,
  rows_read bigint default 0,
  rows_loaded bigint default 0,
  rows_rejected bigint default 0,
  config_file varchar,
  config_hash varchar,
  code_version varchar,
  pid integer,
  host varchar,
  error varchar
);
create table if not exists meta.batches (
  batch_id bigint primary key,
  run_id bigint not null,
  source_id varchar not null,
  level varchar not null,
  region_code varchar not null,
  department varchar not null,
  feed varchar not null,
  connector varchar not null,
  location varchar not null,
  sha256 varchar not null,
  bytes bigint not null,
  encoding varchar,
  rows_read bigint not null,
  rows_loaded bigint not null,
  rows_rejected bigint not null,
  rows_warned bigint not null default 0,
  status varchar not null check (status in ('loaded', 'skipped', 'failed')),
  error_code varchar,
  error varchar,
  duplicate_of bigint,
  started_at timestamptz not null,
  finished_at timestamptz not null,
  check (rows_read = rows_loaded + rows_rejected)
);
create table if not exists meta.rejects (
  batch_id bigint not null,
  record_no bigint not null,
  source_line bigint not null,
  reason_code varchar not null,
  field varchar,
  message varchar not null,
  raw varchar
);
