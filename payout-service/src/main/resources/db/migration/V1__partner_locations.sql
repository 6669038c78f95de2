-- Locations as identity-service announced them: earnings and tax profiles are accepted only for known locations,
-- and statements show the location's country.
CREATE TABLE partner_location (
    partner_id      TEXT PRIMARY KEY,
    organization_id UUID        NOT NULL,
    name            TEXT        NOT NULL,
    country         TEXT        NOT NULL,
    partner_type    TEXT        NOT NULL,
    added_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX partner_location_organization ON partner_location (organization_id);
