-- Invitation reminders (7 days and 1 day before an invitation lapses): the last one sent, in days before expiry (7 or
-- 1), null while none was. The reminder job sends the nearest one due and records it in the same transaction; it
-- finds the due invitations by invitation_due (expires_at, where ISSUED).
ALTER TABLE invitation ADD COLUMN reminded_days_before integer CHECK (reminded_days_before IN (1, 7));
