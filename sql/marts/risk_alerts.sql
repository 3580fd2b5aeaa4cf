-- output: mart.risk_alerts
-- grain: one row per fired rule per entity (多维碰撞: each rule crosses two or more feeds or levels)
-- key: alert_id
-- not_null: entity_id, rule_code, severity, message, evidence, detected_on
-- The wording half of the alerts: mart.risk_alert_evidence detects them (evidence and the facts a message
--   quotes); here each rule's message is one WHEN, labels come from ref.codes, windows and thresholds from the
--   parameters. alert_id, evidence and severity are the detection's; detected_on is the as_of parameter.
with

params as (
    select
        jg_param_date('as_of') as as_of,
        cast(jg_param_int('windows.follow_up_days') as integer) as follow_up_days,
        cast(jg_param_int('windows.repeat_penalty_days') as integer) as repeat_days,
        cast(jg_param_int('windows.not_inspected_days') as integer) as not_inspected_days,
        jg_param_num('thresholds.large_fine_yuan') as large_fine
),

labels as (
    -- code set → map code → label, for the lists and levels the messages name
    select map_from_entries(list({'key': code_set || ':' || code, 'value': label})) as of from ref.codes
),

fired as (
    select * from mart.risk_alert_evidence
),

messages as (
    select
        f.alert_id,
        case f.rule_code
            when 'expired-license-operating' then format('{}{}{}，但{}检查发现其仍在经营{}',
                x['certificate_name'], x['license_no'], x['ended_as'], x['operating_on'],
                case when x['licenses']::bigint > 1 then format('（共{}张许可证）', x['licenses']) else '' end)
            when 'debtor-granted-license' then format('{}被列入{}后，仍于{}获得{}{}（违反联合惩戒）',
                x['listed_on'], lb.of['event_type:' || x['listed_as']], x['granted_on'], x['certificate_name'], x['license_no'])
            when 'inspection-no-follow-up' then format('{}检查发现问题（检查结果{}），超过{}天未复查{}',
                x['inspected_on'], x['problem_codes'], p.follow_up_days,
                case when x['inspections']::bigint > 1 then format('（共{}次）', x['inspections']) else '' end)
            when 'repeated-penalties' then format('{}至{}间{}次受到行政处罚，前后两次相隔不超过{}天',
                x['first_on'], x['last_on'], x['penalties'], p.repeat_days)
            when 'large-fine' then format('{}被{}处以罚款{}元（不低于{}元）{}',
                x['decided_on'], x['authority'], regexp_replace(x['fine_yuan'], '\.00$', ''), cast(p.large_fine as bigint),
                case when x['penalties']::bigint > 1 then format('（共{}起）', x['penalties']) else '' end)
            when 'unreachable-with-license' then format('{}，但仍持有{}张有效许可证', x['signal'], x['licenses'])
            when 'class-d-not-inspected' then format('信用风险分类为D类（{}），{}',
                -- the source of the final D (mart.entity_risk.class_source): the rating in force, our score, or both
                case
                    when x['class_source'] = 'both' then format('{}{}评定的D类与本仓评分{}一致',
                        lb.of['entity_risk.class_source:official'], x['reported_on'], x['score'])
                    when x['class_source'] = 'official' then format('{}{}评定为D类，本仓评分{}为{}类',
                        lb.of['entity_risk.class_source:official'], x['reported_on'], x['score'], x['computed_class'])
                    when x['class_source'] = 'no-data' then format('{}，按默认分类', lb.of['entity_risk.class_source:no-data'])
                    else format('{}{}', lb.of['entity_risk.class_source:computed'], x['score']) end,
                coalesce(format('最近一次检查为{}，已超过{}天未检查', x['last_inspected_on'], p.not_inspected_days), '从未接受检查'))
            when 'license-level-conflict' then format('许可证{}的{}在{}报送中不一致，请核对',
                x['license_no'], x['fields'],
                array_to_string(list_transform(string_split(x['levels'], ','), v -> lb.of['level:' || v]), '、') || '级')
        end as message
    from (select *, facts as x from fired) as f
    cross join params as p
    cross join labels as lb
),

final as (
    select
        f.alert_id,
        f.entity_id,
        e.name,
        f.rule_code,
        f.severity,
        m.message,
        f.evidence,
        p.as_of as detected_on,
        e.region_code
    from fired as f
    inner join messages as m on m.alert_id = f.alert_id
    cross join params as p
    left join mart.entity_risk as e on e.entity_id = f.entity_id
)

select * from final
