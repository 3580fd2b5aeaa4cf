-- output: core.penalties
-- grain: one row per real-world penalty decision: decision number + deciding authority
-- key: penalty_id
-- not_null: lineage, won_level
-- precedence: the deciding authority's own report wins; then a report from the authority's level (from the
--   area of its credit code); then the newest decision date; then the newest batch and the later record in it.
--   All versions stay in lineage; disagreements go to core.conflicts.
-- entity_id: as in core.licenses (the credit code, or a code-less 个体工商户's 注册号).
-- Only versions known by as_of count (jg_known_by_as_of: batch known_on and decided_on on or before as_of).
-- revoked_since: for a decision whose winning 当前状态 is 2 (撤销, revoked on 行政复议 or by a court), the day that took
--   effect: status_on, else the earliest known_on of a version (known by as_of) reporting 撤销; NULL otherwise.
-- in_effect (on as_of): the decision still counts: not revoked by then (revoked_since NULL or after as_of), and
--   its publicity period not over (信用修复: publish_until, 公示截止期, NULL or on or after as_of; on publish_until
--   itself it still counts). Risk factors and alerts read only penalties in effect.
with

params as (
    select jg_param_date('as_of') as as_of
),

revoked_first_known as (
    select _record_id, min(_known_on) as first_known_on from staging.penalty where _known_by_as_of and status = '2' group by _record_id
),

versions as (
    -- only what was known by as_of: the batch known and the record dated on or before it (jg_known_by_as_of)
    select * from staging.penalty where _known_by_as_of
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
        jg_entity_id(w.uscc, w.subject_kind, w.reg_no) as entity_id,
        w.uscc,
        w.reg_no,
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
        w.status,
        w.status_on,
        case when w.status = '2' then coalesce(w.status_on, r.first_known_on) end as revoked_since,
        (w.status is distinct from '2' or coalesce(w.status_on, r.first_known_on) > p.as_of)
            and (w.publish_until is null or w.publish_until >= p.as_of) as in_effect,
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
    left join revoked_first_known as r on r._record_id = w._record_id
    cross join params as p

)

select * from final
