-- output: core.licenses
-- grain: one row per real-world licence: licence number + issuing authority, however many sources reported it
-- key: license_id
-- not_null: lineage, won_level
-- precedence: the version reported by the issuing department itself wins; failing that, a version reported at
--   the issuer's level (read from the area part of the issuer's credit code); then the newest decision date;
--   then the newest batch and the later record in it. Every version's raw row stays in lineage; fields the
--   versions disagree on are listed in core.conflicts.
-- entity_id: the entity the licence belongs to (jg_entity_id: the credit code; a 个体工商户 without one by its
--   注册号; NULL for a natural person or a subject with neither, listed in core.uncoded_subjects).
-- Only versions known by as_of count (jg_known_by_as_of: batch known_on and decided_on on or before as_of), so the
--   status is the one reported by then.
-- status_since: the day the winning status is known to have taken effect: the feed's status_on (状态变更日期) when
--   the winning version has one, else the earliest known_on of a version (known by as_of) reporting that same
--   status: the first file that reported it bounds when it became true.
-- status_ended / status_revoked: the status is in codes.ended_license_status / codes.revoked_license_status and
--   status_since <= as_of. A status dated after as_of is not yet in effect: until then the licence is treated as
--   有效 (status_ended false, in_force by its dates).
-- ended_after: the last day the licence may still have authorised anything: the earlier of valid_to (有效期至,
--   inclusive) and, when status_ended, status_since; NULL = open-ended. An inspection is after the end only when
--   inspected_on > ended_after.
-- in_force (on as_of): valid_from <= as_of <= valid_to (or no valid_to), and status 1 (有效) or an ended status not
--   yet in effect.
with

versions as (
    -- only what was known by as_of: the batch known and the record dated on or before it (jg_known_by_as_of)
    select * from staging.license where _known_by_as_of
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

status_first_known as (
    -- the first day each status of a licence was reported (its batch's known_on)
    select _record_id, status, min(_known_on) as first_known_on
    from versions
    group by _record_id, status
),

dated as (
    select
        w.*,
        coalesce(w.status_on, sk.first_known_on) as status_since,
        list_contains(p.ended_status, w.status) and coalesce(w.status_on, sk.first_known_on) <= p.as_of as is_ended,
        list_contains(p.revoked_status, w.status) and coalesce(w.status_on, sk.first_known_on) <= p.as_of as is_revoked,
        p.as_of
    from lineage as l
    inner join versions as w on w._batch_id = l.won.batch_id and w._record_no = l.won.record_no
    inner join status_first_known as sk on sk._record_id = w._record_id and sk.status = w.status
    cross join params as p
),

final as (
    select
        w._record_id as license_id,
        w.license_no,
        w.issuer,
        w.issuer_uscc,
        w._owner_level as issuer_level,
        jg_entity_id(w.uscc, w.subject_kind, w.reg_no) as entity_id,
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
        w.status_on,
        w.status_since,
        w.is_ended as status_ended,
        w.is_revoked as status_revoked,
        case when w.is_ended then least(w.valid_to, w.status_since) else w.valid_to end as ended_after,
        ((w.status = '1' or (list_contains(p.ended_status, w.status) and not w.is_ended))
            and w.valid_from <= p.as_of and (w.valid_to is null or w.valid_to >= p.as_of)) as in_force,
        jg_precedence(l.versions, w._department, w._owner, w._level, w._owner_level, 'issuer') as precedence,
        w._level as won_level,
        w._source_id as won_source_id,
        w._batch_id as won_batch_id,
        w._record_no as won_record_no,
        l.versions,
        l.reported_levels,
        l.lineage
    from dated as w
    inner join lineage as l on l._record_id = w._record_id
    cross join params as p
)

select * from final
