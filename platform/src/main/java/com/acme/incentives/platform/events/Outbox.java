package com.acme.incentives.platform.events;

import com.acme.incentives.platform.correlation.CorrelationId;
import com.acme.incentives.platform.transactions.AfterCommit;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Records events in the outbox table inside the caller's transaction: the event exists if and only if the business
 * change committed. Never sends to Kafka itself; {@link OutboxRelay} does, after commit.
 */
@ApplicationScoped
public class Outbox {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    TransactionManager transactionManager;

    @Inject
    AfterCommit afterCommit;

    /** The service's mapper, but writing null fields: the event contracts name fields that are "date or null". */
    private final ObjectMapper json;

    @Inject
    OutboxRelay relay;

    @Inject
    EventTracing tracing;

    @Inject
    Clock clock;

    @Inject
    Outbox(ObjectMapper json) {
        this.json = json.copy().setSerializationInclusion(JsonInclude.Include.ALWAYS);
    }

    @Inject
    OutboxSettings settings;

    /** An event to write; {@code data} is any Jackson-serializable object (usually a record). */
    public record NewEvent(String aggregateId, String type, int version, Object data) {
        public NewEvent(String aggregateId, String type, Object data) {
            this(aggregateId, type, 1, data);
        }
    }

    public UUID publish(String aggregateId, String type, Object data) {
        return publish(new NewEvent(aggregateId, type, data));
    }

    /** Writes one event; returns its event id. */
    public UUID publish(NewEvent event) {
        return publishAll(List.of(event)).get(0);
    }

    /** Writes many events with one JDBC batch (feeds of thousands of rows). Returns their event ids in order. */
    public List<UUID> publishAll(List<NewEvent> events) {
        requireTransaction();
        if (events.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String correlationId = CorrelationId.current();
        // The relay sends the row later, from its own thread: the trace it belongs to must travel with the row.
        Map<String, String> traceContext = tracing.currentContext();
        List<UUID> ids = new java.util.ArrayList<>(events.size());
        // Agroal hands out the connection already enlisted in this JTA transaction (the one Hibernate uses too).
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO outbox_event (event_id, topic, aggregate_id, event_type, payload, correlation_id,"
                                + " created_at, trace_parent, trace_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (NewEvent event : events) {
                UUID eventId = UUID.randomUUID();
                EventEnvelope envelope = new EventEnvelope(eventId, event.type(), event.aggregateId(), now,
                        event.version(), json.valueToTree(event.data()));
                insert.setObject(1, eventId);
                insert.setString(2, settings.topic());
                insert.setString(3, event.aggregateId());
                insert.setString(4, event.type());
                insert.setString(5, json.writeValueAsString(envelope));
                insert.setString(6, correlationId);
                // A point in time goes as a typed timestamptz, as everywhere (docs/conventions.md, "Persistence").
                insert.setObject(7, now.atOffset(ZoneOffset.UTC));
                insert.setString(8, traceContext.get(EventTracing.TRACEPARENT));
                insert.setString(9, traceContext.get(EventTracing.TRACESTATE));
                insert.addBatch();
                ids.add(eventId);
            }
            insert.executeBatch();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Could not write to the outbox", e);
        }
        afterCommit.run(relay::wakeUp);
        return ids;
    }

    private void requireTransaction() {
        try {
            if (transactionManager.getStatus() != Status.STATUS_ACTIVE) {
                throw new IllegalStateException("Outbox.publish must run inside the business transaction");
            }
        } catch (SystemException e) {
            throw new IllegalStateException(e);
        }
    }

}
