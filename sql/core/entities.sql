-- output: core.entities
-- grain: one row per entity: a subject with a unified social credit code (统一社会信用代码), or a 个体工商户 known only
--   by its 工商注册号, across all seven feeds
-- key: entity_id
-- not_null: lineage, won_level, name, id_kind
-- entity_id: the credit code, or for a 个体工商户 without one its 注册号 (jg_entity_id: 13 or 15 digits; licences and
--   penalties carry it). id_kind says which ('uscc' or 'reg_no'); uscc and reg_no hold the same value in the
--   matching column. A 个体工商户 reported once with a code and once with only its 注册号 is two entities: the code
--   does not embed the number. Natural persons and subjects with neither are not entities (core.uncoded_subjects).
-- name: the name used most often; ties go to the most recently dated record, then the lower name. won_level is
--   the level of the most recent record carrying that name.
-- region_code: the registration area (positions 3–8 of a credit code, the first 6 digits of a 注册号) when it is a
--   Hebei county; otherwise where inspections place the entity; otherwise the commonest county reporting it;
--   otherwise the area if Hebei knows it (a city). region_basis says which: 'registration-area', 'inspection', 'reporting-county'.
-- kind: from the registration authority and category characters of a credit code (positions 1–2, GB 32100
--   annex); 个体工商户 for a 注册号.
-- lineage: every raw row that mentions the entity. A 失信被执行人 record mentions the code staging.dishonest_debtor
--   gives it: the feed's uscc, or one derived from card_no (证件号码) for a company (rule in that model's header).
with

mentions as (
    select jg_entity_id(uscc, subject_kind, reg_no) as entity_id, subject_name as name, decided_on as seen_on,
        cast(null as varchar) as region_hint, _level, _source_region, _batch_id, _record_no
    from staging.license where jg_entity_id(uscc, subject_kind, reg_no) is not null and _known_by_as_of
    union all
    select uscc, subject_name, inspected_on, region_code, _level, _source_region, _batch_id, _record_no
    from staging.inspection where uscc is not null and _known_by_as_of
    union all
    select jg_entity_id(uscc, subject_kind, reg_no), subject_name, decided_on, null, _level, _source_region, _batch_id, _record_no
    from staging.penalty where jg_entity_id(uscc, subject_kind, reg_no) is not null and _known_by_as_of
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
        entity_id, name, count(*) as uses, max(seen_on) as last_on,
        arg_max(_level, struct_pack(seen_on := seen_on, batch := _batch_id, rec := _record_no)) as level_of_latest
    from mentions
    where name is not null
    group by entity_id, name
),

best_name as (
    select entity_id, name, level_of_latest as won_level
    from names
    qualify row_number() over (partition by entity_id order by uses desc, last_on desc nulls last, name) = 1
),

inspection_region as (
    select entity_id, region_hint as region_code
    from mentions
    where region_hint is not null
    group by entity_id, region_hint
    qualify row_number() over (partition by entity_id order by count(*) desc, max(seen_on) desc nulls last, region_hint) = 1
),

county_source_region as (
    select entity_id, _source_region as region_code
    from mentions
    where _level = 'county'
    group by entity_id, _source_region
    qualify row_number() over (partition by entity_id order by count(*) desc, _source_region) = 1
),

summary as (
    -- list_sort of the aggregate, not an ordered aggregate: same order, a third of the time on 1M rows
    select
        entity_id,
        case when length(entity_id) = 18 then 'uscc' else 'reg_no' end as id_kind,
        -- the registration area: positions 3–8 of a credit code, the first 6 digits of a 注册号
        case when length(entity_id) = 18 then substr(entity_id, 3, 6) else left(entity_id, 6) end as area,
        min(seen_on) as first_seen,
        max(seen_on) as last_seen,
        count(*) as records,
        list_sort(list(distinct _level)) as reported_levels,
        list_sort(list({'batch_id': _batch_id, 'record_no': _record_no})) as lineage
    from mentions
    group by entity_id
),

final as (
    select
        s.entity_id,
        case when s.id_kind = 'uscc' then s.entity_id end as uscc,
        case when s.id_kind = 'reg_no' then s.entity_id end as reg_no,
        s.id_kind,
        n.name,
        case
            when a.level = 'county' then a.region_code
            else coalesce(ir.region_code, cs.region_code, a.region_code)
        end as region_code,
        case
            when a.level = 'county' then 'registration-area'
            when ir.region_code is not null then 'inspection'
            when cs.region_code is not null then 'reporting-county'
            when a.region_code is not null then 'registration-area'
        end as region_basis,
        s.area as registration_area,
        case when s.id_kind = 'uscc' then left(s.entity_id, 2) end as kind_code,
        case when s.id_kind = 'reg_no' then '个体工商户' else coalesce(k.kind, '未知') end as kind,
        s.first_seen,
        s.last_seen,
        s.records,
        s.reported_levels,
        n.won_level,
        s.lineage
    from summary as s
    inner join best_name as n on n.entity_id = s.entity_id
    left join regions as a on a.region_code = s.area
    left join inspection_region as ir on ir.entity_id = s.entity_id
    left join county_source_region as cs on cs.entity_id = s.entity_id
    left join kinds as k on k.kind_code = left(s.entity_id, 2) and s.id_kind = 'uscc'
)

select * from final
