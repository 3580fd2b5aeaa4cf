-- output: core.unmatched_listings
-- grain: one row per 失信被执行人 listing (core.credit_events, event_type 'dishonest_debtor') of a company
--   (法人或其他组织, staging.dishonest_debtor.party) whose winning version carries no credit code that names an
--   entity: neither the feed's uscc nor one derived from card_no (the rule is in the staging.dishonest_debtor
--   header). Such a listing cannot score or alert against any entity; it is kept here instead of being dropped.
--   Listings of natural persons are not entities and do not appear.
-- key: event_id
-- not_null: reason, lineage, won_level
-- reason: the winning version's staging.dishonest_debtor.unmatched_reason: 'no-code', 'org-code-unknown',
--   'org-code-ambiguous' or 'invalid-code'.
-- lineage: all versions of the listing, as in core.credit_events.
with

events as (
    select * from core.credit_events
    where event_type = 'dishonest_debtor' and uscc is null
),

versions as (
    select _record_id, _batch_id, _record_no, party, card_no, unmatched_reason, party_type
    from staging.dishonest_debtor
),

final as (
    select
        e.event_id,
        e.name,
        e.doc_no as case_no,
        v.card_no,
        v.party_type,
        v.unmatched_reason as reason,
        e.listed_on,
        e.removed_on,
        e.in_force,
        e.authority as court,
        e.won_level,
        e.won_source_id,
        e.won_batch_id,
        e.won_record_no,
        e.versions,
        e.lineage
    from events as e
    inner join versions as v
        on v._record_id = e.event_id and v._batch_id = e.won_batch_id and v._record_no = e.won_record_no
    where v.party = 'company'
)

select * from final
