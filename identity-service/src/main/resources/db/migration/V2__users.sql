-- The directory view of the users who live in Keycloak: who they are, their organization, roles and status.
-- Never a password: credentials exist only in Keycloak. The id is Keycloak's user id (the token's `sub`).
CREATE TABLE user_account (
    id               UUID PRIMARY KEY,
    organization_id  UUID        NOT NULL REFERENCES organization (id),
    email            TEXT        NOT NULL CHECK (email = lower(email)),
    first_name       TEXT        NOT NULL,
    last_name        TEXT        NOT NULL,
    roles            TEXT[]      NOT NULL CHECK (cardinality(roles) > 0),
    locations        TEXT[]      NOT NULL DEFAULT '{}',
    status           TEXT        NOT NULL CHECK (status IN ('PENDING_ACTIVATION', 'ACTIVE', 'DEACTIVATED')),
    activated_at     TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL,
    created_by       TEXT        NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    updated_by       TEXT        NOT NULL,
    version          BIGINT      NOT NULL DEFAULT 0
);
-- Emails are unique across the platform (Keycloak's realm refuses duplicates too); stored lower-case.
CREATE UNIQUE INDEX user_account_email ON user_account (email);
CREATE INDEX user_account_organization ON user_account (organization_id, email);
-- The activation poller only looks at users still waiting for their first own sign-in.
CREATE INDEX user_account_pending ON user_account (id) WHERE status = 'PENDING_ACTIVATION';

-- Who changed what and when, append-only. `detail` is JSON of the change (roles, locations), never a credential.
CREATE TABLE user_audit (
    id              BIGSERIAL PRIMARY KEY,
    user_id         UUID        NOT NULL REFERENCES user_account (id),
    organization_id UUID        NOT NULL,
    action          TEXT        NOT NULL,
    actor           TEXT        NOT NULL,
    occurred_at     TIMESTAMPTZ NOT NULL,
    detail          TEXT
);
CREATE INDEX user_audit_user ON user_audit (user_id, id);

-- A user being created in Keycloak: written (and committed) before the Keycloak call and removed in the transaction
-- that records the user. A row that stays behind marks a creation that failed half way; the reconciler removes the
-- Keycloak user it may have left (an orphan) and then the row. The email's uniqueness here also stops two concurrent
-- creations of the same email before either reaches Keycloak.
CREATE TABLE user_provisioning (
    email           TEXT PRIMARY KEY CHECK (email = lower(email)),
    organization_id UUID        NOT NULL,
    started_at      TIMESTAMPTZ NOT NULL,
    started_by      TEXT        NOT NULL
);
