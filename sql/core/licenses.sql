-- output: core.licenses
-- grain: one row per real-world licence: licence number + issuing authority, however many sources reported it
-- key: license_id
-- not_null: lineage, won_level
-- precedence: the version reported by the issuing department itself wins; failing that, a version reported at
--   the issuer's level (read from the area part of the issuer's credit code); then the newest decision date;
--   then the newest batch and the later record in it. Every version's raw row stays in lineage; fields the
--   versions disagree on are listed in core.conflicts.
-- ended_after: the last day the licence authorised anything: its expiry, or, for a 当前状态 of 无效/撤销/注销/吊销
--   (which carries no date of its own), its decision date, the earliest it can have ended.
with

versions as (
    select * from staging.license
),

params as (
    select
        jg_param_date('as_of') as as_of,
        jg_param_list('codes.ended_license_status') as ended_status,
        jg_param_list('codes.revoked_license_status') as revoked_status
),

lineage as (
    -- One aggregate per record: its versions, and which one wins (jg_winner).
    -- list_sort of the aggregate, not an ordered aggregate: same order, a third of the time on 1M rows
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
        w._record_id as license_id,
        w.license_no,
        w.issuer,
        w.issuer_uscc,
        w._owner_level as issuer_level,
        w.uscc,
        w.subject_name,
        w.subject_kind,
        w.reg_no,
        w.certificate_name,
        w.category,
        w.decision_doc_no,
        w.content,
        w.decided_on,
        w.valid_from,
        w.valid_to,
        w.status,
        list_contains(p.ended_status, w.status) as status_ended,
        list_contains(p.revoked_status, w.status) as status_revoked,
        case
            when list_contains(p.ended_status, w.status) then least(w.decided_on, coalesce(w.valid_to, w.decided_on))
            else w.valid_to
        end as ended_after,
        (w.status = '1' and w.valid_from <= p.as_of and (w.valid_to is null or w.valid_to >= p.as_of)) as in_force,
        jg_precedence(l.versions, w._department, w._owner, w._level, w._owner_level, 'issuer') as precedence,
        w._level as won_level,
        w._source_id as won_source_id,
        w._batch_id as won_batch_id,
        w._record_no as won_record_no,
        l.versions,
        l.reported_levels,
        l.lineage
    from lineage as l
    inner join versions as w on w._batch_id = l.won.batch_id and w._record_no = l.won.record_no
    cross join params as p
)

select * from final
