package com.acme.incentives.eligibility.events;

import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.acme.incentives.platform.testing.TestUsers.TestUser;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static com.acme.incentives.platform.testing.TestSql.count;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** The idempotent consumer and its dead-letter topic, through the real broker. */
@QuarkusTest
class IdentityEventsConsumerTest {

    @Inject
    AgroalDataSource dataSource;

    static String partnerId() {
        return String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
    }

    static String locationAdded(UUID eventId, UUID organizationId, String partnerId) {
        return """
                {"eventId":"%s","type":"LocationAdded","aggregateId":"%s","occurredAt":"%s","version":1,
                 "data":{"organizationId":"%s","partnerId":"%s","name":"Test","country":"DE",
                         "partnerType":"INDIRECT_RESELLER","addedAt":"%s"}}
                """.formatted(eventId, organizationId, Instant.now(), organizationId, partnerId, Instant.now());
    }

    @Test
    void theSameEventDeliveredTwiceIsAppliedOnce() throws Exception {
        UUID organizationId = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        String partnerId = partnerId();
        String event = locationAdded(eventId, organizationId, partnerId);
        try (TestEvents deadLetters = TestEvents.listen("identity.events.eligibility.dlq")) {
            TestEvents.produce("identity.events", organizationId.toString(), event, Map.of());
            TestEvents.produce("identity.events", organizationId.toString(), event, Map.of());
            // A later event for the same key proves both copies were processed (the partition is read in order).
            UUID marker = UUID.randomUUID();
            String markerPartner = partnerId();
            TestEvents.produce("identity.events", organizationId.toString(),
                    locationAdded(marker, organizationId, markerPartner), Map.of());

            await().atMost(Duration.ofSeconds(30)).until(() -> count(dataSource,
                    "SELECT count(*) FROM partner_location WHERE partner_id = ?", markerPartner) == 1);
            assertThat(deadLetters.records()).isEmpty();
        }
        // The effect, counted where a second application would show: each programme that applies to the location was
        // evaluated and published once (sequence 1), not once per delivery. (consumed_event cannot show it: its
        // primary key holds one row per event whatever the inbox does. LocationAdded's handler is also idempotent by
        // itself, re-evaluation writing only changes, so the inbox proper is proven by EventInboxTest.)
        Map<String, Long> published = perProgram("SELECT payload::jsonb -> 'data' ->> 'programId', count(*)"
                + " FROM outbox_event WHERE aggregate_id = ? AND event_type = 'EligibilityChanged' GROUP BY 1",
                partnerId);
        assertThat(published).as("EligibilityChanged per programme").isNotEmpty().containsKey("csp-indirect-reseller")
                .allSatisfy((program, events) -> assertThat(events).as(program).isEqualTo(1));
        assertThat(perProgram("SELECT program_id, count(*) FROM eligibility_history WHERE partner_id = ?"
                + " GROUP BY program_id", partnerId)).as("history rows per programme").isEqualTo(published);

        TestUser member = TestUsers.create(organizationId, "INCENTIVE_USER");
        given().auth().oauth2(member.token()).get("/api/v1/locations/" + partnerId)
                .then().statusCode(200).body("organizationId", equalTo(organizationId.toString()))
                .body("partnerType", equalTo("INDIRECT_RESELLER"));
        TestUser stranger = TestUsers.create(UUID.randomUUID(), "INCENTIVE_ADMIN");
        given().auth().oauth2(stranger.token()).get("/api/v1/locations/" + partnerId)
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.partnerFeed()).get("/api/v1/locations/" + partnerId)
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/locations/12ab")
                .then().statusCode(400).body("errors[0].field", equalTo("partnerId"));
    }

    @Test
    void aPoisonMessageGoesToTheDeadLetterTopicAndDoesNotBlockTheOnesBehindIt() throws Exception {
        UUID organizationId = UUID.randomUUID();
        UUID good = UUID.randomUUID();
        String poisonKey = organizationId.toString();
        try (TestEvents deadLetters = TestEvents.listen("identity.events.eligibility.dlq")) {
            TestEvents.produce("identity.events", poisonKey, "{not json at all", Map.of("correlation-id", "poison-1"));
            UUID missingField = UUID.randomUUID();
            TestEvents.produce("identity.events", poisonKey, """
                    {"eventId":"%s","type":"LocationAdded","aggregateId":"%s","occurredAt":"%s","version":1,
                     "data":{"organizationId":"%s"}}""".formatted(missingField, poisonKey, Instant.now(), poisonKey),
                    Map.of());
            UUID unknownType = UUID.randomUUID();
            TestEvents.produce("identity.events", poisonKey, locationAdded(unknownType, organizationId, partnerId())
                    .replace("INDIRECT_RESELLER", "DISTRIBUTOR"), Map.of());
            TestEvents.produce("identity.events", poisonKey, locationAdded(good, organizationId, partnerId()), Map.of());

            await().atMost(Duration.ofSeconds(30)).until(() -> consumed(good) == 1);
            var dead = deadLetters.awaitRecords(3, Duration.ofSeconds(30));
            assertThat(consumed(unknownType)).isZero();
            assertThat(dead).extracting(ConsumerRecord::key).containsOnly(poisonKey);
            assertThat(dead).extracting(ConsumerRecord::value).contains("{not json at all");
            assertThat(consumed(missingField)).isZero();
        }
    }

    private Map<String, Long> perProgram(String sql, String partnerId) throws Exception {
        Map<String, Long> counts = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, partnerId);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    private long consumed(UUID eventId) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*) FROM consumed_event WHERE event_id = ?")) {
            query.setObject(1, eventId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
