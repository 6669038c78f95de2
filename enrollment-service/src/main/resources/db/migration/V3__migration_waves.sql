-- Migration of already-enrolled organizations (PRODUCT.md "Migration"): an operator schedules a wave of
-- organizations; each organization moves SCHEDULED -> NOTIFIED -> USERS_SET_UP -> COMPLETED on its own.
CREATE TABLE migration_wave (
    id          UUID PRIMARY KEY,
    name        TEXT        NOT NULL,
    starts_at   TIMESTAMPTZ NOT NULL,
    created_by  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX migration_wave_created ON migration_wave (created_at DESC, id);

-- One row per organization of a wave. An organization is migrated once: the unique index makes a second wave for it
-- impossible even when two operators schedule at the same moment. starts_at is the wave's, copied so the start job
-- finds due rows with one index and locks them (FOR UPDATE SKIP LOCKED) without touching the wave row.
CREATE TABLE wave_organization (
    id               UUID PRIMARY KEY,
    wave_id          UUID        NOT NULL REFERENCES migration_wave (id),
    organization_id  UUID        NOT NULL UNIQUE,
    status           TEXT        NOT NULL CHECK (status IN ('SCHEDULED', 'NOTIFIED', 'USERS_SET_UP', 'COMPLETED')),
    starts_at        TIMESTAMPTZ NOT NULL,
    sequence         BIGINT      NOT NULL,   -- of the MigrationChanged events of this organization
    notified_at      TIMESTAMPTZ,
    notified_emails  TEXT,                   -- comma-separated: who the "time to set up" email went to
    completed_at     TIMESTAMPTZ,
    completed_by     TEXT,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX wave_organization_wave ON wave_organization (wave_id);
CREATE INDEX wave_organization_due ON wave_organization (starts_at) WHERE status = 'SCHEDULED';

-- Append-only: every transition of every organization's migration, with who and when.
CREATE TABLE wave_organization_history (
    id                    BIGSERIAL PRIMARY KEY,
    wave_organization_id  UUID        NOT NULL REFERENCES wave_organization (id),
    from_status           TEXT,
    to_status             TEXT        NOT NULL,
    reason                TEXT        NOT NULL,
    changed_by            TEXT        NOT NULL,
    changed_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX wave_organization_history_row ON wave_organization_history (wave_organization_id, id);

-- The incentive users the organization's admins are asked to set up (identity-service creates them; we only check).
CREATE TABLE wave_user (
    wave_organization_id  UUID NOT NULL REFERENCES wave_organization (id),
    email                 TEXT NOT NULL,   -- lower case: identity's emails are compared case-insensitively
    first_name            TEXT NOT NULL,
    last_name             TEXT NOT NULL,
    role                  TEXT NOT NULL CHECK (role IN ('INCENTIVE_ADMIN', 'INCENTIVE_USER')),
    PRIMARY KEY (wave_organization_id, email)
);

-- The enrolments that appear as ENROLLED when the organization completes; enrollment_id is set then.
CREATE TABLE wave_enrollment (
    wave_organization_id  UUID NOT NULL REFERENCES wave_organization (id),
    partner_id            TEXT NOT NULL,
    program_id            TEXT NOT NULL,
    earnings_start_date   DATE,             -- as it was before the migration; null = first day of the completion month
    enrollment_id         UUID REFERENCES enrollment (id),
    PRIMARY KEY (wave_organization_id, partner_id, program_id)
);
