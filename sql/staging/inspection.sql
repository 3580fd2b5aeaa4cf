-- output: staging.inspection
-- grain: one row per loaded inspection record (raw.inspection), nothing merged yet
-- key: _batch_id, _record_no
-- natural_key: inspection_no
-- 检查结果 codes are sorted and de-duplicated (a set, whatever order the feed listed them in); inspector
-- names are trimmed. _owner is the inspecting agency, _owner_level read from its credit code's area.
with

source as (
    select * from raw.inspection
),

batches as (
    select batch_id, source_id, level, region_code, department, known_on
    from meta.batches
),

normalised as (
    select
        source.*,
        regexp_replace(upper(trim(source.inspection_no)), '\s+', '', 'g') as inspection_no_norm,
        jg_org_name(source.agency) as agency_norm,
        upper(trim(source.agency_uscc)) as agency_uscc_norm
    from source
),

final as (
    select
        'ins-' || left(md5(n.inspection_no_norm), 16) as _record_id,
        n.inspection_no_norm as _nk,
        n._batch_id,
        n._record_no,
        b.source_id as _source_id,
        b.known_on as _known_on,
        n.inspected_on as _dated_on,
        jg_known_by_as_of(b.known_on, n.inspected_on) as _known_by_as_of,
        b.level as _level,
        b.region_code as _source_region,
        jg_org_name(b.department) as _department,
        n.agency_norm as _owner,
        jg_owner_level(n.agency_uscc_norm) as _owner_level,
        n.plan_id,
        n.task_name,
        n.item_code,
        n.inspection_name,
        n.inspection_no_norm as inspection_no,
        n.agency_norm as agency,
        n.agency_uscc_norm as agency_uscc,
        trim(n.subject_name) as subject_name,
        n.subject_nature,
        upper(trim(n.uscc)) as uscc,
        n.registered_address,
        n.business_address,
        n.region_code,
        n.form,
        list_sort(list_distinct(n.results)) as results,
        n.follow_up,
        n.inspected_on,
        list_filter(list_transform(n.inspectors, x -> trim(x)), x -> x <> '') as inspectors,
        list_transform(n.inspector_cert_nos, x -> upper(trim(x))) as inspector_cert_nos,
        n.reported_on
    from normalised as n
    inner join batches as b on b.batch_id = n._batch_id
)

select * from final
