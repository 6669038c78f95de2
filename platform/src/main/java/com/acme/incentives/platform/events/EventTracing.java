package com.acme.incentives.platform.events;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries the W3C trace context across the outbox, which automatic Kafka instrumentation cannot follow: the event is
 * written in the business transaction but sent later by the relay's own thread. So the context of the writing
 * transaction is stored with the outbox row ({@link #currentContext()}), the relay sends each row in a producer span
 * that is a child of it and puts that span's context in the record's {@value #TRACEPARENT} and {@value #TRACESTATE}
 * headers, and the inbox handles the record in a consumer span that is a child of the headers' context. One trace
 * thus follows a request from the gateway through a service, the outbox and Kafka into every consumer, and on into
 * the events the consumer publishes in turn.
 *
 * <p>With the SDK disabled (no collector, see docs/observability.md) the propagator and tracer are no-ops: nothing is
 * stored, no header is sent, and the spans cost nothing.
 */
@ApplicationScoped
public class EventTracing {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    static final AttributeKey<String> MESSAGE_KEY = AttributeKey.stringKey("messaging.kafka.message.key");
    static final AttributeKey<String> CONSUMER_GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    static final AttributeKey<Long> PARTITION = AttributeKey.longKey("messaging.destination.partition.id");
    static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("incentives.event.type");

    private static final TextMapSetter<Map<String, String>> MAP_SETTER = Map::put;
    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };
    private static final TextMapSetter<Headers> HEADER_SETTER = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };
    private static final TextMapGetter<Headers> HEADER_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            List<String> keys = new ArrayList<>();
            carrier.forEach(header -> keys.add(header.key()));
            return keys;
        }

        @Override
        public String get(Headers carrier, String key) {
            Header header = carrier == null ? null : carrier.lastHeader(key);
            return header == null || header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private final TextMapPropagator propagator;
    private final Tracer tracer;

    @Inject
    public EventTracing(OpenTelemetry openTelemetry) {
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.tracer = openTelemetry.getTracer("com.acme.incentives.platform.events");
    }

    /** The W3C context of the current span as header name to value (empty when there is none, or tracing is off). */
    public Map<String, String> currentContext() {
        Map<String, String> carrier = new HashMap<>();
        propagator.inject(Context.current(), carrier, MAP_SETTER);
        return carrier;
    }

    /**
     * Starts the span in which the relay sends one outbox row, as a child of the context stored with the row (a new
     * trace when none was), and puts the span's context into the record's headers.
     */
    Span startPublish(ProducerRecord<String, String> record, String eventId, String eventType, String traceParent,
            String traceState) {
        Map<String, String> stored = new HashMap<>();
        if (traceParent != null) {
            stored.put(TRACEPARENT, traceParent);
        }
        if (traceState != null) {
            stored.put(TRACESTATE, traceState);
        }
        Context parent = propagator.extract(Context.root(), stored, MAP_GETTER);
        Span span = tracer.spanBuilder(record.topic() + " publish")
                .setParent(parent)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(MESSAGING_SYSTEM, "kafka")
                .setAttribute(DESTINATION, record.topic())
                .setAttribute(OPERATION, "publish")
                .setAttribute(MESSAGE_ID, eventId)
                .setAttribute(MESSAGE_KEY, record.key())
                .setAttribute(EVENT_TYPE, eventType)
                .startSpan();
        propagator.inject(parent.with(span), record.headers(), HEADER_SETTER);
        return span;
    }

    /**
     * Starts the span in which a consumer handles a record, as a child of the context in the record's headers (a new
     * trace when it has none). The caller makes it current while it handles the record, so what the handler does
     * (SQL, events it publishes through the outbox) joins the same trace.
     */
    public Span startConsume(String consumer, ConsumerRecord<String, String> record) {
        Context parent = propagator.extract(Context.root(), record.headers(), HEADER_GETTER);
        return tracer.spanBuilder(record.topic() + " process")
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(MESSAGING_SYSTEM, "kafka")
                .setAttribute(DESTINATION, record.topic())
                .setAttribute(OPERATION, "process")
                .setAttribute(CONSUMER_GROUP, consumer)
                .setAttribute(PARTITION, (long) record.partition())
                .setAttribute(OFFSET, record.offset())
                .setAttribute(MESSAGE_KEY, record.key())
                .startSpan();
    }

    /** Ends a span, marking it failed when {@code failure} is not null. */
    public static void end(Span span, Throwable failure) {
        if (failure != null) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
        }
        span.end();
    }

    /** Adds what is known only once the record is parsed. */
    public static void describe(Span span, EventEnvelope event) {
        span.setAttribute(MESSAGE_ID, event.eventId().toString());
        span.setAttribute(EVENT_TYPE, event.type());
    }
}
