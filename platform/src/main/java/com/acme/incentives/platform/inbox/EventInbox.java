package com.acme.incentives.platform.inbox;

import com.acme.incentives.platform.correlation.CorrelationId;
import com.acme.incentives.platform.events.EventEnvelope;
import com.acme.incentives.platform.events.EventTracing;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The one way a service consumes events: parse the envelope, then, in one transaction, record the event id for this
 * consumer and apply the effect. A duplicate (same consumer, same event id) is skipped. A failing effect is retried
 * with back-off, each attempt in a fresh transaction; when it still fails, or the record is unreadable, the exception
 * reaches SmallRye Reactive Messaging, whose {@code dead-letter-queue} failure strategy moves the record to the
 * channel's dead-letter topic and goes on with the next one.
 *
 * <pre>
 * &#64;Incoming("identity-events") &#64;Blocking
 * public void onIdentityEvent(ConsumerRecord&lt;String, String&gt; record) {
 *     inbox.consume("eligibility", record, event -&gt; ...);
 * }
 * </pre>
 */
@ApplicationScoped
public class EventInbox {

    private static final Logger LOG = Logger.getLogger(EventInbox.class);

    @Inject
    ObjectMapper json;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry metrics;

    @Inject
    EventTracing tracing;

    @Inject
    InboxSettings settings;

    /**
     * Returns true when the effect was applied now, false when the event had been applied before. Runs in a consumer
     * span that continues the trace of the record's {@code traceparent} header (see {@link EventTracing}), with the
     * record's correlation id in the logging MDC.
     */
    public boolean consume(String consumer, ConsumerRecord<String, String> record, EventHandler handler) {
        String previous = CorrelationId.current();
        CorrelationId.set(header(record, CorrelationId.KAFKA_HEADER));
        Span span = tracing.startConsume(consumer, record);
        RuntimeException failure = null;
        try (Scope ignored = span.makeCurrent()) {
            EventEnvelope event;
            try {
                event = parse(record);
            } catch (PoisonEventException e) {
                deadLettered(consumer, "unreadable", "unreadable");
                throw e;
            }
            EventTracing.describe(span, event);
            return consume(consumer, event, handler);
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            EventTracing.end(span, failure);
            CorrelationId.set(previous);
        }
    }

    /** For events that did not come from Kafka directly (tests, replays). */
    public boolean consume(String consumer, EventEnvelope event, EventHandler handler) {
        long backoff = settings.firstBackoff().toMillis();
        for (int attempt = 1;; attempt++) {
            try {
                boolean applied = QuarkusTransaction.requiringNew().call(() -> {
                    if (!recordConsumed(consumer, event)) {
                        return false;
                    }
                    handler.apply(event);
                    return true;
                });
                metrics.counter("inbox.events", "consumer", consumer, "type", event.type(),
                        "outcome", applied ? "applied" : "duplicate").increment();
                if (!applied) {
                    LOG.debugf("Skipped duplicate event %s (%s)", event.eventId(), event.type());
                }
                return applied;
            } catch (PoisonEventException e) {
                metrics.counter("inbox.events", "consumer", consumer, "type", event.type(), "outcome", "dead-letter")
                        .increment();
                deadLettered(consumer, event.type(), "poison");
                LOG.errorf("Event %s (%s) cannot be applied: %s; sending it to the dead-letter topic",
                        event.eventId(), event.type(), e.getMessage());
                throw e;
            } catch (RuntimeException e) {
                if (attempt >= settings.maxAttempts()) {
                    metrics.counter("inbox.events", "consumer", consumer, "type", event.type(), "outcome",
                            "dead-letter").increment();
                    deadLettered(consumer, event.type(), "retries-exhausted");
                    LOG.errorf(e, "Event %s (%s) failed %d times; sending it to the dead-letter topic",
                            event.eventId(), event.type(), attempt);
                    throw e;
                }
                LOG.warnf("Event %s (%s) failed on attempt %d (%s); retrying", event.eventId(), event.type(), attempt,
                        e.toString());
                sleep(backoff);
                backoff *= 2;
            }
        }
    }

    /**
     * Counts a record handed to the channel's dead-letter topic: {@code reason} is {@code unreadable} (not an event
     * envelope), {@code poison} (the handler said it can never be applied) or {@code retries-exhausted}.
     */
    private void deadLettered(String consumer, String type, String reason) {
        Counter.builder("inbox.dead.letters")
                .description("Consumed records sent to the dead-letter topic, by consumer, event type and reason")
                .tag("consumer", consumer).tag("type", type).tag("reason", reason)
                .register(metrics).increment();
    }

    private EventEnvelope parse(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            throw new PoisonEventException("Record at " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + " has no value");
        }
        try {
            EventEnvelope event = json.readValue(record.value(), EventEnvelope.class);
            if (event.eventId() == null || event.type() == null || event.aggregateId() == null) {
                throw new PoisonEventException("Record at " + record.topic() + "-" + record.partition() + "@"
                        + record.offset() + " lacks eventId, type or aggregateId");
            }
            return event;
        } catch (PoisonEventException e) {
            LOG.error(e.getMessage());
            throw e;
        } catch (Exception e) {
            LOG.errorf("Record at %s-%d@%d is not an event envelope; sending it to the dead-letter topic",
                    record.topic(), record.partition(), record.offset());
            throw new PoisonEventException("Not an event envelope", e);
        }
    }

    private boolean recordConsumed(String consumer, EventEnvelope event) {
        // Runs in the transaction of the effect; a concurrent duplicate blocks on the primary key until we commit.
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO consumed_event (consumer, event_id, event_type) VALUES (?, ?, ?)"
                                + " ON CONFLICT DO NOTHING")) {
            insert.setString(1, consumer);
            insert.setObject(2, event.eventId());
            insert.setString(3, event.type());
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record the consumed event", e);
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while retrying an event", e);
        }
    }
}
