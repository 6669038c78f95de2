-- The bank's refusal of a payment after it was paid is now RETURNED (event PaymentReturned); it was REVERSED
-- (PaymentReversed), which at the time meant "refused after SENT". Stored payments and their history say the new
-- name, so every reader (API, CSV, statements, metrics) knows one word for it. Published PaymentReversed events
-- stay as they were: Kafka's log is history.
UPDATE payment SET status = 'RETURNED' WHERE status = 'REVERSED';
UPDATE payment_history SET from_status = 'RETURNED' WHERE from_status = 'REVERSED';
UPDATE payment_history SET to_status = 'RETURNED' WHERE to_status = 'REVERSED';
