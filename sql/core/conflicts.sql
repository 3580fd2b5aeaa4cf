-- output: core.conflicts
-- grain: one row per field of a real-world record on which two reporting sources disagree (for data-quality review)
-- key: conflict_id
-- not_null: record_id, field, reported
-- Only versions known by as_of count (jg_known_by_as_of). Each source counts with its latest version of the record (a later batch of the same source is an update,
-- not a conflict). Who reported it (source_unit, source_unit_uscc, remark, the court's own record id) and the
-- lineage columns are not compared. NULL and '' count as the same value. record_id is the id of the merged
-- record in its core table (lic- core.licenses, pen- core.penalties, ins- core.inspections, others
-- core.credit_events).
with

versions as (
    -- One line per feed: the columns that identify a version as they are (jg_version_column), the compared ones as
    -- text with NULL as '' (jg_compared_column; the list names what a feed carries about who reported it).
    select 'license' as feed, columns(c -> jg_version_column(c)), coalesce(columns(c -> jg_compared_column(c, ['source_unit', 'source_unit_uscc', 'remark']))::varchar, '') from staging.license where _known_by_as_of
    union all by name select 'penalty' as feed, columns(c -> jg_version_column(c)), coalesce(columns(c -> jg_compared_column(c, ['source_unit', 'source_unit_uscc', 'remark']))::varchar, '') from staging.penalty where _known_by_as_of
    union all by name select 'inspection' as feed, columns(c -> jg_version_column(c)), coalesce(columns(c -> jg_compared_column(c, []))::varchar, '') from staging.inspection where _known_by_as_of
    union all by name select 'dishonest_debtor' as feed, columns(c -> jg_version_column(c)), coalesce(columns(c -> jg_compared_column(c, ['record_id']))::varchar, '') from staging.dishonest_debtor where _known_by_as_of
    union all by name select 'abnormal_operation' as feed, columns(c -> jg_version_column(c)), coalesce(columns(c -> jg_compared_column(c, []))::varchar, '') from staging.abnormal_operation where _known_by_as_of
    union all by name select 'serious_violation' as feed, columns(c -> jg_version_column(c)), coalesce(columns(c -> jg_compared_column(c, []))::varchar, '') from staging.serious_violation where _known_by_as_of
    union all by name select 'credit_rating' as feed, columns(c -> jg_version_column(c)), coalesce(columns(c -> jg_compared_column(c, []))::varchar, '') from staging.credit_rating where _known_by_as_of
),

cells as (
    -- Only records more than one source reported can disagree. A column of another feed is NULL in a row, and
    -- UNPIVOT drops NULLs: each row turns into exactly its own feed's fields.
    unpivot (
        select * from versions qualify count(distinct _source_id) over (partition by feed, _record_id) > 1
    ) on columns(c -> c <> 'feed' and not jg_version_column(c)) into name field value value
),

source_versions as (
    -- one value per source: that of its latest batch
    select *
    from cells
    qualify row_number() over (partition by feed, _record_id, field, _source_id order by _batch_id desc, _record_no desc) = 1
),

disputed as (
    select
        feed,
        _record_id as record_id,
        any_value(_nk) as natural_key,
        field,
        count(distinct _level) as levels,
        list_sort(list_distinct(list(_level))) as reported_levels,
        list(
            {'level': _level, 'source_id': _source_id, 'batch_id': _batch_id, 'record_no': _record_no, 'value': nullif(value, '')}
            order by lv.sort_order, _source_id
        ) as reported
    from source_versions
    -- province, city, county: the order ref.codes gives the levels
    left join ref.codes as lv on lv.code_set = 'level' and lv.code = _level
    group by feed, _record_id, field
    having count(distinct value) > 1
),

final as (
    select
        'cf-' || left(md5(feed || '|' || record_id || '|' || field), 16) as conflict_id,
        feed,
        record_id,
        natural_key,
        field,
        levels,
        reported_levels,
        reported
    from disputed
)

select * from final
