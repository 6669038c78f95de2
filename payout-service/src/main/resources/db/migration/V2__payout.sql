-- Enrolment of a location in a programme, as enrollment-service announced it (EnrollmentChanged). `sequence` lets
-- a late, stale event be ignored.
CREATE TABLE location_enrollment (
    partner_id          TEXT        NOT NULL,
    program_id          TEXT        NOT NULL,
    organization_id     UUID        NOT NULL,
    enrollment_id       UUID,
    status              TEXT        NOT NULL,
    earnings_start_date DATE,
    sequence            BIGINT      NOT NULL,
    changed_at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (partner_id, program_id)
);

-- Tax profiles are never deleted (PRODUCT.md): a new one supersedes the previous; the newest is current.
CREATE TABLE tax_profile (
    id              UUID PRIMARY KEY,
    organization_id UUID        NOT NULL,
    partner_id      TEXT        NOT NULL REFERENCES partner_location (partner_id),
    country         TEXT        NOT NULL,
    tax_form        TEXT        NOT NULL,
    tax_id          TEXT        NOT NULL,
    expires_on      DATE        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    created_by      TEXT        NOT NULL
);
CREATE INDEX tax_profile_location ON tax_profile (partner_id, created_at DESC);
CREATE INDEX tax_profile_organization ON tax_profile (organization_id);

-- Bank profiles per organization. Account identifiers (IBAN or account number) are stored AES-GCM encrypted with
-- only their last four characters in clear, so a database dump never exposes a whole account.
CREATE TABLE bank_profile (
    id                  UUID PRIMARY KEY,
    organization_id     UUID        NOT NULL,
    name                TEXT        NOT NULL,
    bank_country        TEXT        NOT NULL,
    currency            TEXT        NOT NULL,
    method              TEXT        NOT NULL,
    account_kind        TEXT,                      -- IBAN or ACCOUNT_NUMBER; null for credit notes
    account_ciphertext  TEXT,
    account_last4       TEXT,
    bic                 TEXT,
    routing_number      TEXT,
    beneficiary         TEXT        NOT NULL,
    status              TEXT        NOT NULL,
    status_reason       TEXT,
    created_at          TIMESTAMPTZ NOT NULL,
    created_by          TEXT        NOT NULL,
    validated_at        TIMESTAMPTZ,
    CONSTRAINT bank_profile_name_unique UNIQUE (organization_id, name)
);
CREATE INDEX bank_profile_pending ON bank_profile (created_at) WHERE status = 'PENDING_VALIDATION';

CREATE TABLE payout_assignment (
    partner_id      TEXT        NOT NULL REFERENCES partner_location (partner_id),
    program_id      TEXT        NOT NULL,
    organization_id UUID        NOT NULL,
    tax_profile_id  UUID REFERENCES tax_profile (id),
    bank_profile_id UUID REFERENCES bank_profile (id),
    currency        TEXT,
    hold_requested  BOOLEAN     NOT NULL DEFAULT FALSE,
    updated_at      TIMESTAMPTZ NOT NULL,
    updated_by      TEXT        NOT NULL,
    PRIMARY KEY (partner_id, program_id)
);

-- Last PayoutProfileStatusChanged published per location: an event is published only when the outcome changes,
-- with a sequence that increases per location.
CREATE TABLE location_profile_status (
    partner_id   TEXT PRIMARY KEY,
    tax_status   TEXT        NOT NULL,
    bank_status  TEXT        NOT NULL,
    status       TEXT        NOT NULL,
    sequence     BIGINT      NOT NULL,
    changed_at   TIMESTAMPTZ NOT NULL
);

-- Operator-set monthly rates: how many US dollars one unit of `currency` is worth in `period`.
CREATE TABLE exchange_rate (
    period      CHAR(7)        NOT NULL,
    currency    CHAR(3)        NOT NULL,
    usd_rate    NUMERIC(19, 10) NOT NULL CHECK (usd_rate > 0),
    set_at      TIMESTAMPTZ    NOT NULL,
    set_by      TEXT           NOT NULL,
    PRIMARY KEY (period, currency)
);

CREATE TABLE payout_run (
    id               UUID PRIMARY KEY,
    period           CHAR(7)     NOT NULL,
    trigger          TEXT        NOT NULL,      -- OPERATOR or SCHEDULE
    status           TEXT        NOT NULL,      -- RUNNING, COMPLETED
    requested_by     TEXT        NOT NULL,
    started_at       TIMESTAMPTZ NOT NULL,
    completed_at     TIMESTAMPTZ,
    lease_until      TIMESTAMPTZ NOT NULL,      -- a run whose lease ran out was abandoned (crash) and may be resumed
    locations_total  INT         NOT NULL DEFAULT 0,
    locations_done   INT         NOT NULL DEFAULT 0,
    payments_issued  INT         NOT NULL DEFAULT 0,
    payments_held    INT         NOT NULL DEFAULT 0,
    payments_released INT        NOT NULL DEFAULT 0,
    payments_forfeited INT       NOT NULL DEFAULT 0,
    scope            TEXT[],                    -- partner IDs the run is limited to; null = every location
    bank_file        TEXT
);
-- Runs are serialized: holds, releases and roll-forwards of one run build on the previous run's outcome.
CREATE UNIQUE INDEX payout_run_one_running ON payout_run ((TRUE)) WHERE status = 'RUNNING';
CREATE INDEX payout_run_period ON payout_run (period, started_at);

-- The work list of a run (one row per location), filled once when the run starts; `done` is set in the same
-- transaction as the location's payments, which is what makes a run resumable after a crash.
CREATE TABLE payout_run_location (
    run_id      UUID NOT NULL REFERENCES payout_run (id),
    partner_id  TEXT NOT NULL,
    done        BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (run_id, partner_id)
);
CREATE INDEX payout_run_location_todo ON payout_run_location (run_id, partner_id) WHERE NOT done;

CREATE TABLE payment (
    id               UUID PRIMARY KEY,
    -- Kill Bill style external key: <run>|<location>|<programme>|<type>|<currency>; a run can never create two
    -- payments for one group, even when a chunk is retried after a crash.
    payment_key      TEXT        NOT NULL UNIQUE,
    payout_run_id    UUID        NOT NULL REFERENCES payout_run (id),
    released_by_run  UUID REFERENCES payout_run (id),
    period           CHAR(7)     NOT NULL,
    organization_id  UUID        NOT NULL,
    partner_id       TEXT        NOT NULL,
    program_id       TEXT        NOT NULL,
    earning_type     TEXT        NOT NULL,
    currency         CHAR(3)     NOT NULL,
    amount           NUMERIC(19, 4) NOT NULL,
    earning_count    INT         NOT NULL DEFAULT 0,
    payout_currency  CHAR(3),
    payout_amount    NUMERIC(19, 4),
    exchange_rate    NUMERIC(19, 10),
    status           TEXT        NOT NULL,
    hold_reasons     TEXT[]      NOT NULL DEFAULT '{}',
    held_since       TIMESTAMPTZ,
    bank_profile_id  UUID,
    bank_reference   TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
-- At most one open (being built or held) payment per group: new earnings of a held group accumulate on it.
CREATE UNIQUE INDEX payment_one_open_per_group ON payment (partner_id, program_id, earning_type, currency)
    WHERE status IN ('NEW', 'ON_HOLD');
CREATE INDEX payment_organization ON payment (organization_id, period);
CREATE INDEX payment_partner ON payment (partner_id, status);
CREATE INDEX payment_run ON payment (payout_run_id);

-- Append-only history of every payment state change (never updated or deleted).
CREATE TABLE payment_history (
    id            BIGSERIAL PRIMARY KEY,
    payment_id    UUID        NOT NULL REFERENCES payment (id),
    from_status   TEXT,
    to_status     TEXT        NOT NULL,
    amount        NUMERIC(19, 4) NOT NULL,
    hold_reasons  TEXT[]      NOT NULL DEFAULT '{}',
    payout_run_id UUID,
    note          TEXT,
    changed_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX payment_history_payment ON payment_history (payment_id, id);

-- Earnings pushed by the billing system. `payment_id` is the claim: an earning row has one slot, set once by the
-- run that pays it (UPDATE ... WHERE payment_id IS NULL), so it can never be paid twice.
CREATE TABLE earning (
    earning_id           TEXT PRIMARY KEY,
    organization_id      UUID           NOT NULL,
    partner_id           TEXT           NOT NULL,
    program_id           TEXT           NOT NULL,
    earning_type         TEXT           NOT NULL,
    lever                TEXT,
    transaction_id       TEXT           NOT NULL,
    transaction_date     DATE           NOT NULL,
    transaction_amount   NUMERIC(19, 4) NOT NULL,
    transaction_currency CHAR(3)        NOT NULL,
    rate                 NUMERIC(19, 8) NOT NULL,
    amount               NUMERIC(19, 4) NOT NULL,
    currency             CHAR(3)        NOT NULL,
    customer             TEXT,
    product              TEXT,
    reason_code          TEXT,
    content_hash         TEXT           NOT NULL,
    received_at          TIMESTAMPTZ    NOT NULL,
    payment_id           UUID REFERENCES payment (id)
);
CREATE INDEX earning_unpaid ON earning (partner_id, transaction_date) WHERE payment_id IS NULL;
CREATE INDEX earning_payment ON earning (payment_id);
CREATE INDEX earning_organization ON earning (organization_id, transaction_date);
