CREATE TABLE organization (
    id                    UUID PRIMARY KEY,
    name                  TEXT        NOT NULL,
    contact_email         TEXT        NOT NULL,
    contact_first_name    TEXT        NOT NULL,
    contact_last_name     TEXT        NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL,
    created_by            TEXT        NOT NULL
);

-- A location is identified by its partner ID (the MPN ID), unique across the whole platform.
CREATE TABLE location (
    partner_id      TEXT PRIMARY KEY,
    organization_id UUID        NOT NULL REFERENCES organization (id),
    name            TEXT        NOT NULL,
    country         TEXT        NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    partner_type    TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    created_by      TEXT        NOT NULL
);
CREATE INDEX location_organization ON location (organization_id);
