package com.acme.incentives.enrollment.rest;

import com.acme.incentives.enrollment.domain.EnrollmentStatus;
import com.acme.incentives.platform.security.Roles;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.acme.incentives.platform.testing.TestUsers.TestUser;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static com.acme.incentives.enrollment.EnrollmentFixture.awaitEligibilitySequence;
import static com.acme.incentives.enrollment.EnrollmentFixture.awaitProfileSequence;
import static com.acme.incentives.enrollment.EnrollmentFixture.eligibility;
import static com.acme.incentives.enrollment.EnrollmentFixture.payoutProfile;
import static com.acme.incentives.enrollment.EnrollmentFixture.registerOrganizationWithLocation;
import static com.acme.incentives.enrollment.EnrollmentFixture.userCreated;
import static com.acme.incentives.enrollment.rest.EnrollmentFlowTest.awaitStatus;
import static com.acme.incentives.enrollment.rest.EnrollmentFlowTest.onlyInvitation;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/**
 * One enrolment and its history (GET /enrollments/{id}, GET /enrollments/{id}/history), the required actions of
 * ACTION_REQUIRED, and the global admin's incentive rights (GET /me's table: it reads and manages enrolments).
 */
@QuarkusTest
class EnrollmentResourceTest {

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
    void anEnrolmentInActionRequiredSaysWhatToDoAndWhereAndItsHistoryIsReadable() {
        Invited invited = invitedOrganization();
        String enrollment = "/api/v1/enrollments/" + invited.enrollmentId();

        given().auth().oauth2(invited.admin().token()).get(enrollment)
                .then().statusCode(200).body("id", equalTo(invited.enrollmentId()))
                .body("status", equalTo("INVITED")).body("requiredActions", empty());

        // accepted while payout-service has published nothing for the location: neither profile exists
        given().auth().oauth2(invited.admin().token()).post("/api/v1/invitations/" + invited.invitationId() + "/accept")
                .then().statusCode(200).body("status", equalTo("ACTION_REQUIRED"))
                .body("requiredActions.code", contains("TAX_PROFILE_MISSING", "BANK_PROFILE_MISSING"));
        String orgPath = "/api/v1/organizations/" + invited.org();
        given().auth().oauth2(invited.admin().token()).get(enrollment)
                .then().statusCode(200).body("status", equalTo("ACTION_REQUIRED"))
                .body("requiredActions.code", contains("TAX_PROFILE_MISSING", "BANK_PROFILE_MISSING"))
                .body("requiredActions[0].operationId", equalTo("createTaxProfile"))
                .body("requiredActions[0].method", equalTo("POST"))
                .body("requiredActions[0].href", equalTo(orgPath + "/tax-profiles"))
                .body("requiredActions[0].detail", containsString("tax profile"))
                .body("requiredActions[1].operationId", equalTo("createBankProfile"))
                .body("requiredActions[1].href", equalTo(orgPath + "/payment-profiles"));

        // the tax profile is in, the bank refused the bank profile: only the bank profile is left to fix
        payoutProfile(invited.org(), invited.partnerId(), "INCOMPLETE", "VALID", "ACTION_REQUIRED", 1);
        awaitProfileSequence(invited.partnerId(), 1);
        given().auth().oauth2(invited.admin().token()).get(enrollment)
                .then().statusCode(200).body("status", equalTo("ACTION_REQUIRED"))
                .body("requiredActions.code", contains("BANK_PROFILE_REJECTED"))
                .body("requiredActions[0].operationId", equalTo("createBankProfile"));
        // and in the list, the same
        given().auth().oauth2(invited.admin().token()).get(orgPath + "/enrollments")
                .then().statusCode(200).body("items[0].requiredActions.code", contains("BANK_PROFILE_REJECTED"));

        // a new bank profile under check: nothing to do, the enrolment waits
        payoutProfile(invited.org(), invited.partnerId(), "VALIDATING", "VALID", "PENDING_VALIDATION", 2);
        awaitStatus(invited.enrollmentId(), EnrollmentStatus.VALIDATING);
        // the tax profile expires meanwhile: action required again, for that reason
        payoutProfile(invited.org(), invited.partnerId(), "INCOMPLETE", "EXPIRED", "PENDING_VALIDATION", 3);
        awaitStatus(invited.enrollmentId(), EnrollmentStatus.ACTION_REQUIRED);
        given().auth().oauth2(invited.admin().token()).get(enrollment)
                .then().statusCode(200).body("requiredActions.code", contains("TAX_PROFILE_EXPIRED"));

        // the history, newest first: every change with its time and reason (and why action was required)
        given().auth().oauth2(invited.admin().token()).get(enrollment + "/history")
                .then().statusCode(200).body("totalItems", equalTo(4))
                .body("items.toStatus", contains("ACTION_REQUIRED", "VALIDATING", "ACTION_REQUIRED", "INVITED"))
                .body("items.fromStatus", contains("VALIDATING", "ACTION_REQUIRED", "INVITED", null))
                .body("items[0].reason", equalTo("payout profiles INCOMPLETE; required: TAX_PROFILE_EXPIRED"))
                .body("items[0].changedBy", equalTo("payout-service"))
                .body("items[2].reason",
                        equalTo("invitation accepted; required: TAX_PROFILE_MISSING, BANK_PROFILE_MISSING"))
                .body("items[2].changedBy", equalTo(invited.admin().id()))
                .body("items[3].reason", equalTo("eligible: invited"))
                .body("items[3].changedAt", containsString("T"));
        given().auth().oauth2(invited.admin().token()).get(enrollment + "/history?size=1&page=1")
                .then().statusCode(200).body("items.toStatus", contains("VALIDATING")).body("totalPages", equalTo(4));
    }

    @Test
    void aGlobalAdminReadsAndManagesTheOrganizationsEnrolments() {
        Invited invited = invitedOrganization();
        TestUser global = TestUsers.create(invited.org(), Roles.GLOBAL_ADMIN);
        String orgPath = "/api/v1/organizations/" + invited.org();

        given().auth().oauth2(global.token()).get(orgPath + "/invitations")
                .then().statusCode(200).body("items.id", hasItem(invited.invitationId()));
        given().auth().oauth2(global.token()).get(orgPath + "/enrollments")
                .then().statusCode(200).body("items.id", hasItem(invited.enrollmentId()));
        given().auth().oauth2(global.token()).get("/api/v1/enrollments/" + invited.enrollmentId())
                .then().statusCode(200).body("status", equalTo("INVITED"));
        given().auth().oauth2(global.token()).get("/api/v1/enrollments/" + invited.enrollmentId() + "/history")
                .then().statusCode(200).body("items[0].toStatus", equalTo("INVITED"))
                .body("items[0].fromStatus", nullValue());

        given().auth().oauth2(global.token()).post("/api/v1/invitations/" + invited.invitationId() + "/accept")
                .then().statusCode(200).body("status", equalTo("ACTION_REQUIRED"));
        given().auth().oauth2(global.token()).post("/api/v1/enrollments/" + invited.enrollmentId() + "/withdraw")
                .then().statusCode(200).body("status", equalTo("WITHDRAWN")).body("requiredActions", empty());
        given().auth().oauth2(global.token()).get("/api/v1/enrollments/" + invited.enrollmentId() + "/history")
                .then().statusCode(200).body("items[0].toStatus", equalTo("WITHDRAWN"))
                .body("items[0].changedBy", equalTo(global.id()));
    }

    @Test
    void oneEnrolmentIsRefusedToWhoMayNotSeeIt() {
        Invited invited = invitedOrganization();
        String enrollment = "/api/v1/enrollments/" + invited.enrollmentId();

        // another organization's users, even its global and incentive admins: as if it did not exist
        TestUser stranger = TestUsers.create(UUID.randomUUID(), Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN);
        // an incentive user limited to another location of the organization
        TestUser elsewhere = TestUsers.create(invited.org(), List.of(Roles.INCENTIVE_USER), List.of("1"));
        // roles without incentive rights (GET /me gives them no incentives:read)
        List<TestUser> noIncentiveRights = List.of(TestUsers.create(invited.org(), Roles.ACCOUNT_ADMIN),
                TestUsers.create(invited.org(), Roles.USER_ADMIN));
        TestUser reader = TestUsers.create(invited.org(), Roles.INCENTIVE_USER);
        for (String path : List.of(enrollment, enrollment + "/history")) {
            given().auth().oauth2(stranger.token()).get(path)
                    .then().statusCode(404).contentType("application/problem+json");
            given().auth().oauth2(elsewhere.token()).get(path)
                    .then().statusCode(404).contentType("application/problem+json");
            for (TestUser user : noIncentiveRights) {
                given().auth().oauth2(user.token()).get(path)
                        .then().statusCode(403).contentType("application/problem+json");
            }
            given().auth().oauth2(TestTokens.partnerFeed()).get(path)
                    .then().statusCode(403).contentType("application/problem+json");
            given().get(path).then().statusCode(401).contentType("application/problem+json");
            // readers of the organization and operators see it
            given().auth().oauth2(reader.token()).get(path).then().statusCode(200);
            given().auth().oauth2(TestTokens.operator()).get(path).then().statusCode(200);
        }

        given().auth().oauth2(invited.admin().token()).get("/api/v1/enrollments/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("was not found"));
        given().auth().oauth2(invited.admin().token()).get("/api/v1/enrollments/" + UUID.randomUUID() + "/history")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(invited.admin().token()).get(enrollment + "/history?size=500")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("size"));
    }
}
