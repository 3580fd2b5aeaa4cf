-- output: core.conflicts
-- grain: one row per field of a real-world record on which two reporting sources disagree (for data-quality review)
-- key: conflict_id
-- not_null: record_id, field, reported
-- Each source counts with its latest version of the record (a later batch of the same source is an update,
-- not a conflict). Who reported it (source_unit, source_unit_uscc, remark, the court's own record id) and the
-- lineage columns are not compared. NULL and '' count as the same value. record_id is the id of the merged
-- record in its core table (lic- core.licenses, pen- core.penalties, ins- core.inspections, others
-- core.credit_events).
with

license_cells as (
    -- only records more than one source reported can disagree
    unpivot (
        select 'license' as feed, _record_id, _nk, _source_id, _level, _batch_id, _record_no,
            coalesce(columns(* exclude (_record_id, _nk, _source_id, _level, _batch_id, _record_no,
                _source_region, _department, _owner, _owner_level, source_unit, source_unit_uscc, remark))::varchar, '')
        from staging.license
        where _record_id in (select _record_id from staging.license group by 1 having count(distinct _source_id) > 1)
    ) on columns(* exclude (feed, _record_id, _nk, _source_id, _level, _batch_id, _record_no)) into name field value value
),

penalty_cells as (
    -- only records more than one source reported can disagree
    unpivot (
        select 'penalty' as feed, _record_id, _nk, _source_id, _level, _batch_id, _record_no,
            coalesce(columns(* exclude (_record_id, _nk, _source_id, _level, _batch_id, _record_no,
                _source_region, _department, _owner, _owner_level, source_unit, source_unit_uscc, remark))::varchar, '')
        from staging.penalty
        where _record_id in (select _record_id from staging.penalty group by 1 having count(distinct _source_id) > 1)
    ) on columns(* exclude (feed, _record_id, _nk, _source_id, _level, _batch_id, _record_no)) into name field value value
),

inspection_cells as (
    -- only records more than one source reported can disagree
    unpivot (
        select 'inspection' as feed, _record_id, _nk, _source_id, _level, _batch_id, _record_no,
            coalesce(columns(* exclude (_record_id, _nk, _source_id, _level, _batch_id, _record_no,
                _source_region, _department, _owner, _owner_level))::varchar, '')
        from staging.inspection
        where _record_id in (select _record_id from staging.inspection group by 1 having count(distinct _source_id) > 1)
    ) on columns(* exclude (feed, _record_id, _nk, _source_id, _level, _batch_id, _record_no)) into name field value value
),

dishonest_debtor_cells as (
    -- only records more than one source reported can disagree
    unpivot (
        select 'dishonest_debtor' as feed, _record_id, _nk, _source_id, _level, _batch_id, _record_no,
            coalesce(columns(* exclude (_record_id, _nk, _source_id, _level, _batch_id, _record_no,
                _source_region, _department, _owner, _owner_level, record_id))::varchar, '')
        from staging.dishonest_debtor
        where _record_id in (select _record_id from staging.dishonest_debtor group by 1 having count(distinct _source_id) > 1)
    ) on columns(* exclude (feed, _record_id, _nk, _source_id, _level, _batch_id, _record_no)) into name field value value
),

abnormal_operation_cells as (
    -- only records more than one source reported can disagree
    unpivot (
        select 'abnormal_operation' as feed, _record_id, _nk, _source_id, _level, _batch_id, _record_no,
            coalesce(columns(* exclude (_record_id, _nk, _source_id, _level, _batch_id, _record_no,
                _source_region, _department, _owner, _owner_level))::varchar, '')
        from staging.abnormal_operation
        where _record_id in (select _record_id from staging.abnormal_operation group by 1 having count(distinct _source_id) > 1)
    ) on columns(* exclude (feed, _record_id, _nk, _source_id, _level, _batch_id, _record_no)) into name field value value
),

serious_violation_cells as (
    -- only records more than one source reported can disagree
    unpivot (
        select 'serious_violation' as feed, _record_id, _nk, _source_id, _level, _batch_id, _record_no,
            coalesce(columns(* exclude (_record_id, _nk, _source_id, _level, _batch_id, _record_no,
                _source_region, _department, _owner, _owner_level))::varchar, '')
        from staging.serious_violation
        where _record_id in (select _record_id from staging.serious_violation group by 1 having count(distinct _source_id) > 1)
    ) on columns(* exclude (feed, _record_id, _nk, _source_id, _level, _batch_id, _record_no)) into name field value value
),

credit_rating_cells as (
    -- only records more than one source reported can disagree
    unpivot (
        select 'credit_rating' as feed, _record_id, _nk, _source_id, _level, _batch_id, _record_no,
            coalesce(columns(* exclude (_record_id, _nk, _source_id, _level, _batch_id, _record_no,
                _source_region, _department, _owner, _owner_level))::varchar, '')
        from staging.credit_rating
        where _record_id in (select _record_id from staging.credit_rating group by 1 having count(distinct _source_id) > 1)
    ) on columns(* exclude (feed, _record_id, _nk, _source_id, _level, _batch_id, _record_no)) into name field value value
),

cells as (
    select * from license_cells
    union all
    select * from penalty_cells
    union all
    select * from inspection_cells
    union all
    select * from dishonest_debtor_cells
    union all
    select * from abnormal_operation_cells
    union all
    select * from serious_violation_cells
    union all
    select * from credit_rating_cells
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
            order by case _level when 'province' then 1 when 'city' then 2 else 3 end, _source_id
        ) as reported
    from source_versions
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
