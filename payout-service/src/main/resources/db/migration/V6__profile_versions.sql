-- Tax and bank profiles can be corrected: a correction makes a new version of the same profile (same id, so the
-- payout assignments and payments that name it follow it), validated again like a new profile. The profile's row is
-- its current version (`version` counts them, and is its ETag); every version, the current one included, is kept in
-- *_version, never updated except to close it (superseded_at) when the next one replaces it.
ALTER TABLE tax_profile ADD COLUMN version INT NOT NULL DEFAULT 1;
ALTER TABLE tax_profile ADD COLUMN updated_at TIMESTAMPTZ;
ALTER TABLE tax_profile ADD COLUMN updated_by TEXT;
UPDATE tax_profile SET updated_at = created_at, updated_by = created_by;
ALTER TABLE tax_profile ALTER COLUMN updated_at SET NOT NULL;
ALTER TABLE tax_profile ALTER COLUMN updated_by SET NOT NULL;

CREATE TABLE tax_profile_version (
    id            UUID PRIMARY KEY,
    profile_id    UUID        NOT NULL REFERENCES tax_profile (id),
    version       INT         NOT NULL,
    country       TEXT        NOT NULL,
    tax_form      TEXT        NOT NULL,
    tax_id        TEXT        NOT NULL,
    expires_on    DATE        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    created_by    TEXT        NOT NULL,
    superseded_at TIMESTAMPTZ,
    CONSTRAINT tax_profile_version_unique UNIQUE (profile_id, version)
);
INSERT INTO tax_profile_version (id, profile_id, version, country, tax_form, tax_id, expires_on, created_at,
                                 created_by)
SELECT gen_random_uuid(), id, 1, country, tax_form, tax_id, expires_on, created_at, created_by FROM tax_profile;

ALTER TABLE bank_profile ADD COLUMN version INT NOT NULL DEFAULT 1;
ALTER TABLE bank_profile ADD COLUMN updated_at TIMESTAMPTZ;
ALTER TABLE bank_profile ADD COLUMN updated_by TEXT;
UPDATE bank_profile SET updated_at = created_at, updated_by = created_by;
ALTER TABLE bank_profile ALTER COLUMN updated_at SET NOT NULL;
ALTER TABLE bank_profile ALTER COLUMN updated_by SET NOT NULL;

-- The account stays encrypted here too (AES-GCM, FieldEncryption), last four in clear. The validation outcome of
-- a version (status, status_reason, validated_at) lives on bank_profile while it is current and is copied here
-- when it is superseded, so the history shows why a version was refused.
CREATE TABLE bank_profile_version (
    id                 UUID PRIMARY KEY,
    profile_id         UUID        NOT NULL REFERENCES bank_profile (id),
    version            INT         NOT NULL,
    name               TEXT        NOT NULL,
    bank_country       TEXT        NOT NULL,
    currency           TEXT        NOT NULL,
    method             TEXT        NOT NULL,
    account_kind       TEXT,
    account_ciphertext TEXT,
    account_last4      TEXT,
    bic                TEXT,
    routing_number     TEXT,
    beneficiary        TEXT        NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    created_by         TEXT        NOT NULL,
    superseded_at      TIMESTAMPTZ,
    status             TEXT,
    status_reason      TEXT,
    validated_at       TIMESTAMPTZ,
    CONSTRAINT bank_profile_version_unique UNIQUE (profile_id, version)
);
INSERT INTO bank_profile_version (id, profile_id, version, name, bank_country, currency, method, account_kind,
                                  account_ciphertext, account_last4, bic, routing_number, beneficiary, created_at,
                                  created_by)
SELECT gen_random_uuid(), id, 1, name, bank_country, currency, method, account_kind, account_ciphertext,
       account_last4, bic, routing_number, beneficiary, created_at, created_by FROM bank_profile;

-- The version of the bank profile whose account a payment's bank file carries (set when the file is written), so
-- that the bank's later refusal of that account marks that version only, not a correction made since.
ALTER TABLE payment ADD COLUMN bank_profile_version INT;
-- Every payment already in a bank file was filed when its profile had its only version.
UPDATE payment SET bank_profile_version = 1 WHERE bank_file_id IS NOT NULL;
