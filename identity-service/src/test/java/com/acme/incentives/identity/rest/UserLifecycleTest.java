package com.acme.incentives.identity.rest;

import com.acme.incentives.identity.support.Directory;
import com.acme.incentives.identity.support.Directory.CreatedUser;
import com.acme.incentives.identity.support.Directory.Org;
import com.acme.incentives.identity.support.KeycloakLogin;
import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/**
 * A user's whole life against the real Keycloak, PostgreSQL and Kafka: created with a temporary password, forced to
 * change it, signed in with the right claims, activated, roles changed, password reset, deactivated, reactivated;
 * each event on identity.events exactly once.
 */
@QuarkusTest
class UserLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final Duration SETTLE = Duration.ofSeconds(3);

    @Test
    void aCreatedUserChangesTheTemporaryPasswordSignsInWithTheRightClaimsAndIsActivatedOnce() {
        Org org = Directory.registerOrganization("Lifecycle " + UUID.randomUUID());
        String partnerId = Directory.addLocation(org.id());
        try (TestEvents events = TestEvents.listen("identity.events")) {
            // The registered primary contact is a real GLOBAL_ADMIN: they change their password and act as admin.
            String adminPassword = "Own-" + UUID.randomUUID();
            KeycloakLogin.changeTemporaryPassword(org.adminEmail(), org.adminTemporaryPassword(), adminPassword);
            String adminToken = KeycloakLogin.passwordGrant(org.adminEmail(), adminPassword).then().statusCode(200)
                    .extract().path("access_token");

            String email = Directory.uniqueEmail("Robin.Lifecycle").replace("robin", "Robin");
            Response created = given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                    .body(Directory.newUser(email, List.of("INCENTIVE_ADMIN"), List.of(partnerId)))
                    .post("/api/v1/organizations/" + org.id() + "/users");
            created.then().statusCode(201)
                    .body("user.email", equalTo(email.toLowerCase()))
                    .body("user.status", equalTo("PENDING_ACTIVATION"))
                    .body("user.roles", equalTo(List.of("INCENTIVE_ADMIN")))
                    .body("user.locations", equalTo(List.of(partnerId)))
                    .body("user.createdBy", equalTo(org.adminId()));
            String userId = created.path("user.id");
            String temporary = created.path("temporaryPassword");
            assertThat(temporary).hasSizeGreaterThanOrEqualTo(16);
            assertThat(created.header("Location")).endsWith("/users/" + userId);

            // The temporary password cannot be used for a token: Keycloak insists on the change first.
            KeycloakLogin.passwordGrant(email, temporary).then().statusCode(400)
                    .body("error_description", equalTo("Account is not fully set up"));
            given().auth().oauth2(adminToken).get("/api/v1/organizations/" + org.id() + "/users/" + userId)
                    .then().statusCode(200).body("status", equalTo("PENDING_ACTIVATION"));

            String own = "Own-" + UUID.randomUUID();
            KeycloakLogin.changeTemporaryPassword(email, temporary, own);
            Response signedIn = KeycloakLogin.passwordGrant(email, own);
            signedIn.then().statusCode(200);
            String token = signedIn.path("access_token");
            Map<String, Object> claims = KeycloakLogin.claims(token);
            assertThat(claims.get("sub")).isEqualTo(userId);
            assertThat(claims.get("org_id")).isEqualTo(org.id());
            assertThat(claims.get("locations")).isEqualTo(List.of(partnerId));
            assertThat(claims.get("aud").toString()).contains("incentives-api");
            @SuppressWarnings("unchecked")
            List<String> roles = (List<String>) ((Map<String, Object>) claims.get("realm_access")).get("roles");
            assertThat(roles).contains("INCENTIVE_ADMIN").doesNotContain("GLOBAL_ADMIN", "USER_ADMIN");

            given().auth().oauth2(token).get("/api/v1/me").then().statusCode(200)
                    .body("subject", equalTo(userId)).body("organizationId", equalTo(org.id()))
                    .body("roles", equalTo(List.of("INCENTIVE_ADMIN"))).body("locations", equalTo(List.of(partnerId)))
                    .body("actions", hasItem("incentive-users:manage"));
            given().auth().oauth2(token).get("/api/v1/me").then().statusCode(200);

            // Both signals (the /me call and Keycloak's LOGIN event) arrive; the activation happens once.
            List<JsonNode> activated = events.await(node -> "UserActivated".equals(node.path("type").asText())
                    && userId.equals(node.path("data").path("userId").asText()), 1, WAIT, SETTLE);
            assertThat(activated).hasSize(1);
            assertThat(activated.get(0).path("aggregateId").asText()).isEqualTo(org.id());
            assertThat(activated.get(0).path("data").path("roles").get(0).asText()).isEqualTo("INCENTIVE_ADMIN");
            given().auth().oauth2(adminToken).get("/api/v1/organizations/" + org.id() + "/users/" + userId)
                    .then().statusCode(200).body("status", equalTo("ACTIVE"));

            List<JsonNode> createdEvents = events.await(node -> "UserCreated".equals(node.path("type").asText())
                    && userId.equals(node.path("data").path("userId").asText()), 1, WAIT, SETTLE);
            assertThat(createdEvents).hasSize(1);
            JsonNode data = createdEvents.get(0).path("data");
            assertThat(data.path("email").asText()).isEqualTo(email.toLowerCase());
            assertThat(data.path("locations").get(0).asText()).isEqualTo(partnerId);
            assertThat(data.path("createdBy").asText()).isEqualTo(org.adminId());
            // The temporary passwords are in no event and in no line of the service's log.
            assertThat(events.records()).noneMatch(r -> r.value().contains(temporary));
            String log = readLog();
            assertThat(log).contains("identity-service").contains("started in"); // it is the service's log
            assertThat(log).doesNotContain(temporary).doesNotContain(org.adminTemporaryPassword());
        }
    }

    private static String readLog() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("target/quarkus-test.log"));
        } catch (java.io.IOException e) {
            throw new AssertionError("The test log target/quarkus-test.log cannot be read", e);
        }
    }

    @Test
    void aUserWhoNeverCallsTheServiceIsActivatedFromKeycloaksStateOnce() {
        Org org = Directory.registerOrganization("Poller " + UUID.randomUUID());
        CreatedUser user = Directory.createUser(org.id(), "INCENTIVE_USER");
        try (TestEvents events = TestEvents.listen("identity.events")) {
            // Only Keycloak sees this sign-in (the portal never calls identity-service here).
            KeycloakLogin.changeTemporaryPassword(user.email(), user.temporaryPassword(), "Own-" + UUID.randomUUID());
            List<JsonNode> activated = events.await(node -> "UserActivated".equals(node.path("type").asText())
                    && user.id().equals(node.path("data").path("userId").asText()), 1, WAIT, SETTLE);
            assertThat(activated).hasSize(1);
        }
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/organizations/" + org.id() + "/users/" + user.id())
                .then().statusCode(200).body("status", equalTo("ACTIVE"));
    }

    @Test
    void registrationCreatesThePrimaryContactAsGlobalAdminAndPublishesBothEventsOnce() {
        try (TestEvents events = TestEvents.listen("identity.events")) {
            Org org = Directory.registerOrganization("Registered " + UUID.randomUUID());
            given().auth().oauth2(TestTokens.operator())
                    .get("/api/v1/organizations/" + org.id() + "/users/" + org.adminId())
                    .then().statusCode(200).body("roles", equalTo(List.of("GLOBAL_ADMIN")))
                    .body("email", equalTo(org.adminEmail())).body("status", equalTo("PENDING_ACTIVATION"));
            assertThat(Directory.keycloakUsersByEmail(org.adminEmail())).hasSize(1);
            assertThat(events.await(TestEvents.ofType("OrganizationRegistered", org.id()), 1, WAIT, SETTLE))
                    .hasSize(1);
            List<JsonNode> created = events.await(node -> "UserCreated".equals(node.path("type").asText())
                    && org.adminId().equals(node.path("data").path("userId").asText()), 1, WAIT, SETTLE);
            assertThat(created).hasSize(1);
            assertThat(created.get(0).path("data").path("roles").get(0).asText()).isEqualTo("GLOBAL_ADMIN");
            // the organization's audit log: the operator registered it, which created its primary contact
            List<JsonNode> audit = audit(events, org.id(), 2, "ORGANIZATION_REGISTERED", "USER_CREATED");
            assertThat(audit).extracting(e -> e.path("action").asText()).containsExactly("ORGANIZATION_REGISTERED",
                    "USER_CREATED");
            assertThat(audit).extracting(e -> e.path("actor").path("kind").asText()).containsOnly("OPERATOR");
            assertThat(audit).extracting(e -> e.path("actor").path("name").asText())
                    .containsOnly("operator@vendor.example");
            assertThat(audit.get(1).path("targetId").asText()).isEqualTo(org.adminId());
            assertThat(audit.get(1).path("details").path("email").asText()).isEqualTo(org.adminEmail());
            assertThat(audit.get(1).path("details").path("roles").toString()).isEqualTo("[\"GLOBAL_ADMIN\"]");
        }
    }

    /**
     * The organization's AuditRecorded entries of these actions on identity.events ({@code count}, and no more), in
     * order. (Named, because the activation poller may activate a user meanwhile: USER_ACTIVATED, at its own time.)
     */
    private static List<JsonNode> audit(TestEvents events, String orgId, int count, String... actions) {
        List<String> wanted = List.of(actions);
        List<JsonNode> entries = events.await(node -> TestEvents.ofType("AuditRecorded", orgId).test(node)
                && wanted.contains(node.path("data").path("action").asText()), count, WAIT, SETTLE).stream()
                .map(node -> node.path("data")).toList();
        assertThat(entries).hasSize(count);
        entries.forEach(entry -> assertThat(entry.path("service").asText()).isEqualTo("identity-service"));
        return entries;
    }

    @Test
    void rolesChangeReachesTheNextTokenAndIsPublishedOnce() {
        Org org = Directory.registerOrganization("Roles " + UUID.randomUUID());
        String partnerId = Directory.addLocation(org.id());
        CreatedUser user = Directory.createUser(org.id(), "INCENTIVE_USER");
        String own = "Own-" + UUID.randomUUID();
        KeycloakLogin.changeTemporaryPassword(user.email(), user.temporaryPassword(), own);
        try (TestEvents events = TestEvents.listen("identity.events")) {
            given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                    .header("X-Correlation-Id", "roles-" + user.id())
                    .body(Map.of("roles", List.of("USER_ADMIN", "INCENTIVE_ADMIN"), "locations", List.of(partnerId)))
                    .put("/api/v1/organizations/" + org.id() + "/users/" + user.id() + "/roles")
                    .then().statusCode(200)
                    .body("roles", equalTo(List.of("INCENTIVE_ADMIN", "USER_ADMIN")))
                    .body("locations", equalTo(List.of(partnerId)));
            // The same change again changes nothing and publishes nothing.
            given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                    .body(Map.of("roles", List.of("INCENTIVE_ADMIN", "USER_ADMIN"), "locations", List.of(partnerId)))
                    .put("/api/v1/organizations/" + org.id() + "/users/" + user.id() + "/roles")
                    .then().statusCode(200);
            List<JsonNode> changed = events.await(node -> "RolesChanged".equals(node.path("type").asText())
                    && user.id().equals(node.path("data").path("userId").asText()), 1, WAIT, SETTLE);
            assertThat(changed).hasSize(1);
            assertThat(changed.get(0).path("data").path("changedBy").asText()).isNotBlank();
            // one audit entry too (the change that changed nothing has none): who, in which request, from what to what
            JsonNode entry = audit(events, org.id(), 1, "USER_ROLES_CHANGED").get(0);
            assertThat(entry.path("targetType").asText()).isEqualTo("USER");
            assertThat(entry.path("targetId").asText()).isEqualTo(user.id());
            assertThat(entry.path("correlationId").asText()).isEqualTo("roles-" + user.id());
            assertThat(entry.path("actor").path("subject").asText())
                    .isEqualTo(changed.get(0).path("data").path("changedBy").asText());
            assertThat(entry.path("actor").path("kind").asText()).isEqualTo("OPERATOR");
            assertThat(entry.path("details").path("email").asText()).isEqualTo(user.email());
            assertThat(entry.path("details").path("from").path("roles").toString()).isEqualTo("[\"INCENTIVE_USER\"]");
            assertThat(entry.path("details").path("to").path("roles").toString())
                    .isEqualTo("[\"INCENTIVE_ADMIN\",\"USER_ADMIN\"]");
            assertThat(entry.path("details").path("to").path("locations").toString())
                    .isEqualTo("[\"" + partnerId + "\"]");
        }
        Map<String, Object> claims = KeycloakLogin.claims(KeycloakLogin.passwordGrant(user.email(), own).then()
                .statusCode(200).extract().path("access_token"));
        @SuppressWarnings("unchecked")
        List<String> roles = (List<String>) ((Map<String, Object>) claims.get("realm_access")).get("roles");
        assertThat(roles).contains("USER_ADMIN", "INCENTIVE_ADMIN").doesNotContain("INCENTIVE_USER");
        assertThat(claims.get("locations")).isEqualTo(List.of(partnerId));
    }

    @Test
    void afterAResetTheOldPasswordNoLongerWorksAndTheNewOneIsTemporary() {
        Org org = Directory.registerOrganization("Reset " + UUID.randomUUID());
        CreatedUser user = Directory.createUser(org.id(), "INCENTIVE_USER");
        String own = "Own-" + UUID.randomUUID();
        KeycloakLogin.changeTemporaryPassword(user.email(), user.temporaryPassword(), own);
        String refreshToken = KeycloakLogin.passwordGrant(user.email(), own).then().statusCode(200).extract()
                .path("refresh_token");

        String reset;
        try (TestEvents events = TestEvents.listen("identity.events")) {
            reset = given().auth().oauth2(TestTokens.operator())
                    .post("/api/v1/organizations/" + org.id() + "/users/" + user.id() + "/password-reset")
                    .then().statusCode(200).body("userId", equalTo(user.id())).extract().path("temporaryPassword");
            // the reset is in the audit log, the password is not
            JsonNode entry = audit(events, org.id(), 1, "USER_PASSWORD_RESET").get(0);
            assertThat(entry.path("targetId").asText()).isEqualTo(user.id());
            assertThat(entry.toString()).doesNotContain(reset);
            assertThat(events.records()).noneMatch(r -> r.value().contains(reset));
        }
        assertThat(reset).isNotEqualTo(user.temporaryPassword()).hasSizeGreaterThanOrEqualTo(16);

        // Keycloak answers 400 or 401 depending on the account's pending actions; the description tells a wrong
        // password apart from a right one that still needs changing.
        KeycloakLogin.passwordGrant(user.email(), own).then().statusCode(anyOf(equalTo(400), equalTo(401)))
                .body("error", equalTo("invalid_grant"))
                .body("error_description", equalTo("Invalid user credentials"));
        KeycloakLogin.passwordGrant(user.email(), reset).then().statusCode(400)
                .body("error_description", equalTo("Account is not fully set up"));
        // A reset also ends the sessions that were open.
        KeycloakLogin.refresh(refreshToken).then().statusCode(400).body("error", equalTo("invalid_grant"));
        String again = "Own-" + UUID.randomUUID();
        KeycloakLogin.changeTemporaryPassword(user.email(), reset, again);
        KeycloakLogin.passwordGrant(user.email(), again).then().statusCode(200);
    }

    @Test
    void aDeactivatedUserCannotSignInItsSessionsEndAndReactivationRestoresIt() {
        Org org = Directory.registerOrganization("Deactivate " + UUID.randomUUID());
        CreatedUser user = Directory.createUser(org.id(), "USER_ADMIN");
        String own = "Own-" + UUID.randomUUID();
        KeycloakLogin.changeTemporaryPassword(user.email(), user.temporaryPassword(), own);
        Response session = KeycloakLogin.passwordGrant(user.email(), own);
        session.then().statusCode(200);
        given().auth().oauth2(session.<String>path("access_token")).get("/api/v1/me").then().statusCode(200);

        try (TestEvents events = TestEvents.listen("identity.events")) {
            given().auth().oauth2(TestTokens.operator())
                    .delete("/api/v1/organizations/" + org.id() + "/users/" + user.id())
                    .then().statusCode(204);
            // Deactivating again is a no-op, not an error, and publishes nothing more.
            given().auth().oauth2(TestTokens.operator())
                    .delete("/api/v1/organizations/" + org.id() + "/users/" + user.id())
                    .then().statusCode(204);
            given().auth().oauth2(TestTokens.operator())
                    .get("/api/v1/organizations/" + org.id() + "/users/" + user.id())
                    .then().statusCode(200).body("status", equalTo("DEACTIVATED"));
            KeycloakLogin.passwordGrant(user.email(), own).then().statusCode(400)
                    .body("error", equalTo("invalid_grant"));
            KeycloakLogin.refresh(session.path("refresh_token")).then().statusCode(400)
                    .body("error", equalTo("invalid_grant"));
            given().auth().oauth2(TestTokens.operator())
                    .queryParam("status", "DEACTIVATED")
                    .get("/api/v1/organizations/" + org.id() + "/users")
                    .then().statusCode(200).body("items.id", equalTo(List.of(user.id())));
            List<JsonNode> deactivated = events.await(node -> "UserDeactivated".equals(node.path("type").asText())
                    && user.id().equals(node.path("data").path("userId").asText()), 1, WAIT, SETTLE);
            assertThat(deactivated).hasSize(1);

            given().auth().oauth2(TestTokens.operator())
                    .post("/api/v1/organizations/" + org.id() + "/users/" + user.id() + "/reactivation")
                    .then().statusCode(200).body("status", equalTo("ACTIVE"));
            KeycloakLogin.passwordGrant(user.email(), own).then().statusCode(200);
            assertThat(events.await(node -> "UserReactivated".equals(node.path("type").asText())
                    && user.id().equals(node.path("data").path("userId").asText()), 1, WAIT, SETTLE)).hasSize(1);
        }
    }

    @Test
    void theDirectoryListsAnOrganizationsUsersPaged() {
        Org org = Directory.registerOrganization("Paged " + UUID.randomUUID());
        CreatedUser a = Directory.createUser(org.id(), "INCENTIVE_USER");
        CreatedUser b = Directory.createUser(org.id(), "ACCOUNT_ADMIN");
        given().auth().oauth2(TestTokens.operator()).queryParam("size", 2)
                .get("/api/v1/organizations/" + org.id() + "/users")
                .then().statusCode(200).body("totalItems", equalTo(3)).body("totalPages", equalTo(2))
                .body("items.size()", equalTo(2))
                .body("items[0].temporaryPassword", nullValue());
        given().auth().oauth2(TestTokens.operator()).queryParam("size", 2).queryParam("page", 1)
                .get("/api/v1/organizations/" + org.id() + "/users")
                .then().statusCode(200).body("items.size()", equalTo(1));
        given().auth().oauth2(TestTokens.operator()).queryParam("status", "PENDING_ACTIVATION")
                .get("/api/v1/organizations/" + org.id() + "/users")
                .then().statusCode(200).body("items.id", hasItem(a.id())).body("items.id", hasItem(b.id()));
    }
}
