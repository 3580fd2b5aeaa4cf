-- output: mart.risk_alert_evidence
-- grain: one row per fired rule per entity (多维碰撞: each rule crosses two or more feeds or levels): the detection
--   half of the alerts; mart.risk_alerts words them
-- key: alert_id
-- not_null: entity_id, rule_code, severity, evidence, facts
-- alert_id = 'al-' + md5(rule, credit code, evidence ids): the same finding keeps its id from run to run.
-- evidence holds core ids (see mart.risk_factor_items); facts the values the alert's message quotes, by name, as
--   text (dates YYYY-MM-DD). One CTE per rule, named after it; rules and their windows are documented in
--   sql/README-models.md.
with

params as (
    select
        jg_param_date('as_of') as as_of,
        jg_param_date('as_of') - cast(jg_param_int('windows.lookback_days') as integer) as since,
        cast(jg_param_int('windows.follow_up_days') as integer) as follow_up_days,
        cast(jg_param_int('windows.repeat_penalty_days') as integer) as repeat_days,
        cast(jg_param_int('windows.not_inspected_days') as integer) as not_inspected_days,
        jg_param_num('thresholds.large_fine_yuan') as large_fine
),

entities as (select * from mart.entity_risk),
items as (select * from mart.risk_factor_items),
licenses as (select * from core.licenses),
listings as (select * from core.credit_events where entity_id is not null),
inspections as (
    select i.* from core.inspections as i cross join params as p where i.entity_id is not null and i.inspected_on <= p.as_of
),
penalties as (
    -- as the penalties factor reads them: in the lookback window and in effect (core.penalties.in_effect)
    select x.* from core.penalties as x cross join params as p
    where x.entity_id is not null and x.decided_on <= p.as_of and x.decided_on > p.since and x.in_effect
),

status_labels as (
    select code as status, label from ref.codes where code_set = 'license.status'
),

expired_operating as (
    select i.entity_id, 'expired-license-operating' as rule_code, 'high' as severity,
        list_sort(list_distinct(flatten(list(i.evidence)))) as evidence,
        -- the licence with the lowest number speaks for all: its name, number and how it ended
        map {
            'certificate_name': arg_min(l.certificate_name, {'no': l.license_no, 'id': l.license_id}),
            'license_no': min(l.license_no),
            'ended_as': arg_min(case when l.status_ended then '已' || s.label else '已于' || strftime(l.valid_to, '%Y-%m-%d') || '到期' end,
                {'no': l.license_no, 'id': l.license_id}),
            'operating_on': strftime(max(i.event_on), '%Y-%m-%d'),
            'licenses': count(*)::varchar} as facts
    from items as i
    inner join licenses as l on l.license_id = i.item_id
    left join status_labels as s on s.status = l.status
    where i.kind = 'operating_after_end'
    group by i.entity_id
),

listed_granted as (
    select i.entity_id, 'debtor-granted-license' as rule_code, 'high' as severity,
        list_sort(list_distinct(flatten(list(i.evidence)))) as evidence,
        map {
            'listed_on': strftime(min(e.listed_on), '%Y-%m-%d'),
            'listed_as': arg_min(e.event_type, {'on': e.listed_on, 'id': e.event_id}),
            'granted_on': strftime(min(l.decided_on), '%Y-%m-%d'),
            'certificate_name': arg_min(l.certificate_name, {'on': l.decided_on, 'id': l.license_id}),
            'license_no': arg_min(l.license_no, {'on': l.decided_on, 'id': l.license_id})} as facts
    from items as i
    inner join licenses as l on l.license_id = i.item_id
    inner join listings as e on list_contains(i.evidence, e.event_id)
    where i.kind = 'granted_while_listed'
    group by i.entity_id
),

no_follow_up as (
    -- the open problems of the unresolved_rectification factor (mart.risk_factor_items kind 'open_problem': the
    -- latest inspection day, in the lookback window, a problem not corrected on the spot) once more than
    -- windows.follow_up_days have passed: as_of − inspected_on > follow_up_days (on day 30 it is not yet overdue)
    select i.entity_id, 'inspection-no-follow-up' as rule_code, 'medium' as severity,
        list(i.item_id order by i.event_on, i.item_id) as evidence,
        map {
            'inspected_on': strftime(min(i.event_on), '%Y-%m-%d'),
            'problem_codes': array_to_string(arg_min(x.problem_codes, {'on': i.event_on, 'id': i.item_id}), ','),
            'inspections': count(*)::varchar} as facts
    from items as i
    inner join inspections as x on x.inspection_id = i.item_id
    cross join params as p
    where i.kind = 'open_problem' and date_diff('day', i.event_on, p.as_of) > p.follow_up_days
    group by i.entity_id
),

penalty_pairs as (
    select a.entity_id, a.penalty_id as first_id, b.penalty_id as second_id, a.decided_on as first_on, b.decided_on as second_on
    from penalties as a
    inner join penalties as b
        on b.entity_id = a.entity_id
        and (a.decided_on < b.decided_on or (a.decided_on = b.decided_on and a.penalty_id < b.penalty_id))
    cross join params as p
    where date_diff('day', a.decided_on, b.decided_on) <= p.repeat_days
),

repeated as (
    select entity_id, 'repeated-penalties' as rule_code, 'medium' as severity,
        list_sort(list_distinct(flatten(list([first_id, second_id])))) as evidence,
        map {
            'first_on': strftime(min(first_on), '%Y-%m-%d'),
            'last_on': strftime(max(second_on), '%Y-%m-%d'),
            'penalties': len(list_distinct(flatten(list([first_id, second_id]))))::varchar} as facts
    from penalty_pairs
    group by entity_id
),

large_fine as (
    select x.entity_id, 'large-fine' as rule_code, 'high' as severity,
        list(x.penalty_id order by x.decided_on, x.penalty_id) as evidence,
        -- the largest fine speaks for all
        map {
            'decided_on': strftime(arg_max(x.decided_on, {'fine': x.fine_yuan, 'id': x.penalty_id}), '%Y-%m-%d'),
            'authority': arg_max(x.authority, {'fine': x.fine_yuan, 'id': x.penalty_id}),
            'fine_yuan': cast(max(x.fine_yuan) as varchar),
            'penalties': count(*)::varchar} as facts
    from penalties as x
    cross join params as p
    where x.fine_yuan >= p.large_fine
    group by x.entity_id
),

last_visit as (
    select entity_id, max(inspected_on) as inspected_on from inspections group by entity_id
),

unreachable_signals as (
    select i.entity_id, i.inspection_id as id, format('{}检查发现通过登记的住所无法联系', strftime(i.inspected_on, '%Y-%m-%d')) as what
    from inspections as i
    inner join last_visit as v on v.entity_id = i.entity_id and v.inspected_on = i.inspected_on
    where list_contains(i.results, '6')
    union all
    select entity_id, event_id, format('{}因通过登记的住所无法联系被列入经营异常名录', strftime(listed_on, '%Y-%m-%d'))
    from listings
    where event_type = 'abnormal_operation' and reason_code = '4' and in_force
),

valid_licenses as (
    select entity_id, list(license_id order by license_id) as ids from licenses where in_force and entity_id is not null group by entity_id
),

unreachable as (
    select s.entity_id, 'unreachable-with-license' as rule_code, 'medium' as severity,
        list_sort(list_concat(list(s.id), any_value(v.ids))) as evidence,
        -- the signal whose wording sorts first (the earliest date) speaks for all
        map {'signal': min(s.what), 'licenses': len(any_value(v.ids))::varchar} as facts
    from unreachable_signals as s
    inner join valid_licenses as v on v.entity_id = s.entity_id
    group by s.entity_id
),

class_d as (
    -- the final class (mart.entity_risk.risk_class) is D. Evidence: the rating in force when it contributes to the
    -- final D (class_source official or both), plus the factor evidence when our computed class is D.
    select e.entity_id, 'class-d-not-inspected' as rule_code, 'high' as severity,
        list_sort(list_distinct(list_concat(
            case when e.reported_class = 'D' and e.class_source in ('official', 'both') then [e.reported_event_id] else [] end,
            case when e.computed_class = 'D' then flatten(list_transform(e.factors, f -> f.evidence)) else [] end))) as evidence,
        map {
            'class_source': e.class_source, 'reported_class': e.reported_class,
            'reported_on': strftime(e.reported_on, '%Y-%m-%d'), 'computed_class': e.computed_class,
            'risk_class': e.risk_class, 'score': e.score::varchar,
            'last_inspected_on': strftime(e.last_inspected_on, '%Y-%m-%d')} as facts
    from entities as e
    cross join params as p
    where e.risk_class = 'D'
        and (e.last_inspected_on is null or e.last_inspected_on <= p.as_of - p.not_inspected_days)
),

level_conflict as (
    select l.entity_id, 'license-level-conflict' as rule_code, 'low' as severity,
        list(distinct l.license_id order by l.license_id) as evidence,
        map {
            'license_no': min(l.license_no),
            'fields': string_agg(distinct coalesce(f.label, c.field), '、' order by coalesce(f.label, c.field)),
            'levels': array_to_string(list_sort(list_distinct(flatten(list(c.reported_levels)))), ',')} as facts
    from core.conflicts as c
    inner join licenses as l on l.license_id = c.record_id
    left join ref.fields as f on f.feed = c.feed and f.field = c.field
    where c.feed = 'license' and c.levels >= 2 and l.entity_id is not null
    group by l.entity_id
),

fired as (
    select * from expired_operating
    union all select * from listed_granted
    union all select * from no_follow_up
    union all select * from repeated
    union all select * from large_fine
    union all select * from unreachable
    union all select * from class_d
    union all select * from level_conflict
),

final as (
    select
        'al-' || left(md5(rule_code || '|' || entity_id || '|' || array_to_string(evidence, ',')), 20) as alert_id,
        entity_id,
        rule_code,
        severity,
        evidence,
        facts
    from fired
)

select * from final
