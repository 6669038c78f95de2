-- Whether a user gets the non-critical emails (identity's UserEmailPreferencesChanged): true until they opt out.
ALTER TABLE organization_user ADD COLUMN non_critical_emails BOOLEAN NOT NULL DEFAULT true;
