-- 007: what each run that rebuilt the marts did with the published snapshot (pipelines/run/kernel.ts): published
-- it, or kept the one already published because that one describes a later date (a backfill does not regress what
-- analysts see unless told to: `--publish`). The snapshot itself says what it is in its meta.published row.
create table if not exists meta.publishes (
  run_id bigint primary key,
  -- the date the run's marts describe
  as_of date not null,
  published boolean not null,
  -- the as-of of the snapshot that was published when the run decided (null: none, or not known)
  previous_as_of date,
  -- why the run did not publish; null when it did
  reason varchar,
  recorded_at timestamptz not null
);
