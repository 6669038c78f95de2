-- The daily check warns a location 30 days before its tax profile expires (TaxProfileExpiring, which enrollment-service
-- mails to the partner): the expiry date it warned for. A correction that moves the date is warned for again.
ALTER TABLE tax_profile ADD COLUMN expiry_warned_for DATE;
