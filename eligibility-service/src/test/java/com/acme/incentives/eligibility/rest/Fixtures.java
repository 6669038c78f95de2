package com.acme.incentives.eligibility.rest;

import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import static com.acme.incentives.platform.testing.TestSql.count;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Test data through the real paths: locations arrive as LocationAdded on identity.events, facts through the API. */
final class Fixtures {

    static final String EVENTS = "eligibility.events";

    private Fixtures() {
    }

    static String partnerId() {
        return String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
    }

    /** Announces a location as identity-service would, and waits until eligibility knows it. */
    static void addLocation(UUID organizationId, String partnerId, String partnerType, String country) {
        addLocation(organizationId, partnerId, partnerType, country, Map.of());
    }

    /** The same, with record headers (a correlation id, a W3C traceparent) as identity-service's relay sends them. */
    static void addLocation(UUID organizationId, String partnerId, String partnerType, String country,
            Map<String, String> headers) {
        String event = """
                {"eventId":"%s","type":"LocationAdded","aggregateId":"%s","occurredAt":"%s","version":1,
                 "data":{"organizationId":"%s","partnerId":"%s","name":"Test location","country":"%s",
                         "partnerType":"%s","addedAt":"%s"}}
                """.formatted(UUID.randomUUID(), organizationId, Instant.now(), organizationId, partnerId, country,
                partnerType, Instant.now());
        TestEvents.produce("identity.events", organizationId.toString(), event, headers);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(TestTokens.operator())
                .get("/api/v1/locations/" + partnerId).statusCode() == 200);
    }

    static Map<String, Object> agreement(String type, String status, LocalDate from, LocalDate to) {
        Map<String, Object> body = new HashMap<>();
        body.put("type", type);
        body.put("status", status);
        body.put("validFrom", from.toString());
        if (to != null) {
            body.put("validTo", to.toString());
        }
        return body;
    }

    static Map<String, Object> agreementRow(String partnerId, String id, String type, LocalDate from, LocalDate to) {
        Map<String, Object> row = agreement(type, "ACTIVE", from, to);
        row.put("partnerId", partnerId);
        row.put("agreementId", id);
        return row;
    }

    static Map<String, Object> competencyRow(String partnerId, String id, String level, LocalDate from,
            LocalDate to) {
        Map<String, Object> row = new HashMap<>();
        row.put("partnerId", partnerId);
        row.put("competencyId", id);
        row.put("name", "Cloud Platform");
        row.put("level", level);
        row.put("validFrom", from.toString());
        if (to != null) {
            row.put("validTo", to.toString());
        }
        return row;
    }

    static Predicate<JsonNode> changed(String partnerId) {
        return TestEvents.ofType("EligibilityChanged", partnerId);
    }

    static Predicate<JsonNode> changed(String partnerId, String programId) {
        return changed(partnerId).and(node -> programId.equals(node.path("data").path("programId").asText()));
    }

    /** Outbox rows written for a location: the strict proof that nothing was (or one thing was) published. */
    static long outboxEvents(AgroalDataSource dataSource, String partnerId) throws Exception {
        return count(dataSource, "SELECT count(*) FROM outbox_event WHERE aggregate_id = ?", partnerId);
    }

    static List<JsonNode> sorted(List<JsonNode> events) {
        return events.stream().sorted((a, b) -> Long.compare(a.path("data").path("sequence").asLong(),
                b.path("data").path("sequence").asLong())).toList();
    }
}
