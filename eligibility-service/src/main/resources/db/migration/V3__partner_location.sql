-- One name for the location projection in every service (issue 19): payout-service and enrollment-service call
-- their copy of identity-service's locations partner_location; so does eligibility now. A rename keeps the rows.
ALTER TABLE known_location RENAME TO partner_location;
ALTER INDEX known_location_pkey RENAME TO partner_location_pkey;
ALTER INDEX known_location_organization RENAME TO partner_location_organization;
ALTER INDEX known_location_next_evaluation RENAME TO partner_location_next_evaluation;
ALTER INDEX known_location_partner_type RENAME TO partner_location_partner_type;
