-- output: mart.risk_factor_items
-- grain: one row per piece of evidence a risk factor scores: an inspection, a penalty, a listing or a licence
-- key: entity_id, factor, kind, item_id
-- not_null: evidence, raw_points, decay
-- raw_points are the configured weights (weights.*); decay = 0.5 ^ (age in days / windows.half_life_days) for
--   the factors that fade with time (inspection_problems, penalties) and 1 for the others, which are current
--   states. Core holds only what was known and dated by as_of; the lookback window is as_of − lookback_days <
--   date ≤ as_of. The exact rule of every factor, with worked examples, is in sql/README-models.md.
-- 信用修复: only penalties in effect count (core.penalties.in_effect: not revoked on review, publish_until NULL or
--   ≥ as_of). A 失信 listing with performance 全部已履行 is not in force (core.credit_events) and never makes a
--   licence granted_while_listed.
-- evidence holds core ids (ins- core.inspections, pen- core.penalties, lic- core.licenses, dd-/ab-/sv-
--   core.credit_events).
with

params as (
    select
        jg_param_date('as_of') as as_of,
        jg_param_date('as_of') - cast(jg_param_int('windows.lookback_days') as integer) as since,
        jg_param_num('windows.half_life_days') as half_life,
        jg_param_int('weights.unresolved_rectification') as w_unresolved,
        jg_param_int('weights.penalty_base') as w_penalty,
        jg_param_int('weights.severe_penalty') as w_severe,
        jg_param_list('codes.severe_penalty_types') as severe_types,
        jg_param_int('weights.dishonest_debtor') as w_dishonest,
        jg_param_int('weights.serious_violation') as w_serious,
        jg_param_int('weights.license_operating_after_end') as w_operating,
        jg_param_int('weights.license_revoked') as w_revoked,
        jg_param_int('weights.license_granted_while_listed') as w_listed
),

result_points as (
    select substr(name, length('weights.inspection_result.') + 1) as code, cast(value as integer) as points
    from meta.params
    where starts_with(name, 'weights.inspection_result.')
),

abnormal_points as (
    select substr(name, length('weights.abnormal_reason.') + 1) as code, cast(value as integer) as points
    from meta.params
    where starts_with(name, 'weights.abnormal_reason.')
),

fine_tiers as (
    select unnest(from_json(jg_param_text('weights.fine_tiers'), '[{"min_yuan": "DOUBLE", "points": "INTEGER"}]'), recursive := true)
),

inspections as (
    select i.*
    from core.inspections as i
    cross join params as p
    where i.entity_id is not null and i.inspected_on <= p.as_of
),

penalties as (
    -- in the lookback window and in effect (not revoked on review, publicity not over: core.penalties.in_effect)
    select x.*
    from core.penalties as x
    cross join params as p
    where x.entity_id is not null and x.decided_on <= p.as_of and x.decided_on > p.since and x.in_effect
),

listings as (
    select * from core.credit_events where entity_id is not null and event_type <> 'credit_rating'
),

licenses as (
    select * from core.licenses where entity_id is not null
),

inspection_problems as (
    select i.entity_id, 'inspection_problems' as factor, 'problem' as kind, i.inspection_id as item_id,
        i.inspected_on as event_on, max(coalesce(rp.points, 0)) as raw_points, [i.inspection_id] as evidence
    from inspections as i
    cross join unnest(i.problem_codes) as c(code)
    left join result_points as rp on rp.code = c.code
    cross join params as p
    where i.has_problem and i.inspected_on > p.since
    group by all
),

latest_inspection as (
    select entity_id, max(inspected_on) as inspected_on from inspections group by entity_id
),

unresolved as (
    -- an open problem: an inspection on the entity's latest inspection day (on or before as_of), in the lookback
    -- window, found a problem and did not record it corrected on the spot (no E among its results). Any inspection
    -- on a later day clears it; another inspection on the same day does not.
    select i.entity_id, 'unresolved_rectification' as factor, 'open_problem' as kind, i.inspection_id as item_id,
        i.inspected_on as event_on, p.w_unresolved as raw_points, [i.inspection_id] as evidence
    from inspections as i
    inner join latest_inspection as l on l.entity_id = i.entity_id and l.inspected_on = i.inspected_on
    cross join params as p
    where i.has_problem and not list_contains(i.results, 'E') and i.inspected_on > p.since
),

penalty_tiers as (
    -- the highest fine tier each fine reaches (none for a warning)
    select x.penalty_id, coalesce(max(t.points), 0) as tier_points
    from penalties as x
    left join fine_tiers as t on x.fine_yuan >= t.min_yuan
    group by x.penalty_id
),

penalty_items as (
    select x.entity_id, 'penalties' as factor, 'penalty' as kind, x.penalty_id as item_id, x.decided_on as event_on,
        p.w_penalty + pt.tier_points
            + case when list_has_any(x.penalty_types, p.severe_types) then p.w_severe else 0 end as raw_points,
        [x.penalty_id] as evidence
    from penalties as x
    inner join penalty_tiers as pt on pt.penalty_id = x.penalty_id
    cross join params as p
),

listing_items as (
    select e.entity_id, e.event_type as factor, 'in_force' as kind, e.event_id as item_id, e.listed_on as event_on,
        case e.event_type
            when 'dishonest_debtor' then p.w_dishonest
            when 'serious_violation' then p.w_serious
            else coalesce(ap.points, 0)
        end as raw_points,
        [e.event_id] as evidence
    from listings as e
    cross join params as p
    left join abnormal_points as ap on ap.code = e.reason_code and e.event_type = 'abnormal_operation'
    where e.in_force
),

covered as (
    -- an inspection day on which another licence of the same kind (same 许可证书名称) of the entity authorised it:
    -- valid_from <= day and (ended_after NULL or day <= ended_after) — a renewal or a second licence
    select distinct l.license_id, i.inspection_id
    from licenses as l
    inner join inspections as i on i.entity_id = l.entity_id and i.inspected_on > l.ended_after
    inner join licenses as other
        on other.entity_id = l.entity_id
        and other.license_id <> l.license_id
        and other.certificate_name = l.certificate_name
        and other.valid_from <= i.inspected_on
        and (other.ended_after is null or i.inspected_on <= other.ended_after)
    where l.ended_after is not null
),

operating_after_end as (
    -- found operating (no 检查结果 of codes.not_operating_results) on a day after the licence's end (ended_after,
    -- core.licenses), in the lookback window, and not covered by another licence of the same kind that day
    select l.entity_id, 'license_problems' as factor, 'operating_after_end' as kind, l.license_id as item_id,
        max(i.inspected_on) as event_on, any_value(p.w_operating) as raw_points,
        list_prepend(l.license_id, list(i.inspection_id order by i.inspected_on, i.inspection_id)) as evidence
    from licenses as l
    inner join inspections as i on i.entity_id = l.entity_id and i.is_operating and i.inspected_on > l.ended_after
    left join covered as c on c.license_id = l.license_id and c.inspection_id = i.inspection_id
    cross join params as p
    where l.ended_after is not null and i.inspected_on > p.since and c.inspection_id is null
    group by l.entity_id, l.license_id
),

revoked as (
    select l.entity_id, 'license_problems' as factor, 'revoked' as kind, l.license_id as item_id, l.decided_on as event_on,
        p.w_revoked as raw_points, [l.license_id] as evidence
    from licenses as l
    cross join params as p
    where l.status_revoked
),

granted_while_listed as (
    -- 联合惩戒: a licence decided on a day a 失信 or 严重违法 listing was in force (listed_on <= day < removed_on;
    -- the listing day itself counts, the removal day does not)
    select l.entity_id, 'license_problems' as factor, 'granted_while_listed' as kind, l.license_id as item_id,
        l.decided_on as event_on, any_value(p.w_listed) as raw_points,
        list_prepend(l.license_id, list(e.event_id order by e.listed_on, e.event_id)) as evidence
    from licenses as l
    inner join listings as e
        on e.entity_id = l.entity_id
        and e.event_type in ('dishonest_debtor', 'serious_violation')
        and e.listed_on <= l.decided_on
        and (e.removed_on is null or e.removed_on > l.decided_on)
        and e.performance is distinct from '全部已履行'
    cross join params as p
    where l.decided_on <= p.as_of
    group by l.entity_id, l.license_id, l.decided_on
),

items as (
    select * from inspection_problems
    union all select * from unresolved
    union all select * from penalty_items
    union all select * from listing_items
    union all select * from operating_after_end
    union all select * from revoked
    union all select * from granted_while_listed
),

final as (
    select
        items.entity_id,
        items.factor,
        items.kind,
        items.item_id,
        items.event_on,
        cast(items.raw_points as integer) as raw_points,
        case
            when items.factor in ('inspection_problems', 'penalties')
                then pow(0.5, date_diff('day', items.event_on, p.as_of) / p.half_life)
            else 1.0
        end as decay,
        items.evidence,
        p.as_of
    from items
    cross join params as p
)

select * from final
