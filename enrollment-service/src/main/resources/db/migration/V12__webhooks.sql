-- Signed webhooks for partner systems (enrollment-service/README.md, "Webhooks").
-- An organization's HTTPS endpoints and the event types each subscribes to. The secret signs every delivery, so it is
-- kept (the API shows it only when made); the previous one keeps signing for 24 h after a rotation, so a receiver can
-- switch without losing deliveries.
CREATE TABLE webhook_endpoint (
    id                        UUID PRIMARY KEY,
    organization_id           UUID        NOT NULL,
    url                       TEXT        NOT NULL,
    description               TEXT,
    -- subscription names (payment.sent, enrollment.changed, ...), comma-separated
    event_types               TEXT        NOT NULL,
    enabled                   BOOLEAN     NOT NULL,
    disabled_reason           TEXT,
    disabled_at               TIMESTAMPTZ,
    secret                    TEXT        NOT NULL,
    previous_secret           TEXT,
    previous_secret_until     TIMESTAMPTZ,
    -- the first failed attempt since the last delivered one: null while deliveries succeed; the endpoint is disabled
    -- when it is older than enrollment.webhooks.disable-after
    failing_since             TIMESTAMPTZ,
    version                   BIGINT      NOT NULL,
    created_at                TIMESTAMPTZ NOT NULL,
    created_by                TEXT,
    updated_at                TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_endpoint_organization ON webhook_endpoint (organization_id, created_at DESC);

-- One message per consumed event and subscribed endpoint, queued in the inbox's transaction (the unique key makes
-- "exactly once per event and endpoint" a property of the table). The body is built once, so every attempt sends the
-- same bytes; id is the webhook-id header (msg_<uuid>), stable across retries.
CREATE TABLE webhook_message (
    id               TEXT PRIMARY KEY,
    -- insertion order: the order of the events per resource (head of line per endpoint and resource_key)
    seq              BIGSERIAL   NOT NULL,
    endpoint_id      UUID        NOT NULL REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
    event_id         UUID        NOT NULL,
    event_type       TEXT        NOT NULL,
    resource_key     TEXT        NOT NULL,
    payload          TEXT        NOT NULL,
    -- when the event happened (its envelope's occurredAt): the lag metric measures from there to delivery
    event_at         TIMESTAMPTZ NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    status           TEXT        NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    attempt_count    INT         NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ,
    -- a worker's lease: until then no other worker (replica) takes it; a crashed one's lease simply runs out
    locked_until     TIMESTAMPTZ,
    delivered_at     TIMESTAMPTZ,
    CONSTRAINT webhook_message_event UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_message_due ON webhook_message (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_message_head ON webhook_message (endpoint_id, resource_key, seq) WHERE status = 'PENDING';
CREATE INDEX webhook_message_log ON webhook_message (endpoint_id, seq DESC);

-- Each attempt, for the delivery log: the answer's status (null: no answer), or what went wrong, and how long it took.
CREATE TABLE webhook_attempt (
    id            BIGSERIAL PRIMARY KEY,
    message_id    TEXT        NOT NULL REFERENCES webhook_message (id) ON DELETE CASCADE,
    attempted_at  TIMESTAMPTZ NOT NULL,
    status_code   INT,
    error         TEXT,
    -- the start of the answer's body (at most 1 KiB), for the partner's own diagnosis
    response_body TEXT,
    latency_ms    BIGINT      NOT NULL
);
CREATE INDEX webhook_attempt_message ON webhook_attempt (message_id, id);
