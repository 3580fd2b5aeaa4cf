-- output: mart.entity_risk
-- grain: one row per entity in core.entities: entity_id is its credit code, or a code-less 个体工商户's 注册号
--   (id_kind 'uscc' or 'reg_no'; uscc and reg_no repeat it in the matching column)
-- key: entity_id
-- not_null: score, computed_class, risk_class, class_source, factors, as_of
-- score = Σ factor points (mart.risk_factors) clamped to 0–1000; computed_class = the class of the score by the
--   configured cut-offs (default A ≤ 250 < B ≤ 500 < C ≤ 750 < D, the 0–1000 scale of 国市监信发〔2022〕6号
--   practice), except for an entity the data says nothing about (no factor rows, no rating in force, no
--   inspection with as_of − windows.lookback_days < inspected_on ≤ as_of): classes.no_data_class (default B).
-- reported_class / reported_on / reported_event_id: the 企业信用风险分类 the market regulator published that is
--   in force on as_of, i.e. the entity's latest-dated rating R with R ≤ as_of < R + classes.rating_validity_months
--   calendar months (R + to_months(N), month ends clamp); NULL when no rating is in force (an older, expired
--   rating is not shown here; core.credit_events keeps it).
-- risk_class = the final class by classes.combine: worse (default) = the worse (later letter) of computed_class
--   and reported_class; computed = computed_class; official = reported_class when in force, else computed_class.
--   A no-data entity has no rating in force, so its final class is no_data_class whatever combine says.
-- class_source (code set entity_risk.class_source): no-data = no_data_class applied; computed = no rating in
--   force, combine = computed, or (worse) the score's class is the worse one; both = rating and computed class
--   agree; official = the final class is the rating's and differs from computed_class.
-- risk_label = the final class's label in ref.codes (code set credit_rating.risk_class, the feed's own scale);
--   for class_source no-data '<label>（无信用记录）', e.g. 信用风险一般（无信用记录）. The rule in full:
--   sql/README-models.md, "Risk class".
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
        jg_param_date('as_of') - cast(jg_param_int('windows.lookback_days') as integer) as since,
        jg_param_int('cutoffs.a_max') as a_max,
        jg_param_int('cutoffs.b_max') as b_max,
        jg_param_int('cutoffs.c_max') as c_max,
        cast(jg_param_int('classes.rating_validity_months') as integer) as validity_months,
        jg_param_text('classes.combine') as combine,
        jg_param_text('classes.no_data_class') as no_data_class
),

scores as (
    select
        entity_id,
        cast(greatest(0, least(1000, sum(points))) as integer) as score,
        list({'factor': factor, 'points': points, 'evidence': evidence} order by position) as factors
    from factors
    group by entity_id
),

ratings_in_force as (
    -- R ≤ as_of < R + N months; the latest-dated one (at most one rating per entity and date)
    select c.entity_id, c.event_id, c.risk_class, c.listed_on
    from core.credit_events as c
    cross join params as p
    where c.event_type = 'credit_rating' and c.entity_id is not null and c.risk_class is not null
        and c.listed_on <= p.as_of and p.as_of < cast(c.listed_on + to_months(p.validity_months) as date)
    qualify row_number() over (partition by c.entity_id order by c.listed_on desc, c.event_id desc) = 1
),

reported as (
    select entity_id, risk_class as reported_class, listed_on as reported_on, event_id as reported_event_id
    from ratings_in_force
),

inspected as (
    select
        i.entity_id,
        max(i.inspected_on) as last_inspected_on,
        bool_or(i.inspected_on > p.since) as inspected_recently
    from core.inspections as i
    cross join params as p
    where i.entity_id is not null and i.inspected_on <= p.as_of
    group by i.entity_id
),

scored as (
    select
        e.entity_id,
        e.uscc,
        e.reg_no,
        e.id_kind,
        e.name,
        e.region_code,
        coalesce(s.score, 0) as score,
        case
            when coalesce(s.score, 0) <= p.a_max then 'A'
            when s.score <= p.b_max then 'B'
            when s.score <= p.c_max then 'C'
            else 'D'
        end as score_class,
        s.entity_id is null and r.entity_id is null and coalesce(i.inspected_recently, false) is false as no_data,
        coalesce(s.factors, []) as factors,
        r.reported_class,
        r.reported_on,
        r.reported_event_id,
        i.last_inspected_on,
        p.combine,
        p.no_data_class,
        p.as_of
    from entities as e
    cross join params as p
    left join scores as s on s.entity_id = e.entity_id
    left join reported as r on r.entity_id = e.entity_id
    left join inspected as i on i.entity_id = e.entity_id
),

classed as (
    select
        *,
        case when no_data then no_data_class else score_class end as computed_class,
        case
            when no_data then no_data_class
            when reported_class is null or combine = 'computed' then score_class
            when combine = 'official' then reported_class
            else greatest(score_class, reported_class)
        end as risk_class,
        case
            when no_data then 'no-data'
            when reported_class is null or combine = 'computed' then 'computed'
            when reported_class = score_class then 'both'
            when combine = 'official' or reported_class > score_class then 'official'
            else 'computed'
        end as class_source
    from scored
),

class_labels as (
    select code as risk_class, label from ref.codes where code_set = 'credit_rating.risk_class'
),

final as (
    select
        c.entity_id,
        c.uscc,
        c.reg_no,
        c.id_kind,
        c.name,
        c.region_code,
        c.score,
        c.computed_class,
        c.risk_class,
        c.class_source,
        case when c.class_source = 'no-data' then l.label || '（无信用记录）' else l.label end as risk_label,
        c.factors,
        c.reported_class,
        c.reported_on,
        c.reported_event_id,
        c.last_inspected_on,
        c.as_of
    from classed as c
    left join class_labels as l on l.risk_class = c.risk_class
)

select * from final
