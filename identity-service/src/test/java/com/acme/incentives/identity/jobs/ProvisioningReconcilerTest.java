package com.acme.incentives.identity.jobs;

import com.acme.incentives.identity.support.Directory;
import com.acme.incentives.platform.testing.TestInstance;
import com.acme.incentives.platform.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A creation that died half way (Keycloak user made, our transaction never committed, compensation impossible at the
 * time) leaves a provisioning row and a Keycloak orphan; the reconciler removes both, and only those.
 */
@QuarkusTest
class ProvisioningReconcilerTest {

    @Inject
    ProvisioningReconciler reconciler;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aDeadCreationsOrphanIsRemovedFromKeycloakAndNothingElse() throws Exception {
        Directory.Org org = Directory.registerOrganization("Reconcile " + UUID.randomUUID());
        UUID orgId = UUID.fromString(org.id());
        String orphanEmail = Directory.uniqueEmail("orphan");
        String foreignEmail = Directory.uniqueEmail("foreign");
        String liveEmail = Directory.uniqueEmail("live");
        keycloakUser(orphanEmail, orgId);
        keycloakUser(foreignEmail, UUID.randomUUID()); // same email as a dead creation, but another organization's
        keycloakUser(liveEmail, orgId);
        reservation(orphanEmail, orgId, Instant.now().minus(Duration.ofMinutes(10)));
        reservation(foreignEmail, orgId, Instant.now().minus(Duration.ofMinutes(10)));
        reservation(liveEmail, orgId, Instant.now()); // a creation still in progress: not touched

        reconciler.reconcile(Duration.ofMinutes(2));

        assertThat(Directory.keycloakUsersByEmail(orphanEmail)).isEmpty();
        assertThat(Directory.keycloakUsersByEmail(foreignEmail)).hasSize(1);
        assertThat(Directory.keycloakUsersByEmail(liveEmail)).hasSize(1);
        assertThat(reservations(orphanEmail)).isZero();
        assertThat(reservations(foreignEmail)).isZero();
        assertThat(reservations(liveEmail)).isEqualTo(1);
        // The registered primary contact, a complete user of the same organization, is untouched.
        assertThat(Directory.keycloakUsersByEmail(org.adminEmail())).hasSize(1);

        // Once the reservation is gone, the email can be created through the API (the orphan no longer blocks it).
        RestAssured.given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Directory.newUser(orphanEmail, List.of("INCENTIVE_USER"), List.of()))
                .post("/api/v1/organizations/" + org.id() + "/users").then().statusCode(201);
        // A reservation still in progress makes a second creation of the same email wait (409), not duplicate.
        RestAssured.given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Directory.newUser(liveEmail, List.of("INCENTIVE_USER"), List.of()))
                .post("/api/v1/organizations/" + org.id() + "/users").then().statusCode(409);
    }

    private static void keycloakUser(String email, UUID orgId) {
        RestAssured.given().baseUri(TestTokens.KEYCLOAK_URL).basePath("")
                .auth().oauth2(TestTokens.userAdministration()).contentType(ContentType.JSON)
                .body(Map.of("username", email, "email", email, "firstName", "Or", "lastName", "Phan",
                        "enabled", true, "attributes", Map.of("org_id", List.of(orgId.toString()))))
                .post("/admin/realms/" + TestInstance.realm() + "/users").then().statusCode(201);
    }

    private void reservation(String email, UUID orgId, Instant startedAt) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO user_provisioning (email, organization_id, started_at, started_by) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, email);
            insert.setObject(2, orgId);
            insert.setTimestamp(3, Timestamp.from(startedAt));
            insert.setString(4, "test");
            insert.executeUpdate();
        }
    }

    private long reservations(String email) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(
                "SELECT count(*) FROM user_provisioning WHERE email = ?")) {
            query.setString(1, email);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
