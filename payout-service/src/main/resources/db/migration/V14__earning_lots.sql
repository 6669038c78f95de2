-- A payout run claims lots, not earnings. A lot is the earnings of one group (location, programme, earning type,
-- currency) and one calendar month of transaction dates that arrived in one ingest statement; its amount and count
-- are summed from those very rows as they are inserted, and its rows never change (earnings are immutable). The run
-- writes one row per lot and per payment instead of one per earning (issue 20: the claim UPDATE of every earning row
-- was 44% of a run). `payment_id` is the claim: set once by the run that pays the lot (... WHERE payment_id IS NULL),
-- so an earning can never be paid twice; a returned payment sets it back to NULL. `first_date`/`last_date` bound the
-- lot's transaction dates, so "matured by the period's end" and "dated before the earnings start date" are decided
-- per lot exactly; a lot that straddles an earnings start date is split first (PayoutRunWorker).
CREATE TABLE earning_lot (
    id              UUID           PRIMARY KEY,
    organization_id UUID           NOT NULL,
    partner_id      TEXT           NOT NULL,
    program_id      TEXT           NOT NULL,
    earning_type    TEXT           NOT NULL,
    currency        TEXT           NOT NULL,
    first_date      DATE           NOT NULL,
    last_date       DATE           NOT NULL,
    amount          NUMERIC(19, 4) NOT NULL,
    earning_count   INTEGER        NOT NULL,
    payment_id      UUID REFERENCES payment (id)
);
CREATE INDEX earning_lot_unclaimed ON earning_lot (partner_id, last_date) WHERE payment_id IS NULL;
CREATE INDEX earning_lot_payment ON earning_lot (payment_id);
CREATE INDEX earning_lot_organization ON earning_lot (organization_id, last_date);

-- The earnings stored so far: one lot per group, month and payment.
CREATE TEMPORARY TABLE earning_lot_of (
    earning_id TEXT PRIMARY KEY,
    lot_id     UUID NOT NULL
) ON COMMIT DROP;
WITH keyed AS (
    SELECT earning_id, organization_id, partner_id, program_id, earning_type, currency, transaction_date, amount,
           payment_id, date_trunc('month', transaction_date) AS month
    FROM earning),
lots AS (
    SELECT gen_random_uuid() AS id, organization_id, partner_id, program_id, earning_type, currency, month,
           payment_id, min(transaction_date) AS first_date, max(transaction_date) AS last_date,
           sum(amount) AS amount, count(*) AS n
    FROM keyed
    GROUP BY organization_id, partner_id, program_id, earning_type, currency, month, payment_id),
inserted AS (
    INSERT INTO earning_lot (id, organization_id, partner_id, program_id, earning_type, currency, first_date,
                             last_date, amount, earning_count, payment_id)
    SELECT id, organization_id, partner_id, program_id, earning_type, currency, first_date, last_date, amount, n,
           payment_id
    FROM lots)
INSERT INTO earning_lot_of (earning_id, lot_id)
SELECT k.earning_id, l.id
FROM keyed k JOIN lots l
     ON l.organization_id = k.organization_id AND l.partner_id = k.partner_id AND l.program_id = k.program_id
    AND l.earning_type = k.earning_type AND l.currency = k.currency AND l.month = k.month
    AND l.payment_id IS NOT DISTINCT FROM k.payment_id;

ALTER TABLE earning ADD COLUMN lot_id UUID;
UPDATE earning e SET lot_id = o.lot_id FROM earning_lot_of o WHERE o.earning_id = e.earning_id;
DROP INDEX earning_unpaid;
DROP INDEX earning_payment;
ALTER TABLE earning
    DROP COLUMN payment_id,
    ALTER COLUMN lot_id SET NOT NULL,
    ADD CONSTRAINT earning_lot_id_fkey FOREIGN KEY (lot_id) REFERENCES earning_lot (id);
CREATE INDEX earning_in_lot ON earning (lot_id, transaction_date);
