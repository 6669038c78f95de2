-- The W3C trace context (traceparent, tracestate) of the transaction that wrote the event. The relay publishes rows
-- later, on its own thread, so the context cannot follow the event in memory: it is kept with the row and sent as
-- Kafka headers, and the consumer continues the same trace (docs/observability.md).
ALTER TABLE outbox_event ADD COLUMN trace_parent TEXT;
ALTER TABLE outbox_event ADD COLUMN trace_state TEXT;
