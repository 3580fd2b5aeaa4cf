-- 004: what the transform writes besides its model tables: the schemas it builds into, its parameters (meta.params
-- and their history), the definition each model table was built from (meta.models) and every check (meta.checks).
create schema if not exists staging;
create schema if not exists core;
create schema if not exists mart;
create schema if not exists ref;
create table if not exists meta.params (name varchar primary key, value varchar not null);
create table if not exists meta.param_history (run_id bigint, name varchar not null, value varchar not null, set_at timestamptz not null);
-- The definition each model table was last built from: lineage walks a table the way it was built, even after its
-- file changed, and needs no SQL parsing to do so.
create table if not exists meta.models (
  name varchar not null,
  file varchar not null,
  sql_sha256 varchar not null,
  grain varchar not null,
  key varchar[] not null,
  not_null varchar[] not null,
  reads varchar[] not null,
  run_id bigint,
  built_at timestamptz not null
);
create table if not exists meta.checks (
  run_id bigint,
  model varchar not null,
  check_name varchar not null,
  passed boolean not null,
  rows bigint,
  details varchar,
  checked_at timestamptz not null
);
