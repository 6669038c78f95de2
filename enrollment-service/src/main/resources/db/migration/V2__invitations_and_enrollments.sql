-- The organization's users as identity-service announced them: who the incentive admins are (invitation emails go
-- to them) and whether each has activated (signed in with their own password; migration needs it).
CREATE TABLE organization_user (
    user_id         TEXT PRIMARY KEY,
    organization_id UUID        NOT NULL,
    email           TEXT        NOT NULL,
    roles           TEXT        NOT NULL,            -- comma-separated realm roles
    locations       TEXT        NOT NULL DEFAULT '', -- comma-separated partner IDs; empty = every location
    active          BOOLEAN     NOT NULL,
    activated_at    TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX organization_user_organization ON organization_user (organization_id);

-- Per (location, programme): the last eligibility applied (sequence from eligibility-service, so a late event is
-- ignored) and the sequence of the last EnrollmentChanged we published (consumers ignore stale ones the same way).
CREATE TABLE location_program (
    partner_id            TEXT        NOT NULL,
    program_id            TEXT        NOT NULL,
    organization_id       UUID        NOT NULL,
    eligible              BOOLEAN     NOT NULL,
    eligibility_sequence  BIGINT      NOT NULL,
    enrollment_sequence   BIGINT      NOT NULL DEFAULT 0,
    updated_at            TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (partner_id, program_id)
);

-- Per location (payout profiles are per location): payout-service's last PayoutProfileStatusChanged applied.
CREATE TABLE payout_profile_status (
    partner_id  TEXT PRIMARY KEY,
    status      TEXT        NOT NULL CHECK (status IN ('INCOMPLETE', 'VALIDATING', 'COMPLETE')),
    sequence    BIGINT      NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE enrollment (
    id                       UUID PRIMARY KEY,
    organization_id          UUID        NOT NULL,
    partner_id               TEXT        NOT NULL,
    program_id               TEXT        NOT NULL,
    status                   TEXT        NOT NULL,
    status_before_ineligible TEXT,
    earnings_start_date      DATE,
    created_at               TIMESTAMPTZ NOT NULL,
    updated_at               TIMESTAMPTZ NOT NULL,
    version                  BIGINT      NOT NULL DEFAULT 0
);
-- At most one live enrolment per (location, programme): the database, not only the code, prevents a second invite.
CREATE UNIQUE INDEX enrollment_one_live ON enrollment (partner_id, program_id)
    WHERE status NOT IN ('WITHDRAWN', 'EXPIRED');
CREATE INDEX enrollment_organization ON enrollment (organization_id, created_at);

-- Append-only: every transition of every enrolment, with who and when.
CREATE TABLE enrollment_history (
    id             BIGSERIAL PRIMARY KEY,
    enrollment_id  UUID        NOT NULL REFERENCES enrollment (id),
    from_status    TEXT,
    to_status      TEXT        NOT NULL,
    reason         TEXT        NOT NULL,
    changed_by     TEXT        NOT NULL,
    changed_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX enrollment_history_enrollment ON enrollment_history (enrollment_id, id);

CREATE TABLE invitation (
    id               UUID PRIMARY KEY,
    enrollment_id    UUID        NOT NULL REFERENCES enrollment (id),
    organization_id  UUID        NOT NULL,
    partner_id       TEXT        NOT NULL,
    program_id       TEXT        NOT NULL,
    status           TEXT        NOT NULL CHECK (status IN ('ISSUED', 'ACCEPTED', 'EXPIRED')),
    recipients       TEXT        NOT NULL,   -- comma-separated emails it was sent to
    issued_at        TIMESTAMPTZ NOT NULL,
    expires_at       TIMESTAMPTZ NOT NULL,
    accepted_at      TIMESTAMPTZ,
    accepted_by      TEXT,
    expired_at       TIMESTAMPTZ
);
CREATE INDEX invitation_organization ON invitation (organization_id, issued_at);
CREATE INDEX invitation_due ON invitation (expires_at) WHERE status = 'ISSUED';

-- Emails are written here in the business transaction and sent by MailRelay after commit: a rolled-back
-- invitation never mails, and a committed one is mailed even if the process dies right after the commit.
CREATE TABLE mail_outbox (
    id            BIGSERIAL PRIMARY KEY,
    message_id    TEXT        NOT NULL UNIQUE,   -- stable Message-ID header: a resend after a crash is recognisable
    recipients    TEXT        NOT NULL,
    subject       TEXT        NOT NULL,
    body          TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    sent_at       TIMESTAMPTZ,
    attempts      INT         NOT NULL DEFAULT 0,
    last_error    TEXT
);
CREATE INDEX mail_outbox_unsent ON mail_outbox (id) WHERE sent_at IS NULL;
