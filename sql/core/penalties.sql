-- output: core.penalties
-- grain: one row per real-world penalty decision: decision number + deciding authority
-- key: penalty_id
-- not_null: lineage, won_level
-- precedence: the deciding authority's own report wins; then a report from the authority's level (from the
--   area of its credit code); then the newest decision date; then the newest batch and the later record in it.
--   All versions stay in lineage; disagreements go to core.conflicts.
with

versions as (
    select * from staging.penalty
),

lineage as (
    -- One aggregate per record: its versions, and which one wins (jg_winner).
    select
        _record_id,
        count(*) as versions,
        list_sort(list(distinct _level)) as reported_levels,
        list_sort(list({'batch_id': _batch_id, 'record_no': _record_no})) as lineage,
        jg_winner(_department, _owner, _level, _owner_level, decided_on, _batch_id, _record_no) as won
    from versions
    group by _record_id
),

final as (
    select
        w._record_id as penalty_id,
        w.decision_no,
        w.authority,
        w.authority_uscc,
        w._owner_level as authority_level,
        w.uscc,
        w.subject_name,
        w.subject_kind,
        w.person_id_no,
        w.violation_type,
        w.penalty_types,
        w.content,
        w.fine_yuan,
        w.confiscated_yuan,
        w.suspended_license,
        w.decided_on,
        w.valid_to,
        w.publish_until,
        jg_precedence(l.versions, w._department, w._owner, w._level, w._owner_level, 'authority') as precedence,
        w._level as won_level,
        w._source_id as won_source_id,
        w._batch_id as won_batch_id,
        w._record_no as won_record_no,
        l.versions,
        l.reported_levels,
        l.lineage
    from lineage as l
    inner join versions as w on w._batch_id = l.won.batch_id and w._record_no = l.won.record_no

)

select * from final
