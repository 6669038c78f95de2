package com.acme.incentives.identity.rest;

import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class IdempotencyKeyTest {

    @Test
    void aReplayReturnsTheFirstAnswerAndChangesNothing() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = OrganizationResourceTest.organization("Tailspin " + key);
        try (TestEvents events = TestEvents.listen("identity.events")) {
            var first = given().auth().oauth2(TestTokens.operator()).header("Idempotency-Key", key)
                    .contentType(ContentType.JSON).body(body).post("/api/v1/organizations")
                    .then().statusCode(201).extract();
            var second = given().auth().oauth2(TestTokens.operator()).header("Idempotency-Key", key)
                    .contentType(ContentType.JSON).body(body).post("/api/v1/organizations")
                    .then().statusCode(201).header("Idempotent-Replayed", "true").extract();
            assertThat(second.<String>path("id")).isEqualTo(first.<String>path("id"));
            // The temporary password is shown to the first answer only, and never stored for replays.
            String temporaryPassword = first.path("temporaryPassword");
            assertThat(temporaryPassword).isNotBlank();
            assertThat(second.<String>path("temporaryPassword")).isNull();
            assertThat(second.<String>path("primaryContactUser.id")).isEqualTo(first.path("primaryContactUser.id"));
            assertThat(storedAnswersContaining(temporaryPassword)).isZero();
            assertThat(second.header("Location")).isEqualTo(first.header("Location"));
            String id = first.path("id");
            assertThat(events.await(TestEvents.ofType("OrganizationRegistered", id), 1, Duration.ofSeconds(30),
                    Duration.ofSeconds(2))).hasSize(1);
            // One registration and one audit entry of it: the replay wrote neither again.
            List<String> mentions = events.records().stream().map(r -> r.value())
                    .filter(value -> value.contains("Tailspin " + key)).toList();
            assertThat(mentions).hasSize(2);
            assertThat(mentions).filteredOn(value -> value.contains("\"type\":\"OrganizationRegistered\"")).hasSize(1);
            assertThat(mentions).filteredOn(value -> value.contains("\"type\":\"AuditRecorded\"")).hasSize(1);
        }
    }

    @Inject
    AgroalDataSource dataSource;

    private long storedAnswersContaining(String text) {
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(
                "SELECT count(*) FROM idempotency_record WHERE response_body LIKE ?")) {
            query.setString(1, "%" + text + "%");
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefused() {
        String key = UUID.randomUUID().toString();
        given().auth().oauth2(TestTokens.operator()).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(OrganizationResourceTest.organization("First")).post("/api/v1/organizations")
                .then().statusCode(201);
        given().auth().oauth2(TestTokens.operator()).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(OrganizationResourceTest.organization("Second")).post("/api/v1/organizations")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("/problems/idempotency-key-reused"));
    }

    @Test
    void aRefusedRequestIsNotRemembered() {
        String key = UUID.randomUUID().toString();
        given().auth().oauth2(TestTokens.operator()).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(Map.of("name", "No contact")).post("/api/v1/organizations")
                .then().statusCode(400);
        given().auth().oauth2(TestTokens.operator()).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(OrganizationResourceTest.organization("Fixed")).post("/api/v1/organizations")
                .then().statusCode(201);
    }

    @Test
    void malformedKeysAreRefused() {
        given().auth().oauth2(TestTokens.operator()).header("Idempotency-Key", "x".repeat(300))
                .contentType(ContentType.JSON).body(OrganizationResourceTest.organization("K"))
                .post("/api/v1/organizations")
                .then().statusCode(400).body("errors[0].field", equalTo("Idempotency-Key"));
    }
}
