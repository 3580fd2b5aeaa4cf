-- 006: entities are keyed by entity_id: the credit code, or a code-less 个体工商户's 注册号 (core.entities). History
-- keeps its uscc column for the credit code (NULL for a 注册号 entity) and gains entity_id, the key its views
-- partition by; events recorded before this migration had a credit code as their key.
alter table history.entity_class_events add column if not exists entity_id varchar;
update history.entity_class_events set entity_id = uscc where entity_id is null;
alter table history.entity_class_events alter column uscc drop not null;
alter table history.alert_events add column if not exists entity_id varchar;
update history.alert_events set entity_id = uscc where entity_id is null;
create or replace view history.entity_class as
with latest as (
  select * from history.entity_class_events qualify row_number() over (partition by entity_id, as_of order by seq desc) = 1
),
marked as (
  select *, (present::varchar || ':' || coalesce(risk_class, '')) is distinct from lag(present::varchar || ':' || coalesce(risk_class, '')) over (partition by entity_id order by as_of) as starts from latest
),
starts as (select * exclude (starts) from marked where starts)
select * exclude (as_of), as_of as valid_from, lead(as_of) over (partition by entity_id order by as_of) as valid_to
from starts;
