package com.acme.incentives.enrollment.rest;

import com.acme.incentives.enrollment.domain.Enrollment;
import com.acme.incentives.enrollment.domain.EnrollmentHistory;
import com.acme.incentives.enrollment.domain.EnrollmentStatus;
import com.acme.incentives.enrollment.domain.Invitation;
import com.acme.incentives.enrollment.domain.InvitationStatus;
import com.acme.incentives.enrollment.domain.MailMessage;
import com.acme.incentives.platform.security.Roles;
import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestUsers;
import com.acme.incentives.platform.testing.TestUsers.TestUser;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.acme.incentives.enrollment.EnrollmentFixture.PROGRAM;
import static com.acme.incentives.enrollment.EnrollmentFixture.addLocation;
import static com.acme.incentives.enrollment.EnrollmentFixture.newPartnerId;
import static com.acme.incentives.enrollment.EnrollmentFixture.organizationRegistered;
import static com.acme.incentives.enrollment.EnrollmentFixture.SEQUENCE_BASE;
import static com.acme.incentives.enrollment.EnrollmentFixture.awaitEligibilitySequence;
import static com.acme.incentives.enrollment.EnrollmentFixture.awaitProfileSequence;
import static com.acme.incentives.enrollment.EnrollmentFixture.eligibility;
import static com.acme.incentives.enrollment.EnrollmentFixture.email;
import static com.acme.incentives.enrollment.EnrollmentFixture.mailbox;
import static com.acme.incentives.enrollment.EnrollmentFixture.ofData;
import static com.acme.incentives.enrollment.EnrollmentFixture.payoutProfile;
import static com.acme.incentives.enrollment.EnrollmentFixture.produceWithId;
import static com.acme.incentives.enrollment.EnrollmentFixture.registerOrganizationWithLocation;
import static com.acme.incentives.enrollment.EnrollmentFixture.userCreated;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Eligible → invited (one email, real SMTP) → accepted → profiles complete → ENROLLED, through the real broker. */
@QuarkusTest
class EnrollmentFlowTest {

    private static final Duration WAIT = Duration.ofMinutes(3); // an upper bound: the shared topics may hold other teams' backlog

    @Test
    void eligibleLocationIsInvitedOnceAndEnrolsWhenProfilesAreComplete() throws Exception {
        UUID org = UUID.randomUUID();
        TestUser admin = TestUsers.create(org, Roles.INCENTIVE_ADMIN);
        String partnerId = registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        userCreated(admin, List.of(Roles.INCENTIVE_ADMIN));

        try (TestEvents published = TestEvents.listen("enrollment.events")) {
            String eventId = eligibility(org, partnerId, true, 1);
            // the very same event delivered again (at-least-once), and an equal sequence under a new event id
            produceWithId(eventId, "eligibility.events", partnerId, "EligibilityChanged", partnerId, Map.of(
                    "partnerId", partnerId, "organizationId", org.toString(), "programId", PROGRAM,
                    "eligible", true, "sequence", SEQUENCE_BASE + 1, "criteria", List.of()));
            eligibility(org, partnerId, true, 1);
            // a later re-evaluation that is still eligible: already invited, so nobody is invited again
            eligibility(org, partnerId, true, 2);
            awaitEligibilitySequence(partnerId, 2); // same partition: everything before it has been applied

            JsonNode invitation = onlyInvitation(org, admin);
            assertThat(invitation.path("status").asText()).isEqualTo("ISSUED");
            String invitationId = invitation.path("id").asText();

            // exactly one email, through SMTP, to the incentive admin
            await().atMost(WAIT).until(() -> !mailbox(email(admin), invitationId).isEmpty());
            awaitAllMailSent(email(admin));
            List<JsonNode> mails = mailbox(email(admin), invitationId);
            assertThat(mails).hasSize(1);
            assertThat(mails.get(0).path("subject").asText()).contains(PROGRAM).contains(partnerId);
            assertThat(mails.get(0).path("mimeMessage").asText()).contains(invitationId);
            assertThat(QuarkusTransaction.requiringNew().call(() -> MailMessage.count("recipients", email(admin))))
                    .isEqualTo(1);

            JsonNode issued = published.await(ofData("InvitationIssued", partnerId, "invitationId", invitationId), 1).get(0);
            assertThat(issued.path("data").path("invitationId").asText()).isEqualTo(invitationId);
            assertThat(issued.path("data").path("recipients").get(0).asText()).isEqualTo(email(admin));

            // the incentive admin accepts: profiles are unknown yet, so action is required
            String enrollmentId = given().auth().oauth2(admin.token())
                    .post("/api/v1/invitations/" + invitationId + "/accept")
                    .then().statusCode(200).body("status", equalTo("ACTION_REQUIRED"))
                    .extract().path("id");

            // accepting twice is refused with the reason
            given().auth().oauth2(admin.token()).post("/api/v1/invitations/" + invitationId + "/accept")
                    .then().statusCode(422).contentType("application/problem+json")
                    .body("detail", containsString("already accepted"));

            payoutProfile(org, partnerId, "VALIDATING", 1);
            awaitStatus(enrollmentId, EnrollmentStatus.VALIDATING);
            payoutProfile(org, partnerId, "COMPLETE", 3);
            payoutProfile(org, partnerId, "INCOMPLETE", 2); // late, older: must not undo COMPLETE
            awaitProfileSequence(partnerId, 3);
            awaitStatus(enrollmentId, EnrollmentStatus.ENROLLED);

            LocalDate firstOfMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
            given().auth().oauth2(admin.token()).get("/api/v1/organizations/" + org + "/enrollments")
                    .then().statusCode(200).body("totalItems", equalTo(1))
                    .body("items[0].status", equalTo("ENROLLED"))
                    .body("items[0].earningsStartDate", equalTo(firstOfMonth.toString()));

            List<JsonNode> changes = published.await(ofData("EnrollmentChanged", partnerId, "enrollmentId", enrollmentId), 4);
            assertThat(changes).extracting(e -> e.path("data").path("status").asText())
                    .containsExactly("INVITED", "ACTION_REQUIRED", "VALIDATING", "ENROLLED");
            assertThat(changes).extracting(e -> e.path("data").path("sequence").asLong())
                    .isSorted().doesNotHaveDuplicates();
            assertThat(changes.get(3).path("data").path("earningsStartDate").asText())
                    .isEqualTo(firstOfMonth.toString());
            assertThat(changes.get(1).path("data").path("changedBy").asText()).isEqualTo(admin.id());
        }

        List<EnrollmentHistory> history = QuarkusTransaction.requiringNew().call(() -> EnrollmentHistory
                .<EnrollmentHistory>list("enrollmentId in (select e.id from Enrollment e where e.partnerId = ?1)"
                        + " order by id", partnerId));
        assertThat(history).extracting(h -> h.toStatus).containsExactly(EnrollmentStatus.INVITED,
                EnrollmentStatus.ACTION_REQUIRED, EnrollmentStatus.VALIDATING, EnrollmentStatus.ENROLLED);
        assertThat(history.get(1).changedBy).isEqualTo(admin.id());
    }

    /**
     * The location's EligibilityChanged overtakes identity's OrganizationRegistered (they come on different topics):
     * the invitation is issued with nobody to write to, and mailed, once, when the organization becomes known.
     */
    @Test
    void anInvitationIssuedBeforeTheOrganizationIsKnownIsMailedWhenItIs() {
        UUID org = UUID.randomUUID();
        String partnerId = newPartnerId();
        String contact = "contact-" + org + "@test.example";

        eligibility(org, partnerId, true, 1);
        awaitEligibilitySequence(partnerId, 1);
        Invitation waiting = QuarkusTransaction.requiringNew()
                .call(() -> Invitation.<Invitation>find("partnerId", partnerId).singleResult());
        assertThat(waiting.status).isEqualTo(InvitationStatus.ISSUED);
        assertThat(waiting.recipients).isEmpty();

        organizationRegistered(org, contact);
        await().atMost(WAIT).until(() -> !mailbox(contact, waiting.id.toString()).isEmpty());
        assertThat(QuarkusTransaction.requiringNew().call(
                () -> Invitation.<Invitation>findById(waiting.id).recipients)).isEqualTo(contact);

        // identity says it again (a redelivery, a changed name): the invitation is not mailed a second time; a later
        // event of the organization (same key, same partition) being applied shows the earlier one was
        organizationRegistered(org, contact);
        addLocation(org);
        awaitAllMailSent(contact);
        assertThat(QuarkusTransaction.requiringNew().call(() -> MailMessage.count("recipients", contact)))
                .isEqualTo(1);
        assertThat(mailbox(contact, waiting.id.toString())).hasSize(1);
    }

    @Test
    void anOlderIneligibleArrivingLateDoesNotUndoANewerEligible() {
        UUID org = UUID.randomUUID();
        String contact = "contact-" + org + "@test.example";
        String partnerId = registerOrganizationWithLocation(org, contact);

        eligibility(org, partnerId, true, 5);
        eligibility(org, partnerId, false, 3); // evaluated earlier, delivered later
        awaitEligibilitySequence(partnerId, 5);
        eligibility(org, partnerId, true, 6); // a marker after the stale one on the same partition
        awaitEligibilitySequence(partnerId, 6);
        assertThat(statusesOf(partnerId)).containsExactly(EnrollmentStatus.INVITED);

        // no incentive admin known: the invitation goes to the organization's primary contact
        String invitationId = QuarkusTransaction.requiringNew()
                .call(() -> Invitation.<Invitation>find("partnerId", partnerId).firstResult().id.toString());
        await().atMost(WAIT).until(() -> mailbox(contact, invitationId).size() == 1);

        // a real loss and regain: back to INVITED, with the same invitation (nobody is invited twice)
        eligibility(org, partnerId, false, 7);
        eligibility(org, partnerId, true, 8);
        awaitEligibilitySequence(partnerId, 8);
        assertThat(QuarkusTransaction.requiringNew().call(() -> historyOf(partnerId)))
                .containsExactly(EnrollmentStatus.INVITED, EnrollmentStatus.INELIGIBLE, EnrollmentStatus.INVITED);
        assertThat(QuarkusTransaction.requiringNew().call(() -> Invitation.count("partnerId", partnerId)))
                .isEqualTo(1);
        awaitAllMailSent(contact);
        assertThat(mailbox(contact, invitationId)).hasSize(1);
    }

    @Test
    void anOlderEligibleArrivingAfterANewerIneligibleInvitesNobody() {
        UUID org = UUID.randomUUID();
        String contact = "contact-" + org + "@test.example";
        String partnerId = registerOrganizationWithLocation(org, contact);

        eligibility(org, partnerId, false, 2); // the newer outcome first
        eligibility(org, partnerId, true, 1);  // an older evaluation, delivered late
        eligibility(org, partnerId, false, 3); // a marker after it on the same partition
        awaitEligibilitySequence(partnerId, 3);
        assertThat(statusesOf(partnerId)).isEmpty();
        assertThat(QuarkusTransaction.requiringNew().call(() -> Invitation.count("partnerId", partnerId)))
                .isZero();

        eligibility(org, partnerId, true, 4); // really eligible now: invited once
        awaitEligibilitySequence(partnerId, 4);
        assertThat(statusesOf(partnerId)).containsExactly(EnrollmentStatus.INVITED);
    }

    @Test
    void losingAndRegainingEligibilityReturnsToWhereTheProfilesNowAre() {
        UUID org = UUID.randomUUID();
        TestUser admin = TestUsers.create(org, Roles.INCENTIVE_ADMIN);
        String partnerId = registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        userCreated(admin, List.of(Roles.INCENTIVE_ADMIN));
        eligibility(org, partnerId, true, 1);
        awaitEligibilitySequence(partnerId, 1);
        String invitationId = onlyInvitation(org, admin).path("id").asText();
        String enrollmentId = given().auth().oauth2(admin.token())
                .post("/api/v1/invitations/" + invitationId + "/accept")
                .then().statusCode(200).body("status", equalTo("ACTION_REQUIRED")).extract().path("id");

        // eligibility lost while action is required; the profiles complete meanwhile
        eligibility(org, partnerId, false, 2);
        awaitEligibilitySequence(partnerId, 2);
        awaitStatus(enrollmentId, EnrollmentStatus.INELIGIBLE);
        payoutProfile(org, partnerId, "COMPLETE", 1);
        awaitProfileSequence(partnerId, 1);
        awaitStatus(enrollmentId, EnrollmentStatus.INELIGIBLE); // profiles do not end ineligibility

        // regained: not back to ACTION_REQUIRED, but to what the profiles call for now
        eligibility(org, partnerId, true, 3);
        awaitEligibilitySequence(partnerId, 3);
        awaitStatus(enrollmentId, EnrollmentStatus.ENROLLED);
        LocalDate start = QuarkusTransaction.requiringNew()
                .call(() -> ((Enrollment) Enrollment.findById(UUID.fromString(enrollmentId))).earningsStartDate);
        assertThat(start).isEqualTo(LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1));

        // an enrolled location losing and regaining eligibility is ENROLLED again, earnings start unchanged
        eligibility(org, partnerId, false, 4);
        eligibility(org, partnerId, true, 5);
        awaitEligibilitySequence(partnerId, 5);
        awaitStatus(enrollmentId, EnrollmentStatus.ENROLLED);
        assertThat(QuarkusTransaction.requiringNew().call(() -> historyOf(partnerId))).containsExactly(
                EnrollmentStatus.INVITED, EnrollmentStatus.ACTION_REQUIRED, EnrollmentStatus.INELIGIBLE,
                EnrollmentStatus.ENROLLED, EnrollmentStatus.INELIGIBLE, EnrollmentStatus.ENROLLED);
        assertThat(QuarkusTransaction.requiringNew()
                .call(() -> ((Enrollment) Enrollment.findById(UUID.fromString(enrollmentId))).earningsStartDate))
                .isEqualTo(start);
    }

    static JsonNode onlyInvitation(UUID org, TestUser reader) {
        JsonNode page = given().auth().oauth2(reader.token()).get("/api/v1/organizations/" + org + "/invitations")
                .then().statusCode(200).body("totalItems", equalTo(1)).extract().as(JsonNode.class);
        return page.path("items").get(0);
    }

    static void awaitStatus(String enrollmentId, EnrollmentStatus status) {
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> ((Enrollment) Enrollment.findById(UUID.fromString(enrollmentId))).status == status));
    }

    static void awaitAllMailSent(String email) {
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(
                () -> MailMessage.count("recipients like ?1 and sentAt is null", "%" + email + "%") == 0));
    }

    private static List<EnrollmentStatus> statusesOf(String partnerId) {
        return QuarkusTransaction.requiringNew().call(() -> Enrollment.<Enrollment>list("partnerId", partnerId)
                .stream().map(e -> e.status).toList());
    }

    private static List<EnrollmentStatus> historyOf(String partnerId) {
        return EnrollmentHistory.<EnrollmentHistory>list(
                "enrollmentId in (select e.id from Enrollment e where e.partnerId = ?1) order by id", partnerId)
                .stream().map(h -> h.toStatus).toList();
    }
}
