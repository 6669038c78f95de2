-- A user's preferred language (the Keycloak attribute `locale`, which the token's `locale` claim also carries): the
-- language of the emails other services send them. NULL: never chosen (they get the default, English).
ALTER TABLE user_account ADD COLUMN locale TEXT CHECK (locale IN ('en', 'ja', 'ko'));
