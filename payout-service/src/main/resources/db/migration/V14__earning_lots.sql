-- A payout run claims lots, not earnings. A lot is the earnings of one group (organization, location, programme,
-- earning type, currency) and one calendar month of transaction dates. One lot per group and month accepts the new
-- earnings (earning_lot_open) until a run claims it; the next earning of that group and month then opens a new one.
-- So a run writes one row per lot and per payment instead of one per earning (issue 20: the claim UPDATE of every
-- earning row was 44% of a run). `payment_id` is the claim: set once by the run that pays the lot
-- (... WHERE payment_id IS NULL), so an earning can never be paid twice; a returned payment sets it back to NULL and
-- the lot stops accepting earnings (`accepting`). An ingest holds a share lock on the lots it adds to until it
-- commits, and a run locks a chunk's unclaimed lots and claims only those (EarningService.insert,
-- PayoutRunWorker.lockUnclaimedLots): a lot is never claimed with a batch half added to it, and a payment's amount,
-- summed from its lots' earnings at the claim, equals its earnings by construction. `before_date`: every earning of
-- the lot is dated before it; set on the part of a lot split off at an earnings start date (PayoutRunWorker), NULL
-- for the others (their month's end bounds them).
-- Not expand/contract: earning.payment_id goes in this release, so payout-service pods of the previous release must
-- be stopped before the first pod of this one starts (deploy/k8s/README.md, "Upgrades that change a table").
CREATE TABLE earning_lot (
    id              UUID    PRIMARY KEY,
    organization_id UUID    NOT NULL,
    partner_id      TEXT    NOT NULL,
    program_id      TEXT    NOT NULL,
    earning_type    TEXT    NOT NULL,
    currency        TEXT    NOT NULL,
    month           DATE    NOT NULL CHECK (month = date_trunc('month', month::timestamp)::date),
    before_date     DATE,
    payment_id      UUID REFERENCES payment (id),
    accepting       BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE UNIQUE INDEX earning_lot_open ON earning_lot (organization_id, partner_id, program_id, earning_type, currency,
    month) WHERE payment_id IS NULL AND accepting;
CREATE INDEX earning_lot_unclaimed ON earning_lot (partner_id, month) WHERE payment_id IS NULL;
CREATE INDEX earning_lot_payment ON earning_lot (payment_id);

-- The earnings stored so far: one lot per group, month and payment (the unpaid one accepting new earnings).
CREATE TEMPORARY TABLE earning_lot_of (
    earning_id TEXT PRIMARY KEY,
    lot_id     UUID NOT NULL
) ON COMMIT DROP;
WITH keyed AS (
    SELECT earning_id, organization_id, partner_id, program_id, earning_type, currency, payment_id,
           date_trunc('month', transaction_date::timestamp)::date AS month
    FROM earning),
lots AS (
    SELECT gen_random_uuid() AS id, organization_id, partner_id, program_id, earning_type, currency, month, payment_id
    FROM keyed
    GROUP BY organization_id, partner_id, program_id, earning_type, currency, month, payment_id),
inserted AS (
    INSERT INTO earning_lot (id, organization_id, partner_id, program_id, earning_type, currency, month, payment_id,
                             accepting)
    SELECT id, organization_id, partner_id, program_id, earning_type, currency, month, payment_id, payment_id IS NULL
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
-- amount included: a payment's sum can be read from the index alone once the rows are all-visible (vacuumed).
CREATE INDEX earning_in_lot ON earning (lot_id, transaction_date) INCLUDE (amount);
