-- Idempotency-Key: the first successful answer to a state-changing POST, replayed for the same key and request.
CREATE TABLE idempotency_record (
    client_id       TEXT        NOT NULL,
    idempotency_key TEXT        NOT NULL,
    request_hash    TEXT        NOT NULL,
    response_status INT,
    response_body   TEXT,
    location        TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (client_id, idempotency_key)
);
CREATE INDEX idempotency_record_created_at ON idempotency_record (created_at);
