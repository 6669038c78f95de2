-- Locations as identity-service announced them (LocationAdded); eligibility is evaluated per known location.
CREATE TABLE known_location (
    partner_id      TEXT PRIMARY KEY,
    organization_id UUID        NOT NULL,
    country         TEXT        NOT NULL,
    partner_type    TEXT        NOT NULL,
    known_since     TIMESTAMPTZ NOT NULL,
    source_event_id UUID        NOT NULL
);
CREATE INDEX known_location_organization ON known_location (organization_id);
