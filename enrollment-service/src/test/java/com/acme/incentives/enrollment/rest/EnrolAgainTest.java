package com.acme.incentives.enrollment.rest;

import com.acme.incentives.enrollment.domain.Invitation;
import com.acme.incentives.enrollment.domain.InvitationStatus;
import com.acme.incentives.enrollment.domain.MailMessage;
import com.acme.incentives.enrollment.jobs.InvitationExpiryJob;
import com.acme.incentives.platform.security.Roles;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.acme.incentives.platform.testing.TestUsers.TestUser;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.acme.incentives.enrollment.EnrollmentFixture.PROGRAM;
import static com.acme.incentives.enrollment.EnrollmentFixture.awaitEligibilitySequence;
import static com.acme.incentives.enrollment.EnrollmentFixture.eligibility;
import static com.acme.incentives.enrollment.EnrollmentFixture.email;
import static com.acme.incentives.enrollment.EnrollmentFixture.registerOrganizationWithLocation;
import static com.acme.incentives.enrollment.EnrollmentFixture.userCreated;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;

/**
 * A still-eligible location whose invitation expired, or that withdrew, is not stuck: an operator invites it again
 * (mailed like the first), or its incentive admin signs it up again at once; never while an enrolment is open, never
 * while it is not eligible, never for another organization.
 */
@QuarkusTest
class EnrolAgainTest {

    private static final Duration WAIT = Duration.ofMinutes(3);

    @Inject
    InvitationExpiryJob expiry;

    @Test
    void anOperatorInvitesAgainALocationWhoseInvitationExpired() {
        Invited invited = invitedLocation();
        UUID org = invited.org();
        TestUser admin = invited.admin();
        String partnerId = invited.partnerId();
        Invitation first = invited.invitation();
        String operator = TestTokens.operator();

        // while the first invitation is open, there is nothing to invite again
        given().auth().oauth2(operator).post(path(partnerId, "invitations"))
                .then().statusCode(409).contentType("application/problem+json")
                .body("enrollmentId", equalTo(first.enrollmentId.toString()))
                .body("detail", containsString("already has an open enrolment"));

        expiry.expireAll(first.expiresAt.plusSeconds(1), 50);
        String second = given().auth().oauth2(operator).post(path(partnerId, "invitations"))
                .then().statusCode(201).body("status", equalTo("ISSUED")).body("partnerId", equalTo(partnerId))
                .extract().path("id");
        assertThat(second).isNotEqualTo(first.id.toString());
        // mailed to the incentive admin like the first one
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(() -> MailMessage.count(
                "kind = 'invitation' and recipients = ?1 and body like ?2 and sentAt is not null", email(admin),
                "%" + second + "%") == 1));
        given().auth().oauth2(admin.token()).get("/api/v1/organizations/" + org + "/enrollments")
                .then().statusCode(200).body("totalItems", equalTo(2));
        // the admin accepts the new invitation as any other
        given().auth().oauth2(admin.token()).post("/api/v1/invitations/" + second + "/accept")
                .then().statusCode(200).body("status", equalTo("ACTION_REQUIRED"));

        // the organization's audit log: the operator's invitation, then the admin's acceptance
        List<Map<String, Object>> audit = auditLog(org, 2);
        assertThat(audit).extracting(e -> e.get("action")).containsExactly("INVITATION_ACCEPTED",
                "LOCATION_INVITED_AGAIN");
        assertThat(audit).extracting(e -> e.get("actorKind")).containsExactly("USER", "OPERATOR");
        assertThat(audit.get(1).get("targetId")).isEqualTo(second);
        assertThat(audit.get(0).get("actorSubject")).isEqualTo(admin.id());
    }

    /** The organization's audit log (newest first) as an operator reads it, once it has {@code count} entries. */
    private static List<Map<String, Object>> auditLog(UUID org, int count) {
        String path = "/api/v1/organizations/" + org + "/audit-log";
        await().atMost(WAIT).until(() -> given().auth().oauth2(TestTokens.operator()).get(path).then()
                .statusCode(200).extract().<Integer>path("totalItems") >= count);
        return given().auth().oauth2(TestTokens.operator()).get(path).then().extract().path("items");
    }

    @Test
    void anIncentiveAdminSignsUpAgainAfterWithdrawingAndNobodyElseCan() {
        Invited invited = invitedLocation();
        UUID org = invited.org();
        TestUser admin = invited.admin();
        String partnerId = invited.partnerId();
        Invitation first = invited.invitation();
        given().auth().oauth2(admin.token()).post("/api/v1/enrollments/" + first.enrollmentId + "/withdraw")
                .then().statusCode(200).body("status", equalTo("WITHDRAWN"));

        // not a user, not another organization's admin, not for a programme never evaluated
        given().auth().oauth2(TestUsers.create(org, Roles.INCENTIVE_USER).token()).post(path(partnerId, "enrollments"))
                .then().statusCode(403);
        given().auth().oauth2(TestUsers.create(UUID.randomUUID(), Roles.INCENTIVE_ADMIN).token())
                .post(path(partnerId, "enrollments")).then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(admin.token()).header("Accept-Language", "ja")
                .post("/api/v1/locations/" + partnerId + "/programs/no-such-programme/enrollments")
                .then().statusCode(404).header("Content-Language", "ja")
                .body("detail", containsString("参加資格がまだ評価されていません"));
        given().auth().oauth2(admin.token()).post("/api/v1/locations/not-digits/programs/" + PROGRAM + "/enrollments")
                .then().statusCode(400).contentType("application/problem+json");

        String enrollmentId = given().auth().oauth2(admin.token()).post(path(partnerId, "enrollments"))
                .then().statusCode(201).body("status", equalTo("ACTION_REQUIRED"))
                .body("partnerId", equalTo(partnerId)).extract().path("id");
        Invitation accepted = QuarkusTransaction.requiringNew().call(() -> Invitation.<Invitation>find(
                "enrollmentId", UUID.fromString(enrollmentId)).singleResult());
        assertThat(accepted.status).isEqualTo(InvitationStatus.ACCEPTED);
        assertThat(accepted.acceptedBy).isEqualTo(admin.id());
        // nobody is mailed an invitation the admin accepted themselves
        assertThat(QuarkusTransaction.requiringNew().call(() -> MailMessage.count("body like ?1",
                "%" + accepted.id + "%"))).isZero();
        // once is enough
        given().auth().oauth2(admin.token()).post(path(partnerId, "enrollments"))
                .then().statusCode(409).body("enrollmentId", equalTo(enrollmentId));
        given().auth().oauth2(admin.token()).get("/api/v1/enrollments/" + enrollmentId + "/history")
                .then().statusCode(200).body("items.reason", hasItem("signed up again by the partner"))
                .body("items.changedBy", everyItem(equalTo(admin.id())));

        // the organization's audit log: the withdrawal and the sign-up, by the admin
        List<Map<String, Object>> audit = auditLog(org, 2);
        assertThat(audit).extracting(e -> e.get("action")).containsExactly("ENROLLMENT_SIGNED_UP_AGAIN",
                "ENROLLMENT_WITHDRAWN");
        assertThat(audit).extracting(e -> e.get("actorSubject")).containsOnly(admin.id());
        assertThat(audit.get(0).get("targetId")).isEqualTo(enrollmentId);
        assertThat(audit.get(1).get("targetId")).isEqualTo(first.enrollmentId.toString());
    }

    @Test
    void aLocationThatIsNotEligibleNowCannotEnrolAgain() {
        Invited invited = invitedLocation();
        UUID org = invited.org();
        TestUser admin = invited.admin();
        String partnerId = invited.partnerId();
        Invitation first = invited.invitation();
        given().auth().oauth2(admin.token()).post("/api/v1/enrollments/" + first.enrollmentId + "/withdraw")
                .then().statusCode(200);
        eligibility(org, partnerId, false, 2);
        awaitEligibilitySequence(partnerId, 2);

        given().auth().oauth2(TestTokens.operator()).header("Accept-Language", "ko").post(path(partnerId, "invitations"))
                .then().statusCode(422).contentType("application/problem+json").header("Content-Language", "ko")
                .body("detail", containsString("현재"));
        given().auth().oauth2(admin.token()).post(path(partnerId, "enrollments"))
                .then().statusCode(422).body("detail", containsString("is not eligible"));
    }

    /** An organization whose location is eligible and invited, with its incentive admin. */
    private record Invited(UUID org, TestUser admin, String partnerId, Invitation invitation) {
    }

    private static Invited invitedLocation() {
        UUID org = UUID.randomUUID();
        TestUser admin = TestUsers.create(org, Roles.INCENTIVE_ADMIN);
        String partnerId = registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        userCreated(admin, List.of(Roles.INCENTIVE_ADMIN));
        eligibility(org, partnerId, true, 1);
        awaitEligibilitySequence(partnerId, 1);
        return new Invited(org, admin, partnerId, onlyInvitation(partnerId));
    }

    private static String path(String partnerId, String what) {
        return "/api/v1/locations/" + partnerId + "/programs/" + PROGRAM + "/" + what;
    }

    private static Invitation onlyInvitation(String partnerId) {
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> Invitation.count("partnerId", partnerId) == 1));
        return QuarkusTransaction.requiringNew()
                .call(() -> Invitation.<Invitation>find("partnerId", partnerId).firstResult());
    }
}
