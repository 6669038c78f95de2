package com.acme.incentives.identity.service;

import com.acme.incentives.identity.support.Directory;
import com.acme.incentives.platform.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Keycloak's admin API unreachable (the admin client points at a closed port; token checks still use the real
 * Keycloak): every change fails cleanly with 503 and leaves nothing half-made, neither in our database nor in
 * Keycloak.
 */
@QuarkusTest
@TestProfile(KeycloakUnavailableTest.AdminApiDown.class)
class KeycloakUnavailableTest {

    public static class AdminApiDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("identity.keycloak-admin.url", "http://127.0.0.1:9",
                    "identity.keycloak-admin.timeout", "PT2S",
                    "identity.activation.poll-every", "1h",
                    "identity.provisioning.reconcile-every", "1h");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Test
    void registeringAnOrganizationFailsWithNothingLeftBehind() throws Exception {
        String email = Directory.uniqueEmail("down-contact");
        String name = "Down " + UUID.randomUUID();
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "primaryContact", Map.of("email", email, "firstName", "A",
                        "lastName", "B")))
                .post("/api/v1/organizations")
                .then().statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("/problems/service-unavailable"));
        assertThat(count("SELECT count(*) FROM organization WHERE name = ?", name)).isZero();
        assertThat(count("SELECT count(*) FROM user_account WHERE email = ?", email)).isZero();
        assertThat(count("SELECT count(*) FROM user_provisioning WHERE email = ?", email)).isZero();
        assertThat(count("SELECT count(*) FROM outbox_event WHERE payload LIKE ?", "%" + email + "%")).isZero();
        assertThat(Directory.keycloakUsersByEmail(email)).isEmpty();
    }

    @Test
    void creatingAUserFailsWithNothingLeftBehindAndCanBeRetried() throws Exception {
        UUID orgId = insertOrganization();
        String email = Directory.uniqueEmail("down-user");
        for (int attempt = 0; attempt < 2; attempt++) {
            // The second attempt proves no reservation was left to block a retry.
            given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                    .body(Directory.newUser(email, List.of("INCENTIVE_USER"), List.of()))
                    .post("/api/v1/organizations/" + orgId + "/users")
                    .then().statusCode(503).contentType("application/problem+json")
                    .body("detail", equalTo("The identity provider is unavailable; nothing was changed. Retry later."));
        }
        assertThat(count("SELECT count(*) FROM user_account WHERE email = ?", email)).isZero();
        assertThat(count("SELECT count(*) FROM user_provisioning WHERE email = ?", email)).isZero();
        assertThat(count("SELECT count(*) FROM outbox_event WHERE payload LIKE ?", "%" + email + "%")).isZero();
        assertThat(Directory.keycloakUsersByEmail(email)).isEmpty();
    }

    @Test
    void changingAnExistingUserFailsAndChangesNothing() throws Exception {
        UUID orgId = insertOrganization();
        UUID userId = UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO user_account (id, organization_id, email, first_name, last_name, roles, status,"
                        + " created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, 'A', 'B',"
                        + " '{INCENTIVE_USER}', 'ACTIVE', now(), 'test', now(), 'test')")) {
            insert.setObject(1, userId);
            insert.setObject(2, orgId);
            insert.setString(3, Directory.uniqueEmail("down-existing"));
            insert.executeUpdate();
        }
        String user = "/api/v1/organizations/" + orgId + "/users/" + userId;
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("roles", List.of("INCENTIVE_ADMIN"))).put(user + "/roles").then().statusCode(503);
        given().auth().oauth2(TestTokens.operator()).delete(user).then().statusCode(503);
        given().auth().oauth2(TestTokens.operator()).post(user + "/password-reset").then().statusCode(503)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.operator()).get(user).then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("roles", equalTo(List.of("INCENTIVE_USER")));
        assertThat(count("SELECT count(*) FROM user_audit WHERE user_id = ?", userId)).isZero();
        assertThat(count("SELECT count(*) FROM outbox_event WHERE payload LIKE ?", "%" + userId + "%")).isZero();
    }

    private UUID insertOrganization() throws Exception {
        UUID orgId = UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO organization (id, name, contact_email, contact_first_name, contact_last_name,"
                        + " created_at, created_by) VALUES (?, 'Down org', 'x@partner.example', 'A', 'B', now(),"
                        + " 'test')")) {
            insert.setObject(1, orgId);
            insert.executeUpdate();
        }
        return orgId;
    }

    private long count(String sql, Object parameter) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(sql)) {
            query.setObject(1, parameter);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
