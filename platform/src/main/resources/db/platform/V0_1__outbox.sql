-- Transactional outbox: a service writes its event here in the same transaction as the business change; the relay
-- publishes committed rows to Kafka in id order and stamps sent_at. Rows are kept a while for audit, then purged.
CREATE TABLE outbox_event (
    id             BIGSERIAL PRIMARY KEY,
    event_id       UUID        NOT NULL UNIQUE,
    topic          TEXT        NOT NULL,
    aggregate_id   TEXT        NOT NULL,
    event_type     TEXT        NOT NULL,
    payload        TEXT        NOT NULL,
    correlation_id TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at        TIMESTAMPTZ
);
-- The relay only ever scans unsent rows; keep that scan small however large the table grows.
CREATE INDEX outbox_event_unsent ON outbox_event (id) WHERE sent_at IS NULL;
CREATE INDEX outbox_event_sent_at ON outbox_event (sent_at) WHERE sent_at IS NOT NULL;
