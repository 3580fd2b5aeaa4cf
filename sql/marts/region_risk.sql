-- output: mart.region_risk
-- grain: one row per Hebei region (the province, each city, each county) in the current list or holding entities
-- key: region_code
-- not_null: region_name, level, entities
-- An entity counts in its region and in every region above it (county → city → province); an entity whose
--   region is unknown or outside Hebei counts at the province only. Names come from ref.regions.
with

regions as (
    select * from ref.regions
),

entities as (
    select entity_id, region_code, risk_class, score, as_of from mart.entity_risk
),

entity_alerts as (
    select
        entity_id,
        count(*) filter (where severity = 'high') as high,
        count(*) filter (where severity = 'medium') as medium,
        count(*) filter (where severity = 'low') as low
    from mart.risk_alerts
    group by entity_id
),

placed as (
    select
        e.entity_id, e.risk_class, e.score,
        coalesce(a.high, 0) as high, coalesce(a.medium, 0) as medium, coalesce(a.low, 0) as low,
        r.region_code as own_code, r.parent_code, up.parent_code as grandparent_code
    from entities as e
    left join regions as r on r.region_code = e.region_code
    left join regions as up on up.region_code = r.parent_code
    left join entity_alerts as a on a.entity_id = e.entity_id
),

rolled as (
    select own_code as region_code, * exclude (own_code, parent_code, grandparent_code) from placed where own_code is not null
    union all
    select parent_code, * exclude (own_code, parent_code, grandparent_code) from placed where parent_code is not null
    union all
    select grandparent_code, * exclude (own_code, parent_code, grandparent_code) from placed where grandparent_code is not null
    union all
    select '130000', * exclude (own_code, parent_code, grandparent_code) from placed where own_code is null
),

counted as (
    select
        region_code,
        count(*) as entities,
        count(*) filter (where risk_class = 'A') as class_a,
        count(*) filter (where risk_class = 'B') as class_b,
        count(*) filter (where risk_class = 'C') as class_c,
        count(*) filter (where risk_class = 'D') as class_d,
        sum(high) as alerts_high,
        sum(medium) as alerts_medium,
        sum(low) as alerts_low,
        round(avg(score), 1) as mean_score,
        max(score) as max_score
    from rolled
    group by region_code
),

final as (
    select
        r.region_code,
        r.region_name,
        r.level,
        r.parent_code,
        coalesce(c.entities, 0) as entities,
        coalesce(c.class_a, 0) as class_a,
        coalesce(c.class_b, 0) as class_b,
        coalesce(c.class_c, 0) as class_c,
        coalesce(c.class_d, 0) as class_d,
        cast(coalesce(c.alerts_high, 0) as bigint) as alerts_high,
        cast(coalesce(c.alerts_medium, 0) as bigint) as alerts_medium,
        cast(coalesce(c.alerts_low, 0) as bigint) as alerts_low,
        cast(coalesce(c.alerts_high + c.alerts_medium + c.alerts_low, 0) as bigint) as alerts,
        c.mean_score,
        c.max_score,
        jg_param_date('as_of') as as_of
    from regions as r
    left join counted as c on c.region_code = r.region_code
    where r.is_current or c.entities > 0
)

select * from final
