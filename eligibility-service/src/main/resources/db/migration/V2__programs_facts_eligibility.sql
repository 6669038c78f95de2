-- Programmes and their criteria, as data: operators change them through PUT /api/v1/programs/{id}.
-- criteria is a JSON array of {"kind": "AGREEMENT"|"COMPETENCY"|"FIRST_TRANSACTION", "agreementType"?, "levels"?}.
-- countries: empty array = offered in every country.
CREATE TABLE program (
    id           TEXT PRIMARY KEY,
    name         TEXT        NOT NULL,
    partner_type TEXT        NOT NULL,
    countries    TEXT        NOT NULL DEFAULT '[]',
    criteria     TEXT        NOT NULL,
    active       BOOLEAN     NOT NULL DEFAULT TRUE,
    revision     INT         NOT NULL DEFAULT 1,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by   TEXT        NOT NULL
);

-- The seed's rule (PRODUCT.md, "Programmes and eligibility").
INSERT INTO program (id, name, partner_type, criteria, updated_by) VALUES
('csp-direct-bill', 'CSP Direct Bill incentives', 'DIRECT_BILL',
 '[{"kind":"AGREEMENT","agreementType":"MPN"},{"kind":"AGREEMENT","agreementType":"RESELLER"},{"kind":"COMPETENCY","levels":["SILVER","GOLD"]}]',
 'migration'),
('csp-indirect-provider', 'CSP Indirect Provider incentives', 'INDIRECT_PROVIDER',
 '[{"kind":"AGREEMENT","agreementType":"MPN"},{"kind":"AGREEMENT","agreementType":"CLOUD_DISTRIBUTOR"},{"kind":"COMPETENCY","levels":["SILVER","GOLD"]}]',
 'migration'),
('csp-indirect-reseller', 'CSP Indirect Reseller incentives', 'INDIRECT_RESELLER',
 '[{"kind":"AGREEMENT","agreementType":"MPN"},{"kind":"COMPETENCY","levels":["SILVER","GOLD"]},{"kind":"FIRST_TRANSACTION"}]',
 'migration');

-- Facts fed by partner systems. Kept even for a partner ID not (yet) known from identity-service: they are applied
-- when its LocationAdded arrives. No foreign key to known_location for that reason.
CREATE TABLE agreement (
    partner_id   TEXT        NOT NULL,
    agreement_id TEXT        NOT NULL,
    type         TEXT        NOT NULL,
    status       TEXT        NOT NULL,
    valid_from   DATE        NOT NULL,
    valid_to     DATE,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (partner_id, agreement_id),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

CREATE TABLE competency (
    partner_id    TEXT        NOT NULL,
    competency_id TEXT        NOT NULL,
    name          TEXT        NOT NULL,
    level         TEXT        NOT NULL,
    status        TEXT        NOT NULL,
    valid_from    DATE        NOT NULL,
    valid_to      DATE,
    updated_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (partner_id, competency_id),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

CREATE TABLE first_transaction (
    partner_id       TEXT PRIMARY KEY,
    transaction_date DATE        NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);

-- The date on which a location's facts next change state by themselves (a validFrom reached, a validTo passed):
-- the boundary job re-evaluates only locations whose date has come, through this partial index.
ALTER TABLE known_location ADD COLUMN next_evaluation_on DATE;
CREATE INDEX known_location_next_evaluation ON known_location (next_evaluation_on)
    WHERE next_evaluation_on IS NOT NULL;
CREATE INDEX known_location_partner_type ON known_location (partner_type);

-- The current checklist per (location, programme); reasons are refreshed in place, the outcome (eligible and each
-- criterion's met) changes only with a new sequence, a history row and an EligibilityChanged event.
CREATE TABLE eligibility (
    partner_id   TEXT        NOT NULL,
    program_id   TEXT        NOT NULL REFERENCES program (id),
    eligible     BOOLEAN     NOT NULL,
    criteria     TEXT        NOT NULL,
    sequence     BIGINT      NOT NULL,
    evaluated_at TIMESTAMPTZ NOT NULL,
    changed_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (partner_id, program_id)
);

-- Append-only: every change of outcome with its reasons, as published.
CREATE TABLE eligibility_history (
    id           BIGSERIAL PRIMARY KEY,
    partner_id   TEXT        NOT NULL,
    program_id   TEXT        NOT NULL,
    eligible     BOOLEAN     NOT NULL,
    criteria     TEXT        NOT NULL,
    sequence     BIGINT      NOT NULL,
    evaluated_at TIMESTAMPTZ NOT NULL,
    cause        TEXT        NOT NULL,
    UNIQUE (partner_id, program_id, sequence)
);
CREATE INDEX eligibility_history_location ON eligibility_history (partner_id, id DESC);

-- Locations known before this migration have no checklist yet: the boundary job evaluates them on its first run.
UPDATE known_location SET next_evaluation_on = CURRENT_DATE;
