-- A run's payments are those it issued (payment_run) and the held ones it released: GET /payout-runs/{id}/payments
-- and each run's totals look both up, the second by this index.
CREATE INDEX payment_released_by_run ON payment (released_by_run) WHERE released_by_run IS NOT NULL;
