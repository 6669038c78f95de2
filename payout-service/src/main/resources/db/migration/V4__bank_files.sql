-- The bank channel's state lives in the database, not on a replica's disk: a payout run's disbursement writes its
-- pain.001 document here in the same transaction as its payments' UPCOMING -> IN_PROGRESS (file and state commit
-- together), and one replica at a time hands each READY file to the bank (FOR UPDATE SKIP LOCKED).
CREATE TABLE bank_file (
    id              UUID PRIMARY KEY,
    -- GrpHdr/MsgId (Max35Text): the bank de-duplicates on it, so handing a file over again never pays twice.
    message_id      TEXT        NOT NULL UNIQUE,
    payout_run_id   UUID        NOT NULL REFERENCES payout_run (id),
    -- The document names whole account numbers: stored AES-GCM sealed (FieldEncryption.seal), like bank_profile's.
    content         BYTEA       NOT NULL,
    content_sha256  TEXT        NOT NULL,
    transfer_count  INT         NOT NULL,
    state           TEXT        NOT NULL CHECK (state IN ('READY', 'SUBMITTED', 'ACKNOWLEDGED')),
    attempts        INT         NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at TIMESTAMPTZ NOT NULL,      -- a failed hand-over waits (back-off) until then
    created_at      TIMESTAMPTZ NOT NULL,
    submitted_at    TIMESTAMPTZ,               -- the bank took it
    acknowledged_at TIMESTAMPTZ                -- the first status report about it arrived
);
CREATE INDEX bank_file_ready ON bank_file (next_attempt_at) WHERE state = 'READY';
CREATE INDEX bank_file_run ON bank_file (payout_run_id);

-- Per currency block of a file: how many transfers and their control sum (pain.001 PmtInf NbOfTxs / CtrlSum).
CREATE TABLE bank_file_total (
    bank_file_id    UUID           NOT NULL REFERENCES bank_file (id),
    currency        CHAR(3)        NOT NULL,
    transfer_count  INT            NOT NULL,
    control_sum     NUMERIC(19, 4) NOT NULL,
    PRIMARY KEY (bank_file_id, currency)
);

-- The file a payment went to the bank in (null: not handed to the bank, or before this migration).
ALTER TABLE payment ADD COLUMN bank_file_id UUID REFERENCES bank_file (id);
CREATE INDEX payment_bank_file ON payment (bank_file_id) WHERE bank_file_id IS NOT NULL;

-- Status reports (pain.002) received, pushed through the API by the bank connector or pulled through the channel.
-- The report's own message id makes delivering it again (or by both paths) change nothing: the first answer
-- (summary, JSON) is kept and given again.
CREATE TABLE bank_status_report (
    message_id          TEXT PRIMARY KEY,
    content_sha256      TEXT        NOT NULL,
    original_message_id TEXT,
    source              TEXT        NOT NULL,  -- API (pushed) or CHANNEL (pulled)
    received_at         TIMESTAMPTZ NOT NULL,
    summary             TEXT
);

-- How far the pull of status reports through the channel has read (the channel's opaque cursor), shared by every
-- replica; the poller holds the row's lock while it reads, so one replica at a time pulls.
CREATE TABLE bank_channel_cursor (
    channel    TEXT PRIMARY KEY,
    cursor     TEXT,
    updated_at TIMESTAMPTZ NOT NULL
);

-- payout_run.bank_file held the path of a file on a replica's disk. It is no longer written or shown; it stays for
-- one release so that replicas of the previous version, still running during a rolling update, can write it.
COMMENT ON COLUMN payout_run.bank_file IS 'Obsolete (path on a replica''s disk, before bank_file); drop in a later release';
