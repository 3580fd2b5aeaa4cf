-- output: core.entities
-- grain: one row per entity with a unified social credit code (统一社会信用代码), across all seven feeds
-- key: uscc
-- not_null: lineage, won_level, name
-- name: the name used most often; ties go to the most recently dated record, then the lower name. won_level is
--   the level of the most recent record carrying that name.
-- region_code: the registration area in the credit code (positions 3–8) when it is a Hebei county; otherwise
--   where inspections place the entity; otherwise the commonest county reporting it; otherwise the code's area
--   if Hebei knows it (a city). region_basis says which.
-- kind: from the registration authority and category characters (positions 1–2, GB 32100 annex).
-- lineage: every raw row that mentions the code. A 失信被执行人 record mentions the code staging.dishonest_debtor
--   gives it: the feed's uscc, or one derived from card_no (证件号码) for a company (rule in that model's header).
with

mentions as (
    select uscc, subject_name as name, decided_on as seen_on, cast(null as varchar) as region_hint,
        _level, _source_region, _batch_id, _record_no
    from staging.license where uscc is not null and _known_by_as_of
    union all
    select uscc, subject_name, inspected_on, region_code, _level, _source_region, _batch_id, _record_no
    from staging.inspection where uscc is not null and _known_by_as_of
    union all
    select uscc, subject_name, decided_on, null, _level, _source_region, _batch_id, _record_no
    from staging.penalty where uscc is not null and _known_by_as_of
    union all
    select uscc, name, coalesce(published_on, filed_on), null, _level, _source_region, _batch_id, _record_no
    from staging.dishonest_debtor where uscc is not null and _known_by_as_of
    union all
    select uscc, name, listed_on, null, _level, _source_region, _batch_id, _record_no
    from staging.abnormal_operation where uscc is not null and _known_by_as_of
    union all
    select uscc, name, listed_on, null, _level, _source_region, _batch_id, _record_no
    from staging.serious_violation where uscc is not null and _known_by_as_of
    union all
    select uscc, name, rated_on, null, _level, _source_region, _batch_id, _record_no
    from staging.credit_rating where uscc is not null and _known_by_as_of
),

regions as (
    select region_code, level from ref.regions
),

kinds as (
    select * from (values
        ('11', '机关'), ('12', '事业单位'), ('13', '群众团体'), ('19', '其他机构编制'),
        ('21', '外国常住新闻机构'), ('29', '其他外交'),
        ('31', '律师执业机构'), ('32', '公证处'), ('33', '基层法律服务所'), ('34', '司法鉴定机构'), ('35', '仲裁委员会'), ('39', '其他司法行政'),
        ('41', '外国在华文化中心'), ('49', '其他文化'),
        ('51', '社会团体'), ('52', '民办非企业单位'), ('53', '基金会'), ('59', '其他民政'),
        ('61', '外国旅游部门常驻代表机构'), ('62', '港澳台地区旅游部门常驻内地代表机构'), ('69', '其他旅游'),
        ('71', '宗教活动场所'), ('72', '宗教院校'), ('79', '其他宗教'),
        ('81', '基层工会'), ('89', '其他工会'),
        ('91', '企业'), ('92', '个体工商户'), ('93', '农民专业合作社'),
        ('A1', '军队事业单位'), ('A9', '其他军队'),
        ('N1', '组级集体经济组织'), ('N2', '村级集体经济组织'), ('N3', '乡镇级集体经济组织'), ('N9', '其他农业'),
        ('Y1', '其他')
    ) as k(kind_code, kind)
),

names as (
    select
        uscc, name, count(*) as uses, max(seen_on) as last_on,
        arg_max(_level, struct_pack(seen_on := seen_on, batch := _batch_id, rec := _record_no)) as level_of_latest
    from mentions
    where name is not null
    group by uscc, name
),

best_name as (
    select uscc, name, level_of_latest as won_level
    from names
    qualify row_number() over (partition by uscc order by uses desc, last_on desc nulls last, name) = 1
),

inspection_region as (
    select uscc, region_hint as region_code
    from mentions
    where region_hint is not null
    group by uscc, region_hint
    qualify row_number() over (partition by uscc order by count(*) desc, max(seen_on) desc nulls last, region_hint) = 1
),

county_source_region as (
    select uscc, _source_region as region_code
    from mentions
    where _level = 'county'
    group by uscc, _source_region
    qualify row_number() over (partition by uscc order by count(*) desc, _source_region) = 1
),

summary as (
    -- list_sort of the aggregate, not an ordered aggregate: same order, a third of the time on 1M rows
    select
        uscc,
        min(seen_on) as first_seen,
        max(seen_on) as last_seen,
        count(*) as records,
        list_sort(list(distinct _level)) as reported_levels,
        list_sort(list({'batch_id': _batch_id, 'record_no': _record_no})) as lineage
    from mentions
    group by uscc
),

final as (
    select
        s.uscc,
        n.name,
        case
            when a.level = 'county' then a.region_code
            else coalesce(ir.region_code, cs.region_code, a.region_code)
        end as region_code,
        case
            when a.level = 'county' then 'uscc-area'
            when ir.region_code is not null then 'inspection'
            when cs.region_code is not null then 'reporting-county'
            when a.region_code is not null then 'uscc-area'
        end as region_basis,
        substr(s.uscc, 3, 6) as registration_area,
        left(s.uscc, 2) as kind_code,
        coalesce(k.kind, '未知') as kind,
        s.first_seen,
        s.last_seen,
        s.records,
        s.reported_levels,
        n.won_level,
        s.lineage
    from summary as s
    inner join best_name as n on n.uscc = s.uscc
    left join regions as a on a.region_code = substr(s.uscc, 3, 6)
    left join inspection_region as ir on ir.uscc = s.uscc
    left join county_source_region as cs on cs.uscc = s.uscc
    left join kinds as k on k.kind_code = left(s.uscc, 2)
)

select * from final
