-- Idempotent consumers: the id of every applied event, written in the same transaction as its effect.
CREATE TABLE consumed_event (
    consumer    TEXT        NOT NULL,
    event_id    UUID        NOT NULL,
    event_type  TEXT        NOT NULL,
    consumed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
