-- An organization's API clients: a partner system's own credentials (a Keycloak confidential client with a service
-- account carrying the organization and the chosen scopes). The secret lives in Keycloak only, never here.
-- PROVISIONING rows are creations in flight (committed before Keycloak is called); one left behind is repaired by
-- ApiClientReconciler. REVOKED rows stay, so the organization sees what existed and who revoked it.
CREATE TABLE api_client (
    id                         UUID PRIMARY KEY,
    organization_id            UUID        NOT NULL REFERENCES organization (id),
    name                       TEXT        NOT NULL,
    client_id                  TEXT        NOT NULL UNIQUE,
    keycloak_id                UUID,
    scopes                     TEXT[]      NOT NULL,
    status                     TEXT        NOT NULL CHECK (status IN ('PROVISIONING', 'ACTIVE', 'REVOKED')),
    created_at                 TIMESTAMPTZ NOT NULL,
    created_by                 TEXT        NOT NULL,
    secret_rotated_at          TIMESTAMPTZ,
    previous_secret_expires_at TIMESTAMPTZ,
    revoked_at                 TIMESTAMPTZ,
    revoked_by                 TEXT,
    version                    BIGINT      NOT NULL DEFAULT 0
);
CREATE INDEX api_client_organization ON api_client (organization_id, created_at);
