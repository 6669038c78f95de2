-- A payment the bank rejected or reversed paid nothing: its earnings go back to unpaid (payment_id = NULL) so a
-- later run pays them again. This table keeps which earnings the failed payment had carried, for the audit trail.
CREATE TABLE payment_returned_earning (
    payment_id  UUID        NOT NULL REFERENCES payment (id),
    earning_id  TEXT        NOT NULL REFERENCES earning (earning_id),
    returned_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (payment_id, earning_id)
);
CREATE INDEX payment_returned_earning_earning ON payment_returned_earning (earning_id);
