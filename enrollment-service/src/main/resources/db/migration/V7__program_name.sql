-- The programme's display name as eligibility-service last published it with an outcome (EligibilityChanged.programName,
-- added later: NULL until an event carries it; the emails then name the programme by its id).
ALTER TABLE location_program ADD COLUMN program_name TEXT;
