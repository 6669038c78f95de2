package com.acme.incentives.platform.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.UUID;

/**
 * The envelope of every event on every topic (docs/product.md "Events between services"; docs/events.md):
 * {@code aggregateId} is also the Kafka record key, so all events of one aggregate land on one partition in order.
 * {@code version} is the version of the {@code data} schema for this {@code type}; consumers ignore types they do not
 * know.
 */
public record EventEnvelope(UUID eventId, String type, String aggregateId, Instant occurredAt, int version,
        JsonNode data) {
}
