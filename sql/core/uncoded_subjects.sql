-- output: core.uncoded_subjects
-- grain: one row per licence or penalty decision (core.licenses, core.penalties) whose subject is no entity: a
--   natural person (自然人), or a 个体工商户 or organisation with no credit code and (个体工商户) no 13- or 15-digit
--   注册号 (jg_entity_id). Such records score nothing and raise no alert; they are listed here and counted in the
--   run summary instead of being dropped. Identity document numbers of persons are not copied here.
-- key: record_id
-- not_null: feed, reason, lineage
-- lineage: the licence's or penalty's own (every raw row reporting it).
-- reason: 'natural-person' (subject_kind 自然人); 'no-reg-no' (a 个体工商户 without a code or a usable 注册号);
--   'no-code' (anything else without a credit code).
with

records as (
    select license_id as record_id, 'license' as feed, subject_kind, subject_name, reg_no, decided_on,
        cast(null as decimal(18, 2)) as fine_yuan, issuer as authority, lineage
    from core.licenses
    where entity_id is null
    union all
    select penalty_id, 'penalty', subject_kind, subject_name, reg_no, decided_on, fine_yuan, authority, lineage
    from core.penalties
    where entity_id is null
),

final as (
    select
        record_id,
        feed,
        subject_kind,
        subject_name,
        reg_no,
        decided_on,
        fine_yuan,
        authority,
        case subject_kind when '自然人' then 'natural-person' when '个体工商户' then 'no-reg-no' else 'no-code' end as reason,
        lineage
    from records
)

select * from final
