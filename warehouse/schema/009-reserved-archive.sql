-- 009: PLACEHOLDER so that the tamper branch's migration can be numbered 010 (migrations must run without gaps).
-- The archive branch owns number 009: at merge, replace this file with that branch's migration (nothing here to keep).
select 1;
