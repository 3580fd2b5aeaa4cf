-- output: staging.credit_rating
-- grain: one row per loaded 企业信用风险分类 record (raw.credit_rating), nothing merged yet
-- key: _batch_id, _record_no
-- natural_key: uscc, rated_on
-- The class is already one of A/B/C/D; _owner is the rating authority.
with

source as (
    select * from raw.credit_rating
),

batches as (
    select batch_id, source_id, level, region_code, department, known_on
    from meta.batches
),

final as (
    select
        'cr-' || left(md5(upper(trim(s.uscc)) || '|' || cast(s.rated_on as varchar)), 16) as _record_id,
        upper(trim(s.uscc)) || ' | ' || cast(s.rated_on as varchar) as _nk,
        s._batch_id,
        s._record_no,
        b.source_id as _source_id,
        b.known_on as _known_on,
        s.rated_on as _dated_on,
        jg_known_by_as_of(b.known_on, s.rated_on) as _known_by_as_of,
        b.level as _level,
        b.region_code as _source_region,
        jg_org_name(b.department) as _department,
        jg_org_name(s.rated_by) as _owner,
        cast(null as varchar) as _owner_level,
        upper(trim(s.uscc)) as uscc,
        trim(s.name) as name,
        s.risk_class,
        s.score,
        s.rated_on,
        jg_org_name(s.rated_by) as rated_by
    from source as s
    inner join batches as b on b.batch_id = s._batch_id
)

select * from final
