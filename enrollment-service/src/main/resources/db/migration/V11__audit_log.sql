-- The organizations' audit log: every service's AuditRecorded events (docs/events.md), one row per event. Who did
-- what to which of an organization's things, when, in which request. The id is the event's id, so an event delivered
-- twice (or read again by another consumer of this service) is one row. Rows are never updated or deleted here.
CREATE TABLE audit_entry (
    id              UUID PRIMARY KEY,
    organization_id UUID        NOT NULL,
    occurred_at     TIMESTAMPTZ NOT NULL,
    service         TEXT        NOT NULL,
    action          TEXT        NOT NULL,
    target_type     TEXT,
    target_id       TEXT,
    -- null for the service's own steps (actor_kind SYSTEM: a scheduled job, a consumed event)
    actor_subject   TEXT,
    actor_name      TEXT,
    actor_kind      TEXT        NOT NULL CHECK (actor_kind IN ('USER', 'OPERATOR', 'CLIENT', 'SYSTEM')),
    correlation_id  TEXT,
    -- small, and never a credential, an account number or a tax id (masked by the publishing service)
    details         JSONB       NOT NULL DEFAULT '{}'::jsonb
);
-- An organization's log, newest first (the list's own order, and the filters' time range).
CREATE INDEX audit_entry_organization ON audit_entry (organization_id, occurred_at DESC, id DESC);
