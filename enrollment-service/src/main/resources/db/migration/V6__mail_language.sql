-- The language an email is written in (each recipient gets theirs: one email per language): for operators and tests.
-- The emails queued before were all English.
ALTER TABLE mail_outbox ADD COLUMN language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'ja', 'ko'));
ALTER TABLE mail_outbox ALTER COLUMN language DROP DEFAULT;
