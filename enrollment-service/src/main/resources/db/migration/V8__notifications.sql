-- Notifications: which email a row is (its template: invitation, migration, payment-held, ...), and for one that
-- answers an event, the event's id. One row per event and language: with the inbox (which records the event in the
-- same transaction), the unique index makes "one email per event and recipient" a property of the table, whatever
-- replica or redelivery applies the event. Rows written before this migration have neither (null).
ALTER TABLE mail_outbox ADD COLUMN kind text;
ALTER TABLE mail_outbox ADD COLUMN event_id uuid;
CREATE UNIQUE INDEX mail_outbox_event_language ON mail_outbox (event_id, language) WHERE event_id IS NOT NULL;
