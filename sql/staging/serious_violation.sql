-- output: staging.serious_violation
-- grain: one row per loaded 严重违法失信名单 record (raw.serious_violation), nothing merged yet
-- key: _batch_id, _record_no
-- natural_key: uscc, listed_on
-- _owner is the listing authority.
with

source as (
    select * from raw.serious_violation
),

batches as (
    select batch_id, source_id, level, region_code, department, known_on
    from meta.batches
),

final as (
    select
        'sv-' || left(md5(upper(trim(s.uscc)) || '|' || cast(s.listed_on as varchar)), 16) as _record_id,
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
        s.category,
        s.reason,
        s.listed_on,
        upper(trim(s.listing_doc_no)) as listing_doc_no,
        jg_org_name(s.listed_by) as listed_by,
        s.removal_reason,
        s.removed_on,
        upper(trim(s.removal_doc_no)) as removal_doc_no,
        s.removed_by
    from source as s
    inner join batches as b on b.batch_id = s._batch_id
)

select * from final
