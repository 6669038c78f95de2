-- Whether a user gets the non-critical emails (a payment sent, an enrolment or a migration completed): true until they
-- opt out. The critical ones (a payment held, refused or returned, a tax profile expiring or expired, invitations and
-- what a migration needs them to do) are sent to everyone of the right roles regardless.
ALTER TABLE user_account ADD COLUMN non_critical_emails BOOLEAN NOT NULL DEFAULT true;
