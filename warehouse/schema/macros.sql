-- The macros the SQL models use, created as TEMP macros at every open: they live with the session, so a code
-- update never meets stale definitions stored in the file. (The validator macros of the ingest are generated from
-- the feed specs, schemas/validators/macros.ts, and installed next to these.)
--
-- Parameters: the subquery reads meta.params when a model runs, so the values are whatever this run wrote.
create or replace temp macro jg_param_text(p_name) as (select value from meta.params where name = p_name);
create or replace temp macro jg_param_num(p_name) as cast(jg_param_text(p_name) as double);
create or replace temp macro jg_param_int(p_name) as cast(jg_param_text(p_name) as bigint);
create or replace temp macro jg_param_date(p_name) as cast(jg_param_text(p_name) as date);
create or replace temp macro jg_param_list(p_name) as cast(from_json(jg_param_text(p_name), '["VARCHAR"]') as varchar[]);
-- A staged record counts in an as-of transform when its batch was known (meta.batches.known_on) and the record
-- dated (its own date: decided, inspected, listed, rated, published) on or before as_of. An undated record counts
-- from when its batch was known.
-- The entity a licence or penalty names: its 统一社会信用代码; a 个体工商户 without one by its 工商注册号 (13 or 15
-- digits; the key then has no letters and never 18 characters, so it cannot meet a credit code); else none.
create or replace temp macro jg_entity_id(uscc, subject_kind, reg_no) as
    coalesce(uscc, case when subject_kind = '个体工商户' and regexp_full_match(reg_no, '[0-9]{13}|[0-9]{15}') then reg_no end);
create or replace temp macro jg_known_by_as_of(known_on, dated_on) as
    coalesce(known_on <= jg_param_date('as_of') and (dated_on is null or dated_on <= jg_param_date('as_of')), false);

-- Names of departments and authorities compared across feeds and with meta.batches.department: blanks removed,
-- so "威县 市场监督管理局" and "威县市场监督管理局" are one body.
create or replace temp macro jg_org_name(name) as regexp_replace(trim(name), '\s+', '', 'g');
-- The level of the body that decides a record (staging._owner_level), read from the area part of its credit code:
-- 130000 → province, 1301xx00 → city, else county; no credit code, no level.
create or replace temp macro jg_owner_level(uscc) as
  case when uscc is null then null when substr(uscc, 3, 6) like '__0000' then 'province'
       when substr(uscc, 3, 6) like '____00' then 'city' else 'county' end;
-- The cross-level merge precedence, one definition for every core model that merges versions of a record:
-- the owner's own report, then a report from the owner's level, then the newest decision, then the newest batch
-- and the later record in it. A sort key for "order by … desc": booleans as 1/0 with unknown (NULL) lowest,
-- a missing date lowest, exactly as "desc nulls last" on each key would order them.
create or replace temp macro jg_version_order(department, owner, level, owner_level, decided, batch_id, record_no) as
  {'own': coalesce((department = owner)::int, -1), 'own_level': coalesce((level = owner_level)::int, -1),
   'decided': coalesce(decided, date '0001-01-01'), 'batch': batch_id, 'record': record_no};
-- The winning version of a record as {batch_id, record_no}: an aggregate, used in the model's GROUP BY over the
-- record's versions (one aggregate beats a window ranking every record; the order is unique as it ends in batch
-- and record).
create or replace temp macro jg_winner(department, owner, level, owner_level, decided, batch_id, record_no) as
  arg_max({'batch_id': batch_id, 'record_no': record_no},
          jg_version_order(department, owner, level, owner_level, decided, batch_id, record_no));
-- Why the winning version won, for core.*.precedence.
create or replace temp macro jg_precedence(versions, department, owner, level, owner_level, owner_label) as
  case when versions = 1 then 'single' when department = owner then owner_label
       when level = owner_level then owner_label || '-level' else 'newest' end;
-- core.conflicts: the columns that identify a version of a record (kept as they are), and the columns compared
-- across sources: all others but who reported it and when (_source_region, _department, _owner, _owner_level,
-- _known_on, _dated_on, _known_by_as_of) and the feed's own `skip` list. Used inside COLUMNS(c -> …) lambdas, one line per staging model.
create or replace temp macro jg_version_column(c) as c in ('_record_id', '_nk', '_source_id', '_level', '_batch_id', '_record_no');
create or replace temp macro jg_compared_column(c, skip) as
  not jg_version_column(c) and c not in ('_source_region', '_department', '_owner', '_owner_level', '_known_on', '_dated_on', '_known_by_as_of') and not list_contains(skip, c);
