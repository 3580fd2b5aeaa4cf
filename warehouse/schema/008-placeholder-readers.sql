-- 008: reserved for the readers' branch (its 008 replaces this file when the branches are merged); it changes nothing,
-- so that 009 applies in sequence on this branch.
select 1;
