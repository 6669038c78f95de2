package com.acme.incentives.e2e.journey;

import com.acme.incentives.e2e.RunningPlatform;
import com.acme.incentives.e2e.support.BrowserSession;
import com.acme.incentives.e2e.support.Gateway;
import com.acme.incentives.e2e.support.Mailbox;
import com.acme.incentives.e2e.support.Organizations;
import com.acme.incentives.e2e.support.SampleBodies;
import com.acme.incentives.e2e.support.SecretsSeen;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import org.htmlunit.WebResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The migration of an already-enrolled organization (docs/product.md "Migration of already-enrolled organizations"),
 * through the gateway only: an operator schedules a wave, the organization's global admin is emailed, signs in through
 * the browser and sets up the listed incentive users, the incentive admin signs in with their own password and
 * completes the migration, and the carried-over enrolment is ENROLLED. The wrong role and a second completion are
 * refused; another organization sees nothing.
 */
class MigrationJourneyTest {

    private static final String PROGRAM = "csp-indirect-reseller";

    @BeforeAll
    static void platform() {
        RunningPlatform.ensureStarted();
    }

    @Test
    void anEnrolledOrganizationMovesOverInThreeSteps() throws Exception {
        String operator = TestTokens.operator();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String partnerId = Organizations.newPartnerId();
        String globalAdminEmail = "gia-" + run + "@migration.example";
        String adminEmail = "ada-" + run + "@migration.example";
        String userEmail = "uma-" + run + "@migration.example";

        Organizations.Registered registered = Organizations.register(operator, "Migrating " + run, globalAdminEmail,
                "Gia", "Global");
        String orgId = registered.id();
        String temporaryPassword = registered.temporaryPassword();
        Organizations.addLocation(operator, orgId, partnerId, "Migrating Vienna", "AT");

        // 1. The operator schedules a wave that starts now (enrollment-service must first have heard of the
        //    organization and its location from identity-service).
        Map<String, Object> wave = Map.of("name", "Wave " + run, "startsAt", Instant.now().toString(),
                "organizations", List.of(Map.of("organizationId", orgId,
                        "users", List.of(
                                Map.of("email", adminEmail, "firstName", "Ada", "lastName", "Admin",
                                        "role", "INCENTIVE_ADMIN"),
                                Map.of("email", userEmail, "firstName", "Uma", "lastName", "User",
                                        "role", "INCENTIVE_USER")),
                        "enrollments", List.of(Map.of("partnerId", partnerId, "programId", PROGRAM)))));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                bearer(operator).body(wave).post("/api/v1/migration-waves").statusCode() == 201);

        // 2. The wave starts: the global admin gets "time to set up", listing the users to create.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> !Mailbox.messages(globalAdminEmail).isEmpty());
        JsonNode mail = Mailbox.messages(globalAdminEmail).get(0);
        assertThat(mail.path("subject").asText()).containsIgnoringCase("set up your organization");
        assertThat(mail.toString()).contains(adminEmail).contains(userEmail);

        // 3. The global admin signs in through the browser and creates the listed users.
        String adminTemporary;
        String userTemporary;
        try (BrowserSession globalAdmin = BrowserSession.signIn(globalAdminEmail, temporaryPassword,
                "Migration-Gia-" + run)) {
            JsonNode migration = globalAdmin.json(globalAdmin.get("/api/v1/organizations/" + orgId + "/migration"));
            assertThat(migration.path("status").asText()).isEqualTo("NOTIFIED");
            WebResponse refused = globalAdmin.post("/api/v1/organizations/" + orgId + "/migration/complete", null);
            assertThat(refused.getStatusCode()).as("a global admin is not an incentive admin").isEqualTo(403);

            adminTemporary = createUser(globalAdmin, orgId, adminEmail, "Ada", "INCENTIVE_ADMIN");
            userTemporary = createUser(globalAdmin, orgId, userEmail, "Uma", "INCENTIVE_USER");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(globalAdmin.json(globalAdmin.get("/api/v1/organizations/" + orgId + "/migration"))
                            .path("status").asText()).isEqualTo("USERS_SET_UP"));
        }

        // 4. The incentive user may not complete; the incentive admin, signed in with their own password, does.
        try (BrowserSession incentiveUser = BrowserSession.signIn(userEmail, userTemporary, "Migration-Uma-" + run)) {
            WebResponse refused = incentiveUser.post("/api/v1/organizations/" + orgId + "/migration/complete", null);
            assertThat(refused.getStatusCode()).isEqualTo(403);
            assertThat(refused.getContentType()).isEqualTo("application/problem+json");
        }
        try (BrowserSession incentiveAdmin = BrowserSession.signIn(adminEmail, adminTemporary, "Migration-Ada-" + run)) {
            // No API call first: signing in at the gateway told identity-service (the gateway calls GET /me with the
            // new token before sending the browser on), which activated the account then; what remains is the
            // UserActivated event's trip to enrollment, a matter of moments, well inside identity's 30 s poll that
            // was the only other way without a call.
            String completePath = "/api/v1/organizations/" + orgId + "/migration/complete";
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                WebResponse completed = incentiveAdmin.post(completePath, null);
                assertThat(completed.getStatusCode()).as(completed.getContentAsString()).isEqualTo(200);
            });
            JsonNode migration = incentiveAdmin.json(incentiveAdmin.get("/api/v1/organizations/" + orgId + "/migration"));
            assertThat(migration.path("status").asText()).isEqualTo("COMPLETED");
            WebResponse twice = incentiveAdmin.post(completePath, null);
            assertThat(twice.getStatusCode()).isEqualTo(409);
            assertThat(twice.getContentType()).isEqualTo("application/problem+json");

            // 5. The carried-over enrolment is ENROLLED.
            JsonNode enrollments = incentiveAdmin.json(incentiveAdmin.get("/api/v1/organizations/" + orgId + "/enrollments"));
            assertThat(enrollments.path("items")).hasSize(1);
            assertThat(enrollments.path("items").get(0).path("partnerId").asText()).isEqualTo(partnerId);
            assertThat(enrollments.path("items").get(0).path("status").asText()).isEqualTo("ENROLLED");
        }

        // 6. Each step was mailed once to those it concerns: the incentive admin that the migration could be
        //    completed; the global and the incentive admin that it is complete.
        Mailbox.onlyMessages(new Mailbox.One(adminEmail, "Your organization is set up: complete the migration"),
                new Mailbox.One(globalAdminEmail, "Your organization's migration is complete"),
                new Mailbox.One(adminEmail, "Your organization's migration is complete"));
        assertThat(Mailbox.withSubject(userEmail, "migration")).isEmpty();

        // 7. Nobody else sees it.
        String stranger = TestUsers.create(UUID.randomUUID(), List.of("GLOBAL_ADMIN", "INCENTIVE_ADMIN"), List.of())
                .token();
        Gateway.request().auth().oauth2(stranger).get("/api/v1/organizations/" + orgId + "/migration")
                .then().statusCode(404);
        Gateway.request().auth().oauth2(stranger).post("/api/v1/organizations/" + orgId + "/migration/complete")
                .then().statusCode(404);
    }

    private static String createUser(BrowserSession admin, String orgId, String email, String firstName, String role)
            throws Exception {
        WebResponse created = admin.post("/api/v1/organizations/" + orgId + "/users", SampleBodies.write(
                SampleBodies.JSON.valueToTree(Map.of("email", email, "firstName", firstName, "lastName", "Listed",
                        "roles", List.of(role)))));
        assertThat(created.getStatusCode()).as(created.getContentAsString()).isEqualTo(201);
        return SecretsSeen.remember(admin.json(created).path("temporaryPassword").asText());
    }

    private static io.restassured.specification.RequestSpecification bearer(String token) {
        return Gateway.request().auth().oauth2(token).contentType(ContentType.JSON);
    }
}
