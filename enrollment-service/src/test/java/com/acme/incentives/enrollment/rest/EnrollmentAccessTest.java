package com.acme.incentives.enrollment.rest;

import com.acme.incentives.enrollment.domain.Enrollment;
import com.acme.incentives.enrollment.domain.EnrollmentStatus;
import com.acme.incentives.enrollment.jobs.InvitationExpiryJob;
import com.acme.incentives.platform.security.Roles;
import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.acme.incentives.platform.testing.TestUsers.TestUser;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.acme.incentives.enrollment.EnrollmentFixture.addLocation;
import static com.acme.incentives.enrollment.EnrollmentFixture.awaitEligibilitySequence;
import static com.acme.incentives.enrollment.EnrollmentFixture.eligibility;
import static com.acme.incentives.enrollment.EnrollmentFixture.registerOrganizationWithLocation;
import static com.acme.incentives.enrollment.EnrollmentFixture.userCreated;
import static com.acme.incentives.enrollment.rest.EnrollmentFlowTest.onlyInvitation;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;

/** Roles, tenancy, bad input, expiry and withdrawal of invitations and enrolments. */
@QuarkusTest
class EnrollmentAccessTest {

    @Inject
    InvitationExpiryJob expiry;

    private record Invited(UUID org, String partnerId, TestUser admin, String invitationId, String enrollmentId) {
    }

    private Invited invitedOrganization() {
        UUID org = UUID.randomUUID();
        TestUser admin = TestUsers.create(org, Roles.INCENTIVE_ADMIN);
        String partnerId = registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        userCreated(admin, List.of(Roles.INCENTIVE_ADMIN));
        eligibility(org, partnerId, true, 1);
        awaitEligibilitySequence(partnerId, 1);
        JsonNode invitation = onlyInvitation(org, admin);
        return new Invited(org, partnerId, admin, invitation.path("id").asText(),
                invitation.path("enrollmentId").asText());
    }

    @Test
    void anotherOrganizationSeesNothingAndCannotAcceptOrWithdraw() {
        Invited invited = invitedOrganization();
        TestUser stranger = TestUsers.create(UUID.randomUUID(), Roles.INCENTIVE_ADMIN);

        for (String list : List.of("invitations", "enrollments")) {
            given().auth().oauth2(stranger.token()).get("/api/v1/organizations/" + invited.org() + "/" + list)
                    .then().statusCode(404).contentType("application/problem+json");
        }
        given().auth().oauth2(stranger.token()).post("/api/v1/invitations/" + invited.invitationId() + "/accept")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(stranger.token()).post("/api/v1/enrollments/" + invited.enrollmentId() + "/withdraw")
                .then().statusCode(404).contentType("application/problem+json");

        // operators see every organization
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/organizations/" + invited.org() + "/invitations")
                .then().statusCode(200).body("items.id", hasItem(invited.invitationId()));
        // nothing moved
        assertThat(status(invited.enrollmentId())).isEqualTo(EnrollmentStatus.INVITED);
    }

    @Test
    void onlyAnIncentiveAdminAcceptsOrWithdraws() {
        Invited invited = invitedOrganization();
        TestUser reader = TestUsers.create(invited.org(), Roles.INCENTIVE_USER);

        given().auth().oauth2(reader.token()).get("/api/v1/organizations/" + invited.org() + "/enrollments")
                .then().statusCode(200).body("items[0].status", equalTo("INVITED"));
        given().auth().oauth2(reader.token()).post("/api/v1/invitations/" + invited.invitationId() + "/accept")
                .then().statusCode(403);
        given().auth().oauth2(reader.token()).post("/api/v1/enrollments/" + invited.enrollmentId() + "/withdraw")
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.operator()).post("/api/v1/invitations/" + invited.invitationId() + "/accept")
                .then().statusCode(403);
        given().post("/api/v1/invitations/" + invited.invitationId() + "/accept").then().statusCode(401);
        given().get("/api/v1/organizations/" + invited.org() + "/invitations").then().statusCode(401);
        assertThat(status(invited.enrollmentId())).isEqualTo(EnrollmentStatus.INVITED);
    }

    @Test
    void badAndUnknownIds() {
        TestUser admin = TestUsers.create(UUID.randomUUID(), Roles.INCENTIVE_ADMIN);
        given().auth().oauth2(admin.token()).post("/api/v1/invitations/" + UUID.randomUUID() + "/accept")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("was not found"));
        given().auth().oauth2(admin.token()).post("/api/v1/enrollments/" + UUID.randomUUID() + "/withdraw")
                .then().statusCode(404).contentType("application/problem+json");
        int notAnId = given().auth().oauth2(admin.token()).post("/api/v1/invitations/not-a-uuid/accept")
                .then().contentType("application/problem+json").extract().statusCode();
        assertThat(notAnId).isIn(400, 404);
        given().auth().oauth2(admin.token())
                .get("/api/v1/organizations/" + admin.organizationId() + "/invitations?size=500")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("size"));
    }

    @Test
    void anExpiredInvitationCannotBeAccepted() {
        Invited invited = invitedOrganization();
        // the expiry job runs with the service clock; here it is asked for a day after the 30 days ran out
        expireAt(Instant.now().plus(Duration.ofDays(31)), List.of(invited.enrollmentId()));

        given().auth().oauth2(invited.admin().token())
                .post("/api/v1/invitations/" + invited.invitationId() + "/accept")
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("expired"));
        given().auth().oauth2(invited.admin().token())
                .get("/api/v1/organizations/" + invited.org() + "/invitations")
                .then().statusCode(200).body("items[0].status", equalTo("EXPIRED"));
        assertThat(status(invited.enrollmentId())).isEqualTo(EnrollmentStatus.EXPIRED);
    }

    @Test
    void expiryWorksInBatchesOfCommittedTransactions() {
        UUID org = UUID.randomUUID();
        String first = registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        List<String> locations = List.of(first, addLocation(org), addLocation(org));
        for (String partnerId : locations) {
            eligibility(org, partnerId, true, 1);
        }
        for (String partnerId : locations) {
            awaitEligibilitySequence(partnerId, 1);
        }
        List<String> enrollmentIds = QuarkusTransaction.requiringNew().call(() -> Enrollment
                .<Enrollment>list("organizationId", org).stream().map(e -> e.id.toString()).toList());
        assertThat(enrollmentIds).hasSize(3);

        // three due, batches of two: more than one transaction, and every one of them expired
        expireAt(Instant.now().plus(Duration.ofDays(31)), enrollmentIds, 2);
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/organizations/" + org + "/invitations")
                .then().statusCode(200).body("items.status", everyItem(equalTo("EXPIRED")))
                .body("totalItems", equalTo(3));
    }

    @Test
    void twoReplicasExpiringAtTheSameMomentExpireEachInvitationOnce() throws Exception {
        UUID org = UUID.randomUUID();
        String first = registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        List<String> locations = List.of(first, addLocation(org), addLocation(org), addLocation(org));
        for (String partnerId : locations) {
            eligibility(org, partnerId, true, 1);
        }
        for (String partnerId : locations) {
            awaitEligibilitySequence(partnerId, 1);
        }
        List<String> enrollmentIds = QuarkusTransaction.requiringNew().call(() -> Enrollment
                .<Enrollment>list("organizationId", org).stream().map(e -> e.id.toString()).toList());
        assertThat(enrollmentIds).hasSize(4);
        Instant at = Instant.now().plus(Duration.ofDays(31));
        try (TestEvents events = TestEvents.listen("enrollment.events")) {
            // Two replicas' jobs fire together: each runs in its own transactions on its own connections, as two
            // processes would; only the database keeps them apart.
            ExecutorService replicas = Executors.newFixedThreadPool(2);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> runs = new ArrayList<>();
            for (int replica = 0; replica < 2; replica++) {
                runs.add(replicas.submit(() -> {
                    go.await();
                    return expiry.expireAll(at, 2);
                }));
            }
            go.countDown();
            for (Future<Integer> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
            replicas.shutdown();
            expireAt(at, enrollmentIds);
            // Each enrolment moved to EXPIRED exactly once: one event each, and nothing more arrives after them.
            for (String enrollmentId : enrollmentIds) {
                assertThat(events.await(e -> "EnrollmentChanged".equals(e.path("type").asText())
                        && enrollmentId.equals(e.path("data").path("enrollmentId").asText())
                        && "EXPIRED".equals(e.path("data").path("status").asText()), 1, Duration.ofSeconds(30),
                        Duration.ofSeconds(3))).as("EXPIRED events of enrolment %s", enrollmentId).hasSize(1);
            }
        }
    }

    @Test
    void anIncentiveAdminWithdrawsOnce() {
        Invited invited = invitedOrganization();
        given().auth().oauth2(invited.admin().token())
                .post("/api/v1/invitations/" + invited.invitationId() + "/accept").then().statusCode(200);
        given().auth().oauth2(invited.admin().token())
                .post("/api/v1/enrollments/" + invited.enrollmentId() + "/withdraw")
                .then().statusCode(200).body("status", equalTo("WITHDRAWN"));
        given().auth().oauth2(invited.admin().token())
                .post("/api/v1/enrollments/" + invited.enrollmentId() + "/withdraw")
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("WITHDRAWN"));
    }

    /** Runs the expiry at {@code at} until these enrolments are EXPIRED (another replica may hold the job's lock). */
    private void expireAt(Instant at, List<String> enrollmentIds) {
        expireAt(at, enrollmentIds, 100);
    }

    private void expireAt(Instant at, List<String> enrollmentIds, int batch) {
        await().atMost(Duration.ofMinutes(1)).until(() -> {
            expiry.expireAll(at, batch);
            return enrollmentIds.stream().allMatch(id -> status(id) == EnrollmentStatus.EXPIRED);
        });
    }

    private static EnrollmentStatus status(String enrollmentId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Enrollment) Enrollment.findById(UUID.fromString(enrollmentId))).status);
    }
}
