package com.acme.incentives.eligibility.rest;

import com.acme.incentives.platform.testing.TestInstance;
import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static com.acme.incentives.eligibility.rest.Fixtures.agreement;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace across the outbox and Kafka: the W3C trace context that reaches this service (from the gateway over
 * HTTP, or from another service's event) is continued by the spans here and sent on with the events it causes.
 */
@QuarkusTest
class TracingTest {

    @Inject
    InMemorySpanExporter spans;

    @Inject
    Clock clock;

    @Test
    void aConsumedEventAndTheEventItCausesAreOneTrace() {
        UUID organizationId = UUID.randomUUID();
        String partnerId = Fixtures.partnerId();
        String traceId = hex(16);
        String upstreamSpanId = hex(8);
        String correlationId = "trace-test-" + UUID.randomUUID();
        try (TestEvents events = TestEvents.listen(Fixtures.EVENTS)) {
            // As identity-service's relay sends LocationAdded: inside the trace of the request that added it.
            Fixtures.addLocation(organizationId, partnerId, "INDIRECT_RESELLER", "DE",
                    Map.of("traceparent", "00-" + traceId + "-" + upstreamSpanId + "-01",
                            "correlation-id", correlationId));
            SpanData consumer = awaitSpan(traceId, SpanKind.CONSUMER,
                    TestInstance.topic("identity.events") + " process");
            assertThat(consumer.getParentSpanId()).isEqualTo(upstreamSpanId);
            assertThat(consumer.getAttributes().asMap().toString()).contains("LocationAdded");
            // The outbox row kept the consumer's context; the relay published it in a child span of it...
            SpanData producer = awaitSpan(traceId, SpanKind.PRODUCER,
                    TestInstance.topic("eligibility.events") + " publish");
            assertThat(producer.getParentSpanId()).isEqualTo(consumer.getSpanId());
            // ...and the next consumer continues from that span, with the correlation id alongside.
            ConsumerRecord<String, String> published = awaitRecord(events, partnerId,
                    "00-" + traceId + "-" + producer.getSpanId() + "-01");
            assertThat(header(published, "correlation-id")).isEqualTo(correlationId);
            // The consumer's SQL is in the same trace.
            assertThat(spansOf(traceId)).anyMatch(span -> span.getKind() == SpanKind.CLIENT
                    && span.getParentSpanId().equals(consumer.getSpanId()));
        }
    }

    @Test
    void anHttpRequestAndTheEventItPublishesAreOneTrace() {
        UUID organizationId = UUID.randomUUID();
        String partnerId = Fixtures.partnerId();
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        String traceId = hex(16);
        String gatewaySpanId = hex(8);
        String correlationId = "trace-test-" + UUID.randomUUID();
        Fixtures.addLocation(organizationId, partnerId, "INDIRECT_RESELLER", "DE");
        try (TestEvents events = TestEvents.listen(Fixtures.EVENTS)) {
            // As the gateway relays a call: with its span's traceparent and the caller's correlation id.
            given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON)
                    .header("traceparent", "00-" + traceId + "-" + gatewaySpanId + "-01")
                    .header("X-Correlation-Id", correlationId)
                    .body(agreement("MPN", "ACTIVE", today.minusYears(1), today.plusYears(1)))
                    .put("/api/v1/locations/" + partnerId + "/agreements/MPN-1")
                    .then().statusCode(200).header("X-Correlation-Id", correlationId);
            SpanData server = awaitSpan(traceId, SpanKind.SERVER, null);
            assertThat(server.getParentSpanId()).isEqualTo(gatewaySpanId);
            assertThat(server.getName()).contains("/api/v1/locations/{partnerId}/agreements/{agreementId}");
            SpanData producer = awaitSpan(traceId, SpanKind.PRODUCER,
                    TestInstance.topic("eligibility.events") + " publish");
            ConsumerRecord<String, String> published = awaitRecord(events, partnerId,
                    "00-" + traceId + "-" + producer.getSpanId() + "-01");
            assertThat(published.value()).contains("EligibilityChanged", "\"sequence\":2");
            assertThat(header(published, "correlation-id")).isEqualTo(correlationId);
        }
    }

    /**
     * The record published for this location with this traceparent. Chosen by its header, not by being the last one:
     * another eligibility-service instance on the same broker (a local run, the end-to-end tests) consumes the same
     * LocationAdded and publishes its own EligibilityChanged for it.
     */
    private static ConsumerRecord<String, String> awaitRecord(TestEvents events, String partnerId,
            String traceparent) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            if (find(events, partnerId, traceparent).isPresent()) {
                return true;
            }
            try {
                events.awaitRecords(events.records().size() + 1, Duration.ofMillis(500));
            } catch (AssertionError nothingNewYet) {
                // keep polling until the deadline
            }
            return find(events, partnerId, traceparent).isPresent();
        });
        return find(events, partnerId, traceparent).orElseThrow();
    }

    private static Optional<ConsumerRecord<String, String>> find(TestEvents events, String partnerId,
            String traceparent) {
        return events.records().stream()
                .filter(r -> partnerId.equals(r.key()) && traceparent.equals(header(r, "traceparent"))).findFirst();
    }

    private SpanData awaitSpan(String traceId, SpanKind kind, String name) {
        await().atMost(Duration.ofSeconds(30)).until(() -> find(traceId, kind, name).isPresent());
        return find(traceId, kind, name).orElseThrow();
    }

    private Optional<SpanData> find(String traceId, SpanKind kind, String name) {
        return spansOf(traceId).stream()
                .filter(span -> span.getKind() == kind && (name == null || name.equals(span.getName())))
                .reduce((first, second) -> second);
    }

    private List<SpanData> spansOf(String traceId) {
        return spans.getFinishedSpanItems().stream().filter(span -> span.getTraceId().equals(traceId)).toList();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        random[0] |= 1; // never all zeros, which W3C defines as invalid
        return HexFormat.of().formatHex(random);
    }
}
