-- output: staging.license
-- grain: one row per loaded licence record (raw.license), nothing merged yet
-- key: _batch_id, _record_no
-- natural_key: license_no, issuer
-- Codes are trimmed, upper-cased and stripped of inner blanks so that the same licence reported by two levels
-- meets on one natural key; the reporting source (level, region, department) comes from the batch ledger.
-- _owner is the authority that decides the record (the issuer) and _owner_level its level, read from the
-- area part of its credit code (jg_owner_level: 130000 → province, 1301xx00 → city, else county).
-- _known_on: when the record's batch became known (meta.batches.known_on, sources[].known_on); _dated_on: the
-- record's own date (here decided_on); _known_by_as_of: both on or before the as_of parameter (jg_known_by_as_of),
-- the rows core models merge. Every staging model carries these three columns.
with

source as (
    select * from raw.license
),

batches as (
    select batch_id, source_id, level, region_code, department, known_on
    from meta.batches
),

normalised as (
    select
        source.*,
        regexp_replace(upper(trim(source.license_no)), '\s+', '', 'g') as license_no_norm,
        jg_org_name(source.issuer) as issuer_norm,
        upper(trim(source.issuer_uscc)) as issuer_uscc_norm
    from source
),

final as (
    select
        'lic-' || left(md5(n.license_no_norm || '|' || n.issuer_norm), 16) as _record_id,
        n.license_no_norm || ' | ' || n.issuer_norm as _nk,
        n._batch_id,
        n._record_no,
        b.source_id as _source_id,
        b.known_on as _known_on,
        n.decided_on as _dated_on,
        jg_known_by_as_of(b.known_on, n.decided_on) as _known_by_as_of,
        b.level as _level,
        b.region_code as _source_region,
        jg_org_name(b.department) as _department,
        n.issuer_norm as _owner,
        jg_owner_level(n.issuer_uscc_norm) as _owner_level,
        trim(n.subject_name) as subject_name,
        n.subject_kind,
        upper(trim(n.uscc)) as uscc,
        upper(trim(n.reg_no)) as reg_no,
        upper(trim(n.org_code)) as org_code,
        n.legal_rep,
        trim(n.decision_doc_name) as decision_doc_name,
        upper(trim(n.decision_doc_no)) as decision_doc_no,
        n.category,
        trim(n.certificate_name) as certificate_name,
        n.license_no_norm as license_no,
        n.content,
        n.decided_on,
        n.valid_from,
        n.valid_to,
        n.issuer_norm as issuer,
        n.issuer_uscc_norm as issuer_uscc,
        n.status,
        n.status_on,
        n.source_unit,
        n.source_unit_uscc,
        n.remark
    from normalised as n
    inner join batches as b on b.batch_id = n._batch_id
)

select * from final
