-- An operator's hold (POST /payments/{id}/hold): a fact every later run includes in the payment's hold reasons
-- (OPERATOR_HOLD) until an operator releases it. A release of a payment above payout.release.four-eyes-above is first
-- only requested (release_requested_*), and done when another operator releases it too.
ALTER TABLE payment
    ADD COLUMN operator_hold_by       TEXT,
    ADD COLUMN operator_hold_at       TIMESTAMPTZ,
    ADD COLUMN operator_hold_reason   TEXT,
    ADD COLUMN release_requested_by   TEXT,
    ADD COLUMN release_requested_at   TIMESTAMPTZ,
    ADD COLUMN release_request_reason TEXT;

-- Who changed a payment by hand (the operator's subject; NULL for a run's or the bank's change), what they did
-- (HOLD, RELEASE_REQUESTED, RELEASE_APPROVED, RELEASED, RELEASE_REFUSED) and why, in their words.
ALTER TABLE payment_history
    ADD COLUMN changed_by TEXT,
    ADD COLUMN action     TEXT,
    ADD COLUMN reason     TEXT;

-- The operators' held-payments queue (GET /held-payments): every organization's held payments, oldest hold (soonest
-- forfeit) first.
CREATE INDEX payment_held ON payment (held_since, id) WHERE status = 'ON_HOLD';
