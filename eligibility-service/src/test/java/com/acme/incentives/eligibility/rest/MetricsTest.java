package com.acme.incentives.eligibility.rest;

import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The series an operator watches (docs/observability.md), as Prometheus scrapes them from /q/metrics. */
@QuarkusTest
class MetricsTest {

    private static final String DEAD_LETTERS = "inbox_dead_letters_total{application=\"eligibility-service\","
            + "consumer=\"eligibility-service:identity-events\",reason=\"unreadable\",type=\"unreadable\"}";

    @Test
    void requestsAreCountedPerRouteTemplateNotPerPath() {
        String partnerId = Fixtures.partnerId();
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/locations/" + partnerId).then().statusCode(404);

        String metrics = scrape();
        String series = "application=\"eligibility-service\",method=\"GET\",outcome=\"CLIENT_ERROR\",status=\"404\","
                + "uri=\"/api/v1/locations/{partnerId}\"";
        assertThat(metrics).contains("http_server_requests_seconds_count{" + series + "}");
        // Latency buckets, for percentiles per route across replicas.
        assertThat(metrics).contains("http_server_requests_seconds_bucket{" + series + ",le=\"0.05\"}");
        assertThat(metrics).doesNotContain(partnerId);
    }

    @Test
    void outboxConsumerLagAndDeadLettersAreExposed() {
        double before = value(scrape(), DEAD_LETTERS);
        TestEvents.produce("identity.events", UUID.randomUUID().toString(), "not an envelope", Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> value(scrape(), DEAD_LETTERS) > before);

        String metrics = scrape();
        String service = "{application=\"eligibility-service\"}";
        assertThat(metrics).contains("outbox_backlog" + service, "outbox_oldest_unsent_age_seconds" + service,
                "outbox_events_published_total" + service, "outbox_publish_failures_total" + service,
                "outbox_relay_turns_taken_total" + service);
        assertThat(metrics).contains("inbox_events_total{application=\"eligibility-service\","
                + "consumer=\"eligibility-service:identity-events\"");
        // Consumer lag per channel's consumer, from the Kafka client's own metrics.
        assertThat(metrics).containsPattern("kafka_consumer_fetch_manager_records_lag_max\\{[^}]*client_id=\"[^\"]+\"");
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of one series, or 0 when it does not exist yet (an exemplar, "# {trace_id=...}", may follow). */
    private static double value(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]))
                .orElse(0.0);
    }
}
