-- output: staging.penalty
-- grain: one row per loaded penalty decision record (raw.penalty), nothing merged yet
-- key: _batch_id, _record_no
-- natural_key: decision_no, authority
-- Decision numbers are trimmed, upper-cased, with full-width brackets folded to half-width (〔2024〕 stays, as
-- it is the official form); fines are already in yuan (raw converted 万元). _owner is the deciding authority,
-- _owner_level its level from its credit code (jg_owner_level).
with

source as (
    select * from raw.penalty
),

batches as (
    select batch_id, source_id, level, region_code, department, known_on
    from meta.batches
),

normalised as (
    select
        source.*,
        regexp_replace(replace(replace(upper(trim(source.decision_no)), '（', '('), '）', ')'), '\s+', '', 'g') as decision_no_norm,
        jg_org_name(source.authority) as authority_norm,
        upper(trim(source.authority_uscc)) as authority_uscc_norm
    from source
),

final as (
    select
        'pen-' || left(md5(n.decision_no_norm || '|' || n.authority_norm), 16) as _record_id,
        n.decision_no_norm || ' | ' || n.authority_norm as _nk,
        n._batch_id,
        n._record_no,
        b.source_id as _source_id,
        b.known_on as _known_on,
        n.decided_on as _dated_on,
        jg_known_by_as_of(b.known_on, n.decided_on) as _known_by_as_of,
        b.level as _level,
        b.region_code as _source_region,
        jg_org_name(b.department) as _department,
        n.authority_norm as _owner,
        jg_owner_level(n.authority_uscc_norm) as _owner_level,
        trim(n.subject_name) as subject_name,
        n.subject_kind,
        upper(trim(n.uscc)) as uscc,
        upper(trim(n.reg_no)) as reg_no,
        n.legal_rep,
        n.person_id_type,
        n.person_id_no,
        n.decision_no_norm as decision_no,
        n.violation_type,
        n.facts,
        n.basis,
        list_sort(list_distinct(n.penalty_types)) as penalty_types,
        n.content,
        n.fine_yuan,
        n.confiscated_yuan,
        n.suspended_license,
        n.decided_on,
        n.valid_to,
        n.publish_until,
        n.status,
        n.status_on,
        n.authority_norm as authority,
        n.authority_uscc_norm as authority_uscc,
        n.source_unit,
        n.source_unit_uscc,
        n.remark
    from normalised as n
    inner join batches as b on b.batch_id = n._batch_id
)

select * from final
