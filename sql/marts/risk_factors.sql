-- output: mart.risk_factors
-- grain: one row per entity and scoring factor, plus a recency_decay row per entity whose scored events have aged
-- key: entity_id, factor
-- not_null: points, evidence, position
-- points = the factor's raw points, capped (weights.*_cap; a listing counts once). recency_decay is negative: what
--   the fading of inspection_problems and penalties takes off, round(Σ capped decayed points) − Σ capped raw
--   points, with the aged items as its evidence. Decayed points are summed as DECIMAL(18,6) so that the sum, and
--   its rounding, never depends on the order rows are added in.
with

items as (
    select * from mart.risk_factor_items
),

caps as (
    select * from (values
        ('inspection_problems', jg_param_int('weights.inspection_cap'), 1),
        ('unresolved_rectification', jg_param_int('weights.unresolved_rectification'), 2),
        ('penalties', jg_param_int('weights.penalty_cap'), 3),
        ('dishonest_debtor', jg_param_int('weights.dishonest_debtor'), 4),
        ('serious_violation', jg_param_int('weights.serious_violation'), 5),
        ('abnormal_operation', jg_param_int('weights.abnormal_cap'), 6),
        ('license_problems', jg_param_int('weights.license_cap'), 7)
    ) as c(factor, cap, position)
),

per_factor as (
    select
        i.entity_id,
        i.factor,
        c.position,
        cast(least(c.cap, sum(i.raw_points)) as integer) as points,
        least(cast(c.cap as decimal(18, 6)), sum(cast(i.raw_points * i.decay as decimal(18, 6)))) as decayed,
        list_sort(list_distinct(flatten(list(i.evidence)))) as evidence,
        list_sort(list_distinct(flatten(list(i.evidence) filter (where i.decay < 1)))) as aged_evidence
    from items as i
    inner join caps as c on c.factor = i.factor
    group by i.entity_id, i.factor, c.position, c.cap
),

decay as (
    select
        entity_id,
        'recency_decay' as factor,
        8 as position,
        cast(round(sum(decayed)) as integer) - cast(sum(points) as integer) as points,
        list_sort(list_distinct(flatten(list(aged_evidence)))) as evidence
    from per_factor
    where factor in ('inspection_problems', 'penalties')
    group by entity_id
),

final as (
    select entity_id, factor, position, points, evidence from per_factor
    union all
    select entity_id, factor, position, points, evidence from decay where points <> 0
)

select * from final
