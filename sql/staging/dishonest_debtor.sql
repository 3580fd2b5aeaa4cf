-- output: staging.dishonest_debtor
-- grain: one row per loaded 失信被执行人 record (raw.dishonest_debtor), nothing merged yet; a company's credit code
--   is taken from card_no (证件号码) when the feed's uscc is empty, by the rule under uscc: in this file's header
-- key: _batch_id, _record_no
-- natural_key: case_no, name
-- Case numbers fold full-width brackets to half-width (（2023）冀0533执123号 = (2023)冀0533执123号), because
-- court exports and provincial re-publications disagree on them. _owner is the executing court.
-- party: 'person' or 'company' (法人或其他组织), decided in this order: party_type '1' or '法人或其他组织' → company;
--   '0' or '自然人' → person; card_no (normalised as below) a valid credit code (rule 1) or a 9-character
--   organisation code with a correct check character (rule 2, whether known or not) → company; card_no shaped like
--   a 身份证 number (15 of [0-9*], or 17 of [0-9*] and one of [0-9X*]) → person; a name longer than 4 characters
--   (blanks removed) → company (a person's name has 2–4); else person.
-- uscc: the entity's credit code. The feed's own uscc when present; else, for a company only, derived from
--   card_no (证件号码) normalised with jg_uscc_norm (trim, full-width to ASCII, upper case):
--   1. card_no is an 18-character valid credit code (jg_uscc_reason(card_no) is NULL: charset, registration
--      authority and category, the MOD 31 check character 18, the organisation check character 17, area; not the
--      placeholder 00000000000000000X) → that code (uscc_basis 'card_no'). The guard against a person's 18-digit
--      身份证 number: a person (party_type '0') is never matched, and without a party_type an ID number passes only
--      if its first two digits are a registration authority + category pair, both check characters hold and
--      positions 3–8 are a known area; a masked ID (with '*') never passes.
--   2. card_no, with the hyphen of the form 'XXXXXXXX-X' removed, is a 9-character organisation code with a
--      correct check character (jg_org_code_ok) and equals positions 9–17 of exactly one known credit code →
--      that code (uscc_basis 'card_no-org-code'). Known credit codes: the uscc of every row of staging.license,
--      staging.inspection, staging.penalty, staging.abnormal_operation, staging.serious_violation,
--      staging.credit_rating, and the feed's own uscc column of raw.dishonest_debtor (not core.entities, which
--      reads this model: a cycle), each counted only when known by as_of (_known_by_as_of, below), so that a code
--      first reported after as_of cannot match an earlier listing.
--   Otherwise uscc is NULL and, for a company, unmatched_reason says why: 'no-code' (card_no blank),
--   'org-code-unknown' (a valid organisation code in no known credit code), 'org-code-ambiguous' (in more than
--   one), 'invalid-code' (anything else: wrong length, characters or check characters).
-- uscc_basis: 'uscc' (the feed's column), 'card_no', 'card_no-org-code', or NULL (no code).
-- _known_on, _dated_on, _known_by_as_of: as in every staging model (staging.license).
with

source as (
    select * from raw.dishonest_debtor
),

batches as (
    select batch_id, source_id, level, region_code, department, known_on
    from meta.batches
),

known_codes as (
    select uscc from staging.license where uscc is not null and _known_by_as_of
    union select uscc from staging.inspection where uscc is not null and _known_by_as_of
    union select uscc from staging.penalty where uscc is not null and _known_by_as_of
    union select uscc from staging.abnormal_operation where uscc is not null and _known_by_as_of
    union select uscc from staging.serious_violation where uscc is not null and _known_by_as_of
    union select uscc from staging.credit_rating where uscc is not null and _known_by_as_of
    union select upper(trim(r.uscc))
    from raw.dishonest_debtor as r
    inner join batches as b on b.batch_id = r._batch_id
    where nullif(trim(r.uscc), '') is not null and jg_known_by_as_of(b.known_on, coalesce(r.published_on, r.filed_on))
),

org_codes as (
    -- an organisation code → the one known credit code embedding it (NULL when several do)
    select substr(uscc, 9, 9) as org_code, case when count(*) = 1 then min(uscc) end as uscc
    from known_codes
    group by 1
),

normalised as (
    select
        source.*,
        regexp_replace(replace(replace(upper(trim(source.case_no)), '（', '('), '）', ')'), '\s+', '', 'g') as case_no_norm,
        jg_org_name(source.name) as name_norm,
        nullif(upper(trim(source.uscc)), '') as own_uscc,
        jg_uscc_norm(source.card_no) as card_norm
    from source
),

card_checked as (
    -- jg_uscc_reason reads its argument many times: give it a column (see schemas/validators/macros.ts)
    select
        normalised.*,
        coalesce(length(card_norm) = 18 and card_norm <> '00000000000000000X' and jg_uscc_reason(card_norm) is null, false) as card_is_uscc,
        regexp_replace(card_norm, '^([0-9A-Z]{8})-([0-9A-Z])$', '\1\2') as card_org
    from normalised
),

classified as (
    select
        c.*,
        case
            when c.party_type in ('1', '法人或其他组织') then 'company'
            when c.party_type in ('0', '自然人') then 'person'
            when c.card_is_uscc or jg_org_code_ok(c.card_org) then 'company'
            when regexp_full_match(c.card_norm, '[0-9*]{15}|[0-9*]{17}[0-9X*]') then 'person'
            when length(jg_org_name(c.name)) > 4 then 'company'
            else 'person'
        end as party,
        jg_org_code_ok(c.card_org) as org_ok
    from card_checked as c
),

matched as (
    select
        c.*,
        case
            when c.own_uscc is not null then c.own_uscc
            when c.party <> 'company' then null
            when c.card_is_uscc then c.card_norm
            when c.org_ok then o.uscc
        end as entity_uscc,
        case
            when c.own_uscc is not null then 'uscc'
            when c.party <> 'company' then null
            when c.card_is_uscc then 'card_no'
            when c.org_ok and o.uscc is not null then 'card_no-org-code'
        end as uscc_basis,
        case
            when c.own_uscc is not null or c.party <> 'company' or c.card_is_uscc then null
            when c.card_norm is null then 'no-code'
            when c.org_ok and o.org_code is null then 'org-code-unknown'
            when c.org_ok and o.uscc is null then 'org-code-ambiguous'
            when c.org_ok then null
            else 'invalid-code'
        end as unmatched_reason
    from classified as c
    left join org_codes as o on o.org_code = c.card_org and c.org_ok
),

final as (
    select
        'dd-' || left(md5(n.case_no_norm || '|' || n.name_norm), 16) as _record_id,
        n.case_no_norm || ' | ' || n.name_norm as _nk,
        n._batch_id,
        n._record_no,
        b.source_id as _source_id,
        b.known_on as _known_on,
        coalesce(n.published_on, n.filed_on) as _dated_on,
        jg_known_by_as_of(b.known_on, coalesce(n.published_on, n.filed_on)) as _known_by_as_of,
        b.level as _level,
        b.region_code as _source_region,
        jg_org_name(b.department) as _department,
        jg_org_name(n.court) as _owner,
        cast(null as varchar) as _owner_level,
        n.record_id,
        n.name_norm as name,
        n.case_no_norm as case_no,
        n.card_norm as card_no,
        n.entity_uscc as uscc,
        n.uscc_basis,
        n.party,
        n.unmatched_reason,
        n.legal_rep,
        jg_org_name(n.court) as court,
        n.party_type,
        n.gist_no,
        n.filed_on,
        n.gist_unit,
        n.duty,
        n.performance,
        list_sort(list_distinct(n.situations)) as situations,
        n.published_on,
        n.removed_on
    from matched as n
    inner join batches as b on b.batch_id = n._batch_id
)

select * from final
