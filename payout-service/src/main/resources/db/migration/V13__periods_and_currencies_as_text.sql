-- Periods (YYYY-MM) and currency codes as TEXT with their format checked, instead of CHAR(7) and CHAR(3): a CHAR value
-- is blank-padded to its length, which had every read trim it (issue 19). Every stored value is exactly 7 or 3
-- characters already, so only the type changes. (Rewrites earning once, as any ALTER of a column type there does.)
ALTER TABLE exchange_rate
    ALTER COLUMN period TYPE TEXT,
    ALTER COLUMN currency TYPE TEXT,
    ADD CONSTRAINT exchange_rate_period_format CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    ADD CONSTRAINT exchange_rate_currency_format CHECK (currency ~ '^[A-Z]{3}$');
ALTER TABLE payout_run
    ALTER COLUMN period TYPE TEXT,
    ADD CONSTRAINT payout_run_period_format CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$');
ALTER TABLE payment
    ALTER COLUMN period TYPE TEXT,
    ALTER COLUMN currency TYPE TEXT,
    ALTER COLUMN payout_currency TYPE TEXT,
    ADD CONSTRAINT payment_period_format CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    ADD CONSTRAINT payment_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
    ADD CONSTRAINT payment_payout_currency_format CHECK (payout_currency ~ '^[A-Z]{3}$');
ALTER TABLE earning
    ALTER COLUMN transaction_currency TYPE TEXT,
    ALTER COLUMN currency TYPE TEXT,
    ADD CONSTRAINT earning_transaction_currency_format CHECK (transaction_currency ~ '^[A-Z]{3}$'),
    ADD CONSTRAINT earning_currency_format CHECK (currency ~ '^[A-Z]{3}$');
ALTER TABLE bank_file_total
    ALTER COLUMN currency TYPE TEXT,
    ADD CONSTRAINT bank_file_total_currency_format CHECK (currency ~ '^[A-Z]{3}$');
