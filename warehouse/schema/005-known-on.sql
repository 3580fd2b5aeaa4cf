-- 005: the date each batch's contents became known (sources[].known_on): as-of transforms count only batches known
-- on or before as_of. Batches recorded before this migration were known the day they were loaded (China Standard Time).
alter table meta.batches add column if not exists known_on date;
update meta.batches set known_on = cast(timezone('Asia/Shanghai', started_at) as date) where known_on is null;
