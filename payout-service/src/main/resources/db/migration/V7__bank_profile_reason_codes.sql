-- Why a bank profile needs action, as a code and its values, so that each reader gets the reason in their own
-- language (the API renders it from the code); status_reason keeps the English text for operators and for rows
-- written before codes, which have no code and are shown as they are.
ALTER TABLE bank_profile ADD COLUMN status_reason_code TEXT;
ALTER TABLE bank_profile ADD COLUMN status_reason_args TEXT[];
ALTER TABLE bank_profile_version ADD COLUMN status_reason_code TEXT;
ALTER TABLE bank_profile_version ADD COLUMN status_reason_args TEXT[];
