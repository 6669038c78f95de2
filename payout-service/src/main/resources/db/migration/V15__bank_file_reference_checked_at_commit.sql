-- A run's bank file is written in one transaction with its payments' UPCOMING -> IN_PROGRESS step, and the payments
-- name the file before its row is inserted: the document is written on another thread meanwhile (Disbursement). The
-- transaction defers this one check to its commit (SET CONSTRAINTS ... DEFERRED); every other statement still has
-- it checked at once. Compatible with the code before it: a constraint that may be deferred is checked at once
-- unless a transaction says otherwise.
ALTER TABLE payment ALTER CONSTRAINT payment_bank_file_id_fkey DEFERRABLE INITIALLY IMMEDIATE;
