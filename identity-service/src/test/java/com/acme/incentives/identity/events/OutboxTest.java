package com.acme.incentives.identity.events;

import com.acme.incentives.identity.rest.OrganizationResourceTest;
import com.acme.incentives.platform.events.Outbox;
import com.acme.incentives.platform.testing.LocalInfra;
import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The transactional outbox against the real PostgreSQL and the real broker, including a broker outage. */
@QuarkusTest
class OutboxTest {

    @Inject
    Outbox outbox;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void nothingIsWrittenOrPublishedForARolledBackTransaction() throws Exception {
        String aggregate = "rollback-" + UUID.randomUUID();
        try (TestEvents events = TestEvents.listen("identity.events")) {
            assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                outbox.publish(aggregate, "Probe", Map.of("n", 1));
                throw new IllegalStateException("business rule failed after the event was written");
            })).isInstanceOf(IllegalStateException.class);
            QuarkusTransaction.requiringNew().run(() -> outbox.publish(aggregate, "Probe", Map.of("n", 2)));

            List<JsonNode> published = events.await(node -> aggregate.equals(node.path("aggregateId").asText()), 1,
                    Duration.ofSeconds(30), Duration.ofSeconds(2));
            assertThat(published).hasSize(1);
            assertThat(published.get(0).path("data").path("n").asInt()).isEqualTo(2);
        }
        assertThat(rowsFor(aggregate)).isEqualTo(1);
    }

    @Test
    void publishingOutsideATransactionIsABug() {
        assertThatThrownBy(() -> outbox.publish("x", "Probe", Map.of()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void everyEventWrittenWhileTheBrokerIsDownArrivesOnceAfterItComesBack() {
        int count = 25;
        List<String> ids = new ArrayList<>();
        try (TestEvents events = TestEvents.listen("identity.events")) {
            LocalInfra.kafka("stop");
            try {
                for (int i = 0; i < count; i++) {
                    // The API keeps answering: the events wait in the outbox, committed with their organizations.
                    ids.add(given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                            .body(OrganizationResourceTest.organization("Outage " + i))
                            .post("/api/v1/organizations").then().statusCode(201).extract().path("id"));
                }
            } finally {
                LocalInfra.kafka("start");
            }
            Set<String> expected = new HashSet<>(ids);
            List<JsonNode> published = events.await(
                    node -> "OrganizationRegistered".equals(node.path("type").asText())
                            && expected.contains(node.path("aggregateId").asText()),
                    count, Duration.ofSeconds(90), Duration.ofSeconds(3));
            List<String> arrived = published.stream().map(node -> node.path("aggregateId").asText()).toList();
            assertThat(arrived).containsExactlyInAnyOrderElementsOf(ids); // every one, none twice
        }
    }

    private long rowsFor(String aggregate) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*) FROM outbox_event WHERE aggregate_id = ?")) {
            query.setString(1, aggregate);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
