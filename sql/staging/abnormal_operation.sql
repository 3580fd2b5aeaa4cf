-- output: staging.abnormal_operation
-- grain: one row per loaded 经营异常名录 record (raw.abnormal_operation), nothing merged yet
-- key: _batch_id, _record_no
-- natural_key: uscc, listed_on
-- Reasons are already code-list values (1–4 of the national 经营异常名录 code list); _owner is the listing authority.
with

source as (
    select * from raw.abnormal_operation
),

batches as (
    select batch_id, source_id, level, region_code, department, known_on
    from meta.batches
),

final as (
    select
        'ab-' || left(md5(upper(trim(s.uscc)) || '|' || cast(s.listed_on as varchar)), 16) as _record_id,
        upper(trim(s.uscc)) || ' | ' || cast(s.listed_on as varchar) as _nk,
        s._batch_id,
        s._record_no,
        b.source_id as _source_id,
        b.known_on as _known_on,
        s.listed_on as _dated_on,
        jg_known_by_as_of(b.known_on, s.listed_on) as _known_by_as_of,
        b.level as _level,
        b.region_code as _source_region,
        jg_org_name(b.department) as _department,
        jg_org_name(s.listed_by) as _owner,
        cast(null as varchar) as _owner_level,
        upper(trim(s.uscc)) as uscc,
        trim(s.name) as name,
        s.reason,
        s.listed_on,
        jg_org_name(s.listed_by) as listed_by,
        s.removal_reason,
        s.removed_on,
        s.removed_by
    from source as s
    inner join batches as b on b.batch_id = s._batch_id
)

select * from final
