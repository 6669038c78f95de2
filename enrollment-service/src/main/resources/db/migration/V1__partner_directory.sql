-- Organizations and locations as identity-service announced them: who to invite, and where to send the email
-- when an organization has no incentive admin yet (its primary contact).
CREATE TABLE partner_organization (
    id                     UUID PRIMARY KEY,
    name                   TEXT        NOT NULL,
    primary_contact_email  TEXT        NOT NULL,
    primary_contact_name   TEXT        NOT NULL,
    registered_at          TIMESTAMPTZ NOT NULL
);

CREATE TABLE partner_location (
    partner_id      TEXT PRIMARY KEY,
    organization_id UUID        NOT NULL,
    name            TEXT        NOT NULL,
    country         TEXT        NOT NULL,
    partner_type    TEXT        NOT NULL,
    added_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX partner_location_organization ON partner_location (organization_id);
