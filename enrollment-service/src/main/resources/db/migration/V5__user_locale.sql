-- A user's preferred language as identity-service publishes it (UserCreated.locale, UserLocaleChanged): `en`, `ja`,
-- `ko`, or NULL when they never chose one (or the event came before identity had the field). Decides the language of
-- the emails the user gets.
ALTER TABLE organization_user ADD COLUMN locale TEXT CHECK (locale IN ('en', 'ja', 'ko'));
