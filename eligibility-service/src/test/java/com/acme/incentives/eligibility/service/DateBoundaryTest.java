package com.acme.incentives.eligibility.service;

import com.acme.incentives.eligibility.jobs.BoundaryJob;
import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

/**
 * Eligibility changes when a date passes, without any new input: the test moves the service's clock past midnight
 * (no sleeping) and runs the boundary job the scheduler would run.
 */
@QuarkusTest
class DateBoundaryTest {

    @Inject
    MovableClock clock;

    @Inject
    BoundaryJob boundaryJob;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void anAgreementEndingTodayMakesTheLocationIneligibleTomorrowWithExactlyOneEvent() throws Exception {
        String partnerId = String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
        UUID organizationId = UUID.randomUUID();
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        addLocation(organizationId, partnerId);
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON)
                .body(Map.of("agreements", List.of(
                        Map.of("partnerId", partnerId, "agreementId", "MPN-1", "type", "MPN", "status", "ACTIVE",
                                "validFrom", today.minusYears(1).toString(), "validTo", today.toString()),
                        Map.of("partnerId", partnerId, "agreementId", "RES-1", "type", "RESELLER", "status",
                                "ACTIVE", "validFrom", today.minusYears(1).toString())),
                        "competencies", List.of(Map.of("partnerId", partnerId, "competencyId", "C-1", "name",
                                "Security", "level", "GOLD", "validFrom", today.minusYears(1).toString()))))
                .post("/api/v1/feeds/batches").then().statusCode(200).body("eligibilityChanges", equalTo(1));
        assertThat(nextEvaluation(partnerId)).isEqualTo(today.plusDays(1));

        // Nothing is due today: the job publishes nothing for this location.
        boundaryJob.runDue();
        assertThat(outboxRows(partnerId)).isEqualTo(2);

        try (TestEvents events = TestEvents.listen("eligibility.events")) {
            clock.advance(Duration.ofDays(1));
            // Two replicas' jobs at the same moment (each on its own connections and transactions, as two processes),
            // then a third run that finds nothing new.
            CompletableFuture<Integer> one = CompletableFuture.supplyAsync(boundaryJob::runDue);
            CompletableFuture<Integer> two = CompletableFuture.supplyAsync(boundaryJob::runDue);
            assertThat(one.get(60, TimeUnit.SECONDS) + two.get(60, TimeUnit.SECONDS))
                    .as("changes published by the two runs together").isEqualTo(1);
            assertThat(boundaryJob.runDue()).isZero();

            List<JsonNode> published = events.await(TestEvents.ofType("EligibilityChanged", partnerId), 1,
                    Duration.ofSeconds(30), Duration.ofSeconds(2));
            assertThat(published).hasSize(1);
            JsonNode data = published.get(0).path("data");
            assertThat(data.path("eligible").asBoolean()).isFalse();
            assertThat(data.path("sequence").asLong()).isEqualTo(3);
            assertThat(data.path("criteria").get(0).path("criterion").asText()).isEqualTo("MPN_AGREEMENT");
            assertThat(data.path("criteria").get(0).path("met").asBoolean()).isFalse();
            assertThat(data.path("criteria").get(0).path("reason").asText())
                    .isEqualTo("MPN agreement MPN-1 expired on " + today);
            assertThat(data.path("criteria").get(0).path("since").asText()).isEqualTo(today.plusDays(1).toString());
        }
        assertThat(outboxRows(partnerId)).isEqualTo(3);
        // No facts change by date any more: the location is off the job's list.
        assertThat(nextEvaluation(partnerId)).isNull();
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/locations/" + partnerId + "/eligibility/history")
                .then().statusCode(200).body("items.cause", contains("DATE_BOUNDARY", "BATCH_FED", "LOCATION_ADDED"));
    }

    private void addLocation(UUID organizationId, String partnerId) {
        String event = """
                {"eventId":"%s","type":"LocationAdded","aggregateId":"%s","occurredAt":"%s","version":1,
                 "data":{"organizationId":"%s","partnerId":"%s","name":"Boundary","country":"IT",
                         "partnerType":"DIRECT_BILL","addedAt":"%s"}}
                """.formatted(UUID.randomUUID(), organizationId, Instant.now(), organizationId, partnerId,
                Instant.now());
        TestEvents.produce("identity.events", organizationId.toString(), event, Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> outboxRows(partnerId) == 1);
    }

    private long outboxRows(String partnerId) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*) FROM outbox_event WHERE aggregate_id = ?")) {
            query.setString(1, partnerId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private LocalDate nextEvaluation(String partnerId) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT next_evaluation_on FROM partner_location WHERE partner_id = ?")) {
            query.setString(1, partnerId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getObject(1, LocalDate.class);
            }
        }
    }
}
