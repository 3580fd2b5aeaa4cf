-- 009: the archive of loaded files (pipelines/archive/): one row per archived content, written in the transaction of
-- the batch that loaded it; and what changed between two loaded versions of one location (a re-sent, edited file).
create table if not exists meta.archive (
  sha256 varchar primary key,
  -- the archived file (absolute): <archive_dir>/sha256/ab/<hex>.gz, gzip of the bytes the batch was read from
  path varchar not null,
  bytes bigint not null,
  stored_bytes bigint not null,
  archived_at timestamptz not null,
  -- set when retention (archive_keep_days) removed the file
  pruned_at timestamptz
);
-- one row per loaded batch that replaced an earlier loaded version of its location
create table if not exists meta.version_diffs (
  batch_id bigint primary key,
  previous_batch_id bigint not null,
  records_added bigint not null,
  records_removed bigint not null,
  records_changed bigint not null,
  values_changed bigint not null
);
-- every record added or removed, and every field value changed, by the feed's natural key
create table if not exists meta.version_changes (
  batch_id bigint not null,
  change varchar not null check (change in ('added', 'removed', 'changed')),
  record_key varchar not null,
  field varchar,
  old_value varchar,
  new_value varchar
);
