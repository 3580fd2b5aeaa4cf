-- output: mart.inspection_plan
-- grain: one row per entity drawn for the next 双随机 round (drawn per region and final risk class, i.e.
--   mart.entity_risk.risk_class after classes.combine; class_source says where that class came from)
-- key: entity_id
-- not_null: region_code, risk_class, draw_key, seed, inspectors
-- Draw: within each region and class, entities are ranked by md5(seed:entity_id) and the first ceil(ratio × class
--   size) are drawn (sampling.ratios, default A 3% · B 5% · C 10% · D 100%, as 冀市监规〔2022〕2号 asks for rising
--   ratios), so the same seed and data give the same plan and a new seed a new one.
-- Inspectors: sampling.inspectors_per_team (≥ 2) per entity, ranked by md5(seed:entity_id:cert:name), from the
--   inspectors in the inspection records: the region's own agencies' staff when they can fill a team, else anyone
--   who inspected in the region, in its city, in the province (team_pool says which).
with

params as (
    select
        jg_param_date('as_of') as as_of,
        jg_param_int('sampling.seed') as seed,
        cast(jg_param_int('sampling.inspectors_per_team') as integer) as team_size,
        jg_param_num('sampling.ratios.A') as ratio_a,
        jg_param_num('sampling.ratios.B') as ratio_b,
        jg_param_num('sampling.ratios.C') as ratio_c,
        jg_param_num('sampling.ratios.D') as ratio_d
),

entities as (
    select entity_id, name, region_code, risk_class, class_source, score from mart.entity_risk where region_code is not null
),

regions as (
    select region_code, region_name from ref.regions
),

ranked as (
    select
        e.*,
        md5(cast(p.seed as varchar) || ':' || e.entity_id) as draw_key,
        row_number() over (partition by e.region_code, e.risk_class order by md5(cast(p.seed as varchar) || ':' || e.entity_id), e.entity_id) as draw_rank,
        count(*) over (partition by e.region_code, e.risk_class) as class_population,
        case e.risk_class when 'A' then p.ratio_a when 'B' then p.ratio_b when 'C' then p.ratio_c else p.ratio_d end as sample_ratio
    from entities as e
    cross join params as p
),

drawn as (
    select * from ranked where draw_rank <= ceil(sample_ratio * class_population)
),

staff as (
    select distinct
        region_code,
        substr(agency_uscc, 3, 6) = region_code as own_agency,
        unnest(inspectors) as inspector,
        coalesce(unnest(inspector_cert_nos), '') as cert_no
    from core.inspections
    where region_code is not null
),

hierarchy as (
    select region_code, parent_code from ref.regions
),

drawn_regions as (
    select distinct region_code from drawn
),

candidates as (
    -- widening pools: 1 the region's own agencies, 2 anyone who inspected in the region, 3 anyone who inspected
    -- in its city (the region and its siblings), 4 anyone in the province
    select d.region_code, 1 as tier, s.inspector, s.cert_no
    from drawn_regions as d inner join staff as s on s.region_code = d.region_code and s.own_agency
    union all
    select d.region_code, 2, s.inspector, s.cert_no
    from drawn_regions as d inner join staff as s on s.region_code = d.region_code
    union all
    select d.region_code, 3, s.inspector, s.cert_no
    from drawn_regions as d
    inner join hierarchy as h on h.region_code = d.region_code
    inner join hierarchy as sibling on sibling.parent_code = h.parent_code
    inner join staff as s on s.region_code = sibling.region_code
    union all
    select d.region_code, 4, s.inspector, s.cert_no
    from drawn_regions as d cross join staff as s
),

pool_tier as (
    select c.region_code, min(c.tier) as tier
    from (
        select region_code, tier, count(distinct (inspector, cert_no)) as n
        from candidates
        where inspector is not null
        group by region_code, tier
    ) as c
    cross join params as p
    where c.n >= p.team_size
    group by c.region_code
),

pool as (
    select distinct c.region_code, c.tier, c.inspector, c.cert_no
    from candidates as c
    inner join pool_tier as t on t.region_code = c.region_code and t.tier = c.tier
    where c.inspector is not null
),

team_candidates as (
    select
        d.entity_id, pl.inspector, pl.cert_no, pl.tier,
        row_number() over (
            partition by d.entity_id
            order by md5(cast(p.seed as varchar) || ':' || d.entity_id || ':' || pl.cert_no || ':' || pl.inspector), pl.inspector, pl.cert_no
        ) as pick,
        p.team_size
    from drawn as d
    cross join params as p
    inner join pool as pl on pl.region_code = d.region_code
),

teams as (
    select
        entity_id,
        list(inspector order by pick) as inspectors,
        list(nullif(cert_no, '') order by pick) as inspector_cert_nos,
        any_value(tier) as pool_tier
    from team_candidates
    where pick <= team_size
    group by entity_id
),

final as (
    select
        d.entity_id,
        d.name,
        d.region_code,
        r.region_name,
        d.risk_class,
        d.class_source,
        d.score,
        d.sample_ratio,
        d.class_population,
        d.draw_rank,
        d.draw_key,
        coalesce(t.inspectors, []) as inspectors,
        coalesce(t.inspector_cert_nos, []) as inspector_cert_nos,
        len(coalesce(t.inspectors, [])) >= p.team_size as team_complete,
        case t.pool_tier when 1 then 'region-agency' when 2 then 'region' when 3 then 'city' when 4 then 'province' end as team_pool,
        p.seed,
        p.as_of
    from drawn as d
    cross join params as p
    left join regions as r on r.region_code = d.region_code
    left join teams as t on t.entity_id = d.entity_id
)

select * from final
