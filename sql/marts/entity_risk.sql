-- output: mart.entity_risk
-- grain: one row per entity (credit code) in core.entities
-- key: uscc
-- not_null: score, risk_class, factors, as_of
-- score = Σ factor points (mart.risk_factors) clamped to 0–1000; class by the configured cut-offs (default
--   A ≤ 250 < B ≤ 500 < C ≤ 750 < D, the 0–1000 scale of 国市监信发〔2022〕6号 practice). reported_class is the
--   latest 企业信用风险分类 the market regulator published, kept beside ours for comparison, not scored.
--   risk_label is the class's label in ref.codes (code set credit_rating.risk_class, the feed's own scale).
with

entities as (
    select * from core.entities
),

factors as (
    select * from mart.risk_factors
),

params as (
    select
        jg_param_date('as_of') as as_of,
        jg_param_int('cutoffs.a_max') as a_max,
        jg_param_int('cutoffs.b_max') as b_max,
        jg_param_int('cutoffs.c_max') as c_max
),

scores as (
    select
        uscc,
        cast(greatest(0, least(1000, sum(points))) as integer) as score,
        list({'factor': factor, 'points': points, 'evidence': evidence} order by position) as factors
    from factors
    group by uscc
),

reported as (
    select uscc, risk_class as reported_class, listed_on as reported_on
    from core.credit_events
    where event_type = 'credit_rating' and in_force
),

inspected as (
    select i.uscc, max(i.inspected_on) as last_inspected_on
    from core.inspections as i
    cross join params as p
    where i.uscc is not null and i.inspected_on <= p.as_of
    group by i.uscc
),

classed as (
    select
        e.uscc,
        e.name,
        e.region_code,
        coalesce(s.score, 0) as score,
        case
            when coalesce(s.score, 0) <= p.a_max then 'A'
            when s.score <= p.b_max then 'B'
            when s.score <= p.c_max then 'C'
            else 'D'
        end as risk_class,
        coalesce(s.factors, []) as factors,
        r.reported_class,
        r.reported_on,
        i.last_inspected_on,
        p.as_of
    from entities as e
    cross join params as p
    left join scores as s on s.uscc = e.uscc
    left join reported as r on r.uscc = e.uscc
    left join inspected as i on i.uscc = e.uscc
),

class_labels as (
    select code as risk_class, label from ref.codes where code_set = 'credit_rating.risk_class'
),

final as (
    select
        c.uscc,
        c.name,
        c.region_code,
        c.score,
        c.risk_class,
        l.label as risk_label,
        c.factors,
        c.reported_class,
        c.reported_on,
        c.last_inspected_on,
        c.as_of
    from classed as c
    left join class_labels as l on l.risk_class = c.risk_class
)

select * from final
