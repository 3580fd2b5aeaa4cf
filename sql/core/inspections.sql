-- output: core.inspections
-- grain: one row per real-world inspection (检查行为编号), however many sources reported it
-- key: inspection_id
-- not_null: lineage, won_level
-- precedence: the inspecting agency's own report wins; then a report from the agency's level; then the newest
--   batch and the later record in it. All versions stay in lineage; disagreements go to core.conflicts.
-- entity_id: the credit code (inspection records carry no 注册号).
-- has_problem / is_operating come from the configured 检查结果 code lists (codes.problem_results,
--   codes.not_operating_results); E (发现问题经责令已改正) alone is not an open problem.
with

versions as (
    -- only what was known by as_of: the batch known and the record dated on or before it (jg_known_by_as_of)
    select * from staging.inspection where _known_by_as_of
),

params as (
    select
        jg_param_list('codes.problem_results') as problem_results,
        jg_param_list('codes.not_operating_results') as not_operating_results
),

lineage as (
    -- One aggregate per record: its versions, and which one wins (jg_winner).
    select
        _record_id,
        count(*) as versions,
        list_sort(list(distinct _level)) as reported_levels,
        list_sort(list({'batch_id': _batch_id, 'record_no': _record_no})) as lineage,
        jg_winner(_department, _owner, _level, _owner_level, null::date, _batch_id, _record_no) as won
    from versions
    group by _record_id
),

final as (
    select
        w._record_id as inspection_id,
        w.inspection_no,
        w.uscc as entity_id,
        w.uscc,
        w.subject_name,
        w.subject_nature,
        w.region_code,
        w.agency,
        w.agency_uscc,
        w._owner_level as agency_level,
        w.plan_id,
        w.task_name,
        w.item_code,
        w.inspection_name,
        w.form,
        w.results,
        list_filter(w.results, c -> list_contains(p.problem_results, c)) as problem_codes,
        list_has_any(w.results, p.problem_results) as has_problem,
        not list_has_any(w.results, p.not_operating_results) as is_operating,
        w.follow_up,
        w.inspected_on,
        w.reported_on,
        w.inspectors,
        w.inspector_cert_nos,
        jg_precedence(l.versions, w._department, w._owner, w._level, w._owner_level, 'agency') as precedence,
        w._level as won_level,
        w._source_id as won_source_id,
        w._batch_id as won_batch_id,
        w._record_no as won_record_no,
        l.versions,
        l.reported_levels,
        l.lineage
    from lineage as l
    inner join versions as w on w._batch_id = l.won.batch_id and w._record_no = l.won.record_no
    cross join params as p

)

select * from final
