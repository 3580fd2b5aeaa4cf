-- output: staging.dishonest_debtor
-- grain: one row per loaded 失信被执行人 record (raw.dishonest_debtor), nothing merged yet
-- key: _batch_id, _record_no
-- natural_key: case_no, name
-- Case numbers fold full-width brackets to half-width (（2023）冀0533执123号 = (2023)冀0533执123号), because
-- court exports and provincial re-publications disagree on them. _owner is the executing court.
with

source as (
    select * from raw.dishonest_debtor
),

batches as (
    select batch_id, source_id, level, region_code, department
    from meta.batches
),

normalised as (
    select
        source.*,
        regexp_replace(replace(replace(upper(trim(source.case_no)), '（', '('), '）', ')'), '\s+', '', 'g') as case_no_norm,
        jg_org_name(source.name) as name_norm
    from source
),

final as (
    select
        'dd-' || left(md5(n.case_no_norm || '|' || n.name_norm), 16) as _record_id,
        n.case_no_norm || ' | ' || n.name_norm as _nk,
        n._batch_id,
        n._record_no,
        b.source_id as _source_id,
        b.level as _level,
        b.region_code as _source_region,
        jg_org_name(b.department) as _department,
        jg_org_name(n.court) as _owner,
        cast(null as varchar) as _owner_level,
        n.record_id,
        n.name_norm as name,
        n.case_no_norm as case_no,
        upper(trim(n.card_no)) as card_no,
        upper(trim(n.uscc)) as uscc,
        n.legal_rep,
        jg_org_name(n.court) as court,
        n.party_type,
        n.gist_no,
        n.filed_on,
        n.gist_unit,
        n.duty,
        n.performance,
        list_sort(list_distinct(n.situations)) as situations,
        n.published_on,
        n.removed_on
    from normalised as n
    inner join batches as b on b.batch_id = n._batch_id
)

select * from final
