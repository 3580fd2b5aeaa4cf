-- 003: history. Risk classes and alert states as append-only events; the SCD2 views (history.entity_class,
-- history.alert_state) derive intervals from them (pipelines/audit/history.ts explains why events, not intervals).
create schema if not exists history;
create sequence if not exists history.event_seq start 1;
create table if not exists history.runs (
  run_id bigint not null, as_of date not null, recorded_at timestamptz not null,
  entities bigint not null, alerts bigint not null, class_events bigint not null, alert_events bigint not null
);
create table if not exists history.entity_class_events (
  seq bigint primary key, uscc varchar not null, as_of date not null, present boolean not null,
  risk_class varchar, score integer, name varchar, region_code varchar, factors varchar,
  evidence_batches bigint[], run_id bigint not null, recorded_at timestamptz not null, restates_run bigint
);
create table if not exists history.alert_events (
  seq bigint primary key, alert_id varchar not null, as_of date not null, present boolean not null,
  uscc varchar, rule_code varchar, severity varchar, message varchar, evidence varchar[],
  evidence_batches bigint[], run_id bigint not null, recorded_at timestamptz not null, restates_run bigint
);

-- Intervals from events: per key and as-of date the latest recorded event wins; a repeat of the state in force
-- starts no new interval; valid_to is the next interval's valid_from (exclusive), NULL while in force.
create or replace view history.entity_class as
with latest as (
  select * from history.entity_class_events qualify row_number() over (partition by uscc, as_of order by seq desc) = 1
),
marked as (
  select *, (present::varchar || ':' || coalesce(risk_class, '')) is distinct from lag(present::varchar || ':' || coalesce(risk_class, '')) over (partition by uscc order by as_of) as starts from latest
),
starts as (select * exclude (starts) from marked where starts)
select * exclude (as_of), as_of as valid_from, lead(as_of) over (partition by uscc order by as_of) as valid_to
from starts;
create or replace view history.alert_state as
with latest as (
  select * from history.alert_events qualify row_number() over (partition by alert_id, as_of order by seq desc) = 1
),
marked as (
  select *, (present::varchar) is distinct from lag(present::varchar) over (partition by alert_id order by as_of) as starts from latest
),
starts as (select * exclude (starts) from marked where starts)
select * exclude (as_of), as_of as valid_from, lead(as_of) over (partition by alert_id order by as_of) as valid_to
from starts;
