-- output: core.credit_events
-- grain: one row per real-world credit event: a 失信被执行人 listing (case number + name), a 经营异常名录 or
--   严重违法失信名单 listing (credit code + listing date), or a monthly 企业信用风险分类 (credit code + date)
-- key: event_id
-- uscc: as staging gives it; for a 失信 listing the feed's uscc or the code derived from card_no (证件号码), see
--   staging.dishonest_debtor. A company listing left without one is also in core.unmatched_listings.
-- entity_id: the credit code (lists name companies by it).
-- not_null: lineage, won_level, event_type
-- precedence: the shared merge rule (jg_winner, jg_precedence), of which two steps do not apply here: the
--   deciding body's own report wins (court, listing authority, rating authority); then the newest batch and the
--   later record in it. All versions stay in lineage; disagreements go to core.conflicts.
-- in_force (as of the as_of parameter): a listing made on or before as_of and not removed by then; for ratings,
--   the entity's latest rating on or before as_of. listed_on of a 失信 listing is its publication date.
--   A 失信 listing whose performance (被执行人的履行情况, of the winning version) is 全部已履行 is never in force:
--   the debt is paid, whatever removed_on says. performance is NULL for the other event types.
with

params as (
    select jg_param_date('as_of') as as_of
),

versions as (
    select
        _record_id, _batch_id, _record_no, _source_id, _level, _department, _owner,
        'dishonest_debtor' as event_type, uscc, name, coalesce(published_on, filed_on) as listed_on, removed_on,
        array_to_string(situations, ',') as reason_code, duty as reason, court as authority, case_no as doc_no,
        cast(null as varchar) as risk_class, cast(null as integer) as score, performance
    from staging.dishonest_debtor where _known_by_as_of
    union all
    select
        _record_id, _batch_id, _record_no, _source_id, _level, _department, _owner,
        'abnormal_operation', uscc, name, listed_on, removed_on,
        reason, cast(null as varchar), listed_by, cast(null as varchar),
        cast(null as varchar), cast(null as integer), cast(null as varchar)
    from staging.abnormal_operation where _known_by_as_of
    union all
    select
        _record_id, _batch_id, _record_no, _source_id, _level, _department, _owner,
        'serious_violation', uscc, name, listed_on, removed_on,
        cast(null as varchar), reason, listed_by, listing_doc_no,
        cast(null as varchar), cast(null as integer), cast(null as varchar)
    from staging.serious_violation where _known_by_as_of
    union all
    select
        _record_id, _batch_id, _record_no, _source_id, _level, _department, _owner,
        'credit_rating', uscc, name, rated_on, cast(null as date),
        cast(null as varchar), cast(null as varchar), rated_by, cast(null as varchar),
        risk_class, score, cast(null as varchar)
    from staging.credit_rating where _known_by_as_of
),

lineage as (
    -- One aggregate per record: its versions, and which one wins (jg_winner, as in core.licenses). No owner
    -- level: these feeds carry no credit code of the deciding body (staging _owner_level is NULL). No decision
    -- date: for listings and ratings the date is part of the natural key, so all versions share it; a 失信
    -- listing carries a publication date, not a decision date, and this model never ranked by it.
    select
        _record_id,
        count(*) as versions,
        list_sort(list(distinct _level)) as reported_levels,
        list_sort(list({'batch_id': _batch_id, 'record_no': _record_no})) as lineage,
        jg_winner(_department, _owner, null::varchar, null::varchar, null::date, _batch_id, _record_no) as won
    from versions
    group by _record_id
),

winners as (
    select versions.*, params.as_of
    from lineage
    inner join versions
        on versions._record_id = lineage._record_id
        and versions._batch_id = lineage.won.batch_id and versions._record_no = lineage.won.record_no
    cross join params
),

latest_rating as (
    select uscc, max(listed_on) as rated_on
    from winners
    where event_type = 'credit_rating' and listed_on <= as_of
    group by uscc
),

final as (
    select
        w._record_id as event_id,
        w.event_type,
        w.uscc as entity_id,
        w.uscc,
        w.name,
        w.listed_on,
        w.removed_on,
        case
            when w.event_type = 'credit_rating' then r.rated_on is not null
            else w.listed_on <= w.as_of and (w.removed_on is null or w.removed_on > w.as_of)
                and w.performance is distinct from '全部已履行'
        end as in_force,
        w.performance,
        w.reason_code,
        w.reason,
        w.authority,
        w.doc_no,
        w.risk_class,
        w.score,
        jg_precedence(l.versions, w._department, w._owner, null, null, 'decider') as precedence,
        w._level as won_level,
        w._source_id as won_source_id,
        w._batch_id as won_batch_id,
        w._record_no as won_record_no,
        l.versions,
        l.reported_levels,
        l.lineage
    from winners as w
    inner join lineage as l on l._record_id = w._record_id
    left join latest_rating as r on r.uscc = w.uscc and r.rated_on = w.listed_on and w.event_type = 'credit_rating'
)

select * from final
