package com.acme.incentives.enrollment.rest;

import com.acme.incentives.enrollment.domain.EnrollmentHistory;
import com.acme.incentives.enrollment.domain.Invitation;
import com.acme.incentives.enrollment.domain.InvitationStatus;
import com.acme.incentives.platform.security.Roles;
import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.acme.incentives.platform.testing.TestUsers.TestUser;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.acme.incentives.enrollment.EnrollmentFixture.PROGRAM;
import static com.acme.incentives.enrollment.EnrollmentFixture.addLocation;
import static com.acme.incentives.enrollment.EnrollmentFixture.awaitEligibilitySequence;
import static com.acme.incentives.enrollment.EnrollmentFixture.eligibility;
import static com.acme.incentives.enrollment.EnrollmentFixture.email;
import static com.acme.incentives.enrollment.EnrollmentFixture.identityUser;
import static com.acme.incentives.enrollment.EnrollmentFixture.mailbox;
import static com.acme.incentives.enrollment.EnrollmentFixture.ofData;
import static com.acme.incentives.enrollment.EnrollmentFixture.produce;
import static com.acme.incentives.enrollment.EnrollmentFixture.registerOrganizationWithLocation;
import static com.acme.incentives.enrollment.EnrollmentFixture.userActivated;
import static com.acme.incentives.enrollment.EnrollmentFixture.userCreated;
import static com.acme.incentives.enrollment.rest.EnrollmentFlowTest.awaitAllMailSent;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

/**
 * A migration wave end to end through the real broker and the real SMTP server: scheduled → the wave starts and each
 * global admin gets one email → identity reports the listed users → refusals → completed by an activated incentive
 * admin → the carried-over enrolments are ENROLLED.
 */
@QuarkusTest
class MigrationWaveTest {

    private static final Duration WAIT = Duration.ofMinutes(3); // an upper bound: the shared topics may hold other teams' backlog
    private static final String SUBJECT = "Time to set up your organization for incentives";

    @Test
    void aWaveStartsNotifiesTheAdminsAndCompletesWithTheEnrolmentsCarriedOver() {
        UUID org = UUID.randomUUID();
        String contact = "contact-" + org + "@test.example";
        String newLocation = registerOrganizationWithLocation(org, contact);
        String invitedLocation = addLocation(org);
        TestUser globalAdmin = TestUsers.create(org, Roles.GLOBAL_ADMIN);
        TestUser secondGlobalAdmin = TestUsers.create(org, Roles.GLOBAL_ADMIN);
        userCreated(globalAdmin, List.of(Roles.GLOBAL_ADMIN));
        userCreated(secondGlobalAdmin, List.of(Roles.GLOBAL_ADMIN));
        // the incentive admin to be set up has an account (to call the API) but identity has not announced it yet
        TestUser incentiveAdmin = TestUsers.create(org, Roles.INCENTIVE_ADMIN);
        String listedUserId = UUID.randomUUID().toString();
        String listedUserEmail = "u-" + listedUserId.substring(0, 8) + "@test.example";
        // one location was invited in the meantime: the migration moves that enrolment instead of adding one
        eligibility(org, invitedLocation, true, 1);
        awaitEligibilitySequence(invitedLocation, 1);

        try (TestEvents published = TestEvents.listen("enrollment.events")) {
            String waveId = given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                    .body(Map.of("name", "Wave " + org, "startsAt", Instant.now().toString(),
                            "organizations", List.of(Map.of("organizationId", org.toString(),
                                    "users", List.of(
                                            user(email(incentiveAdmin).toUpperCase(), "INCENTIVE_ADMIN"),
                                            user(listedUserEmail, "INCENTIVE_USER")),
                                    "enrollments", List.of(
                                            Map.of("partnerId", newLocation, "programId", PROGRAM,
                                                    "earningsStartDate", "2024-03-01"),
                                            Map.of("partnerId", invitedLocation, "programId", PROGRAM))))))
                    .post("/api/v1/migration-waves")
                    .then().statusCode(201).header("Location", containsString("/api/v1/migration-waves/"))
                    .body("organizations[0].status", equalTo("SCHEDULED"))
                    .body("organizations[0].users.email", hasItem(email(incentiveAdmin)))
                    .extract().path("id");

            // the wave starts (its start time has come): NOTIFIED, one email to each global admin, over SMTP
            awaitMigrationStatus(org, globalAdmin, "NOTIFIED");
            for (TestUser admin : List.of(globalAdmin, secondGlobalAdmin)) {
                await().atMost(WAIT).until(() -> !mailbox(email(admin), SUBJECT).isEmpty());
                awaitAllMailSent(email(admin));
                List<JsonNode> mails = mailbox(email(admin), SUBJECT);
                assertThat(mails).hasSize(1);
                assertThat(mails.get(0).path("subject").asText()).isEqualTo(SUBJECT);
                assertThat(mails.get(0).path("mimeMessage").asText()).contains(email(incentiveAdmin))
                        .contains(listedUserEmail).contains("INCENTIVE_USER");
            }
            assertThat(mailbox(contact, SUBJECT)).isEmpty();
            given().auth().oauth2(TestTokens.operator()).get("/api/v1/migration-waves/" + waveId)
                    .then().statusCode(200).body("organizations[0].notifiedEmails",
                            hasItems(email(globalAdmin), email(secondGlobalAdmin)));

            // too early: the listed users are not set up (and the admin has not signed in with their own password)
            given().auth().oauth2(incentiveAdmin.token()).post("/api/v1/organizations/" + org + "/migration/complete")
                    .then().statusCode(409).contentType("application/problem+json")
                    .body("detail", containsString("not set up yet"))
                    .body("migrationStatus", equalTo("NOTIFIED"))
                    .body("missing.findAll { it.kind == 'USER' }.email",
                            hasItems(email(incentiveAdmin), listedUserEmail))
                    .body("missing.kind", hasItem("ADMIN_SIGN_IN"));

            // identity reports the users; one first with the wrong incentive role, then corrected
            userCreated(incentiveAdmin, List.of(Roles.INCENTIVE_ADMIN));
            identityUser("UserCreated", org, listedUserId, listedUserEmail, List.of(Roles.INCENTIVE_ADMIN));
            given().auth().oauth2(globalAdmin.token()).get("/api/v1/organizations/" + org + "/migration")
                    .then().statusCode(200).body("status", equalTo("NOTIFIED"))
                    .body("missing.size()", equalTo(1))
                    .body("missing[0].email", equalTo(listedUserEmail))
                    .body("missing[0].detail", containsString("not INCENTIVE_USER"));
            identityUser("RolesChanged", org, listedUserId, listedUserEmail, List.of(Roles.INCENTIVE_USER));
            awaitMigrationStatus(org, globalAdmin, "USERS_SET_UP");

            // the wrong role, another organization, and an incentive admin still on the temporary password
            given().auth().oauth2(globalAdmin.token()).post("/api/v1/organizations/" + org + "/migration/complete")
                    .then().statusCode(403);
            TestUser reader = TestUsers.create(org, Roles.INCENTIVE_USER);
            given().auth().oauth2(reader.token()).post("/api/v1/organizations/" + org + "/migration/complete")
                    .then().statusCode(403);
            TestUser stranger = TestUsers.create(UUID.randomUUID(), Roles.INCENTIVE_ADMIN, Roles.GLOBAL_ADMIN);
            given().auth().oauth2(stranger.token()).post("/api/v1/organizations/" + org + "/migration/complete")
                    .then().statusCode(404).contentType("application/problem+json");
            given().auth().oauth2(stranger.token()).get("/api/v1/organizations/" + org + "/migration")
                    .then().statusCode(404).contentType("application/problem+json");
            given().auth().oauth2(incentiveAdmin.token()).post("/api/v1/organizations/" + org + "/migration/complete")
                    .then().statusCode(403).contentType("application/problem+json")
                    .body("detail", containsString("sign in with their own password first"))
                    .body("missing[0].kind", equalTo("ADMIN_SIGN_IN"));

            // the admin signs in with their own password: completion carries the enrolments over
            userActivated(incentiveAdmin, List.of(Roles.INCENTIVE_ADMIN));
            given().auth().oauth2(incentiveAdmin.token()).post("/api/v1/organizations/" + org + "/migration/complete")
                    .then().statusCode(200).body("status", equalTo("COMPLETED"))
                    .body("completedBy", equalTo(incentiveAdmin.id()))
                    .body("missing.size()", equalTo(0))
                    .body("enrollments[0].enrollmentId", notNullValue())
                    .body("enrollments[1].enrollmentId", notNullValue())
                    .body("history.toStatus", equalTo(List.of("SCHEDULED", "NOTIFIED", "USERS_SET_UP", "COMPLETED")))
                    .body("history[3].changedBy", equalTo(incentiveAdmin.id()));
            given().auth().oauth2(incentiveAdmin.token()).post("/api/v1/organizations/" + org + "/migration/complete")
                    .then().statusCode(409).contentType("application/problem+json")
                    .body("detail", containsString("already completed"));

            // the enrolments appear as ENROLLED
            String firstOfMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).toString();
            JsonNode list = given().auth().oauth2(incentiveAdmin.token())
                    .get("/api/v1/organizations/" + org + "/enrollments").then().statusCode(200)
                    .body("totalItems", equalTo(2)).extract().as(JsonNode.class);
            for (JsonNode enrollment : list.path("items")) {
                assertThat(enrollment.path("status").asText()).isEqualTo("ENROLLED");
                assertThat(enrollment.path("earningsStartDate").asText()).isEqualTo(
                        enrollment.path("partnerId").asText().equals(newLocation) ? "2024-03-01" : firstOfMonth);
            }
            assertThat(QuarkusTransaction.requiringNew().call(() -> Invitation.<Invitation>find("partnerId",
                    invitedLocation).firstResult().status)).isEqualTo(InvitationStatus.ACCEPTED);
            List<EnrollmentHistory> history = QuarkusTransaction.requiringNew().call(() -> EnrollmentHistory
                    .<EnrollmentHistory>list("enrollmentId in (select e.id from Enrollment e where e.partnerId in ?1)"
                            + " and changedBy = ?2", List.of(newLocation, invitedLocation), incentiveAdmin.id()));
            assertThat(history).hasSize(2).allSatisfy(h -> assertThat(h.reason).contains("migration"));

            // events: every state of the organization, and each enrolment's change
            List<JsonNode> migration = published.await(TestEvents.ofType("MigrationChanged", org.toString()), 4);
            assertThat(migration).extracting(e -> e.path("data").path("status").asText())
                    .containsExactly("SCHEDULED", "NOTIFIED", "USERS_SET_UP", "COMPLETED");
            assertThat(migration).extracting(e -> e.path("data").path("sequence").asLong())
                    .containsExactly(1L, 2L, 3L, 4L);
            assertThat(migration.get(3).path("data").path("waveId").asText()).isEqualTo(waveId);
            assertThat(migration.get(3).path("data").path("changedBy").asText()).isEqualTo(incentiveAdmin.id());
            JsonNode carried = published.await(ofData("EnrollmentChanged", newLocation, "changedBy", incentiveAdmin.id()), 1).get(0);
            assertThat(carried.path("data").path("status").asText()).isEqualTo("ENROLLED");
            assertThat(carried.path("data").path("previousStatus").isNull()).isTrue();
            assertThat(carried.path("data").path("earningsStartDate").asText()).isEqualTo("2024-03-01");
            JsonNode moved = published.await(ofData("EnrollmentChanged", invitedLocation, "changedBy", incentiveAdmin.id()),
                    1).get(0);
            assertThat(moved.path("data").path("status").asText()).isEqualTo("ENROLLED");
            assertThat(moved.path("data").path("previousStatus").asText()).isEqualTo("INVITED");
        }

        // the organization's audit log, as its global admin reads it: who took each step (the wave's start and
        // identity's events are the service's own steps), newest first
        String auditLog = "/api/v1/organizations/" + org + "/audit-log";
        await().atMost(WAIT).until(() -> given().auth().oauth2(globalAdmin.token()).queryParam("sort", "occurredAt,asc")
                .get(auditLog).then().statusCode(200).extract().<List<String>>path("items.action")
                .equals(List.of("MIGRATION_SCHEDULED", "MIGRATION_NOTIFIED", "MIGRATION_USERS_SET_UP",
                        "MIGRATION_COMPLETED")));
        given().auth().oauth2(globalAdmin.token()).get(auditLog).then().statusCode(200)
                .body("items.actorKind", equalTo(List.of("USER", "SYSTEM", "SYSTEM", "OPERATOR")))
                .body("items[0].actorSubject", equalTo(incentiveAdmin.id()))
                .body("items[0].details.carriedEnrollments.partnerId", hasItems(newLocation, invitedLocation))
                .body("items[1].actorName", equalTo("enrollment-service"))
                .body("items[3].actorName", equalTo("operator@vendor.example"))
                .body("items.targetId", everyItem(equalTo(org.toString())));

        // still one email per admin: nobody was notified twice
        awaitAllMailSent(email(globalAdmin));
        assertThat(mailbox(email(globalAdmin), SUBJECT)).hasSize(1);
        // the steps after the notice: the incentive admin was told once that it could be completed; every admin, once,
        // that it is done
        awaitAllMailSent(email(incentiveAdmin));
        assertThat(mailbox(email(incentiveAdmin), "Your organization is set up: complete the migration")).hasSize(1);
        assertThat(mailbox(email(globalAdmin), "Your organization is set up")).isEmpty();
        for (TestUser admin : List.of(globalAdmin, secondGlobalAdmin, incentiveAdmin)) {
            await().atMost(WAIT).until(() -> !mailbox(email(admin), "migration is complete").isEmpty());
            awaitAllMailSent(email(admin));
            assertThat(mailbox(email(admin), "Your organization's migration is complete")).hasSize(1);
        }
    }

    @Test
    void usersSetUpBeforeTheStartCountAndALostUserUndoesSetUp() {
        UUID org = UUID.randomUUID();
        registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        String userId = UUID.randomUUID().toString();
        String email = "early-" + userId.substring(0, 8) + "@test.example";
        // the incentive admin exists before the wave starts: NOTIFIED and USERS_SET_UP come together
        identityUser("UserCreated", org, userId, email, List.of(Roles.INCENTIVE_ADMIN));
        createWave(org, Instant.now(), email);
        TestUser reader = TestUsers.create(org, Roles.GLOBAL_ADMIN);
        awaitMigrationStatus(org, reader, "USERS_SET_UP");

        // deactivated before completion: back to NOTIFIED, saying why; reactivated: set up again
        produce("identity.events", org.toString(), "UserDeactivated", org.toString(), Map.of("organizationId",
                org.toString(), "userId", userId, "email", email, "deactivatedBy", "test",
                "deactivatedAt", Instant.now().toString()));
        awaitMigrationStatus(org, reader, "NOTIFIED");
        given().auth().oauth2(reader.token()).get("/api/v1/organizations/" + org + "/migration")
                .then().statusCode(200).body("missing[0].email", equalTo(email))
                .body("missing[0].detail", equalTo("deactivated"))
                .body("users[0].setUp", equalTo(false));
        produce("identity.events", org.toString(), "UserReactivated", org.toString(), Map.of("organizationId",
                org.toString(), "userId", userId, "email", email, "reactivatedBy", "test",
                "reactivatedAt", Instant.now().toString()));
        awaitMigrationStatus(org, reader, "USERS_SET_UP");
        given().auth().oauth2(reader.token()).get("/api/v1/organizations/" + org + "/migration")
                .then().statusCode(200)
                .body("history.toStatus", equalTo(List.of("SCHEDULED", "NOTIFIED", "USERS_SET_UP", "NOTIFIED",
                        "USERS_SET_UP")))
                .body("history[1].changedBy", equalTo("enrollment-service:migration-start"))
                .body("history[3].changedBy", equalTo("identity-service"));
    }

    @Test
    void aWaveNotStartedYetCannotBeCompleted() {
        UUID org = UUID.randomUUID();
        registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        TestUser incentiveAdmin = TestUsers.create(org, Roles.INCENTIVE_ADMIN);
        createWave(org, Instant.now().plus(1, ChronoUnit.DAYS), email(incentiveAdmin));

        given().auth().oauth2(incentiveAdmin.token()).post("/api/v1/organizations/" + org + "/migration/complete")
                .then().statusCode(409).contentType("application/problem+json")
                .body("migrationStatus", equalTo("SCHEDULED"))
                .body("missing.kind", hasItem("WAVE_START"));
        given().auth().oauth2(incentiveAdmin.token()).get("/api/v1/organizations/" + org + "/migration")
                .then().statusCode(200).body("status", equalTo("SCHEDULED")).body("notifiedAt", equalTo(null));
    }

    @Test
    void onlyOperatorsScheduleAndListWaves() {
        UUID org = UUID.randomUUID();
        registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        TestUser globalAdmin = TestUsers.create(org, Roles.GLOBAL_ADMIN);
        Map<String, Object> body = waveBody(org, Instant.now().plus(1, ChronoUnit.DAYS), "a-" + org + "@test.example");

        given().contentType(ContentType.JSON).body(body).post("/api/v1/migration-waves").then().statusCode(401);
        given().auth().oauth2(globalAdmin.token()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/migration-waves").then().statusCode(403);
        given().auth().oauth2(globalAdmin.token()).get("/api/v1/migration-waves").then().statusCode(403);
        given().auth().oauth2(globalAdmin.token()).get("/api/v1/migration-waves/" + UUID.randomUUID())
                .then().statusCode(403);
        given().get("/api/v1/organizations/" + org + "/migration").then().statusCode(401);
        // no wave for this organization yet
        given().auth().oauth2(globalAdmin.token()).get("/api/v1/organizations/" + org + "/migration")
                .then().statusCode(404).contentType("application/problem+json");

        // the operator's request retried with the same key schedules one wave
        String key = UUID.randomUUID().toString();
        String first = given().auth().oauth2(TestTokens.operator()).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body).post("/api/v1/migration-waves")
                .then().statusCode(201).extract().path("id");
        given().auth().oauth2(TestTokens.operator()).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body).post("/api/v1/migration-waves")
                .then().statusCode(201).header("Idempotent-Replayed", notNullValue()).body("id", equalTo(first));
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/migration-waves?size=200")
                .then().statusCode(200).body("items.id", hasItem(first));
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/migration-waves/" + first)
                .then().statusCode(200).body("organizations[0].organizationId", equalTo(org.toString()));
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/migration-waves/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/organizations/" + org + "/migration")
                .then().statusCode(200).body("waveId", equalTo(first));
    }

    @Test
    void badWavesAreRefusedNamingTheField() {
        UUID org = UUID.randomUUID();
        registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        UUID other = UUID.randomUUID();
        String othersLocation = registerOrganizationWithLocation(other, "contact-" + other + "@test.example");
        String admin = "a-" + org + "@test.example";
        Instant later = Instant.now().plus(1, ChronoUnit.DAYS);

        // unknown organization, the same one twice, another organization's location, no incentive admin listed
        Map<String, Object> orgEntry = Map.of("organizationId", org.toString(),
                "users", List.of(user(admin, "INCENTIVE_ADMIN")),
                "enrollments", List.of(Map.of("partnerId", othersLocation, "programId", PROGRAM)));
        refused(Map.of("name", "W", "startsAt", later.toString(), "organizations", List.of(
                Map.of("organizationId", UUID.randomUUID().toString(), "users", List.of(user(admin,
                        "INCENTIVE_ADMIN"))),
                orgEntry, orgEntry,
                Map.of("organizationId", other.toString(), "users", List.of(user(admin, "INCENTIVE_USER"))))),
                "organizations[0].organizationId", "organizations[1].enrollments[0].partnerId",
                "organizations[2].organizationId", "organizations[3].users");
        // field checks: email, role outside the incentive roles, start time long gone, duplicate user, bad ids
        refused(waveBody(org, later, "not-an-email"), "organizations[0].users[0].email");
        refused(Map.of("name", "W", "startsAt", later.toString(), "organizations", List.of(Map.of(
                "organizationId", org.toString(), "users", List.of(user(admin, "GLOBAL_ADMIN"))))), "organizations[0].users[0].role");
        refused(waveBody(org, Instant.now().minus(3, ChronoUnit.DAYS), admin), "startsAt");
        refused(Map.of("name", "W", "startsAt", later.toString(), "organizations", List.of(Map.of(
                "organizationId", org.toString(), "users", List.of(user(admin, "INCENTIVE_ADMIN"),
                        user(admin.toUpperCase(), "INCENTIVE_USER"))))), "organizations[0].users[1].email");
        refused(Map.of("name", "W", "startsAt", later.toString(), "organizations", List.of(Map.of(
                "organizationId", org.toString(), "users", List.of(user(admin, "INCENTIVE_ADMIN")),
                "enrollments", List.of(Map.of("partnerId", "abc", "programId", "Not A Slug"))))),
                "organizations[0].enrollments[0].partnerId", "organizations[0].enrollments[0].programId");
        refused(Map.of("name", "", "startsAt", later.toString(), "organizations", List.of()), "name",
                "organizations");

        // an organization is migrated once
        createWave(org, later, admin);
        refused(waveBody(org, later, admin), "organizations[0].organizationId");
    }

    private static void refused(Map<String, Object> body, String... fields) {
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/migration-waves")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems(fields));
    }

    private static String createWave(UUID org, Instant startsAt, String adminEmail) {
        return given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(waveBody(org, startsAt, adminEmail)).post("/api/v1/migration-waves")
                .then().statusCode(201).extract().path("id");
    }

    private static Map<String, Object> waveBody(UUID org, Instant startsAt, String adminEmail) {
        return Map.of("name", "Wave " + org, "startsAt", startsAt.toString(), "organizations", List.of(Map.of(
                "organizationId", org.toString(), "users", List.of(user(adminEmail, "INCENTIVE_ADMIN")))));
    }

    private static Map<String, Object> user(String email, String role) {
        return Map.of("email", email, "firstName", "Ina", "lastName", "Centive", "role", role);
    }

    private static void awaitMigrationStatus(UUID org, TestUser reader, String status) {
        await().atMost(WAIT).until(() -> status.equals(given().auth().oauth2(reader.token())
                .get("/api/v1/organizations/" + org + "/migration").then().statusCode(200)
                .extract().path("status")));
    }
}
