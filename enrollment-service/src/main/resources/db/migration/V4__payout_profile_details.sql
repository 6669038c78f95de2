-- Which profile is missing or refused, as payout-service's PayoutProfileStatusChanged says (taxProfile, bankProfile),
-- so an enrolment in ACTION_REQUIRED can tell the partner what to do. Null for events applied before this version
-- (only the overall status was kept then); the next event for the location fills them.
ALTER TABLE payout_profile_status ADD COLUMN tax_profile TEXT;
ALTER TABLE payout_profile_status ADD COLUMN bank_profile TEXT;
