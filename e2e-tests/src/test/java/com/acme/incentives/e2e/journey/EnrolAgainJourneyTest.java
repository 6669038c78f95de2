package com.acme.incentives.e2e.journey;

import com.acme.incentives.e2e.RunningPlatform;
import com.acme.incentives.e2e.support.Gateway;
import com.acme.incentives.e2e.support.Mailbox;
import com.acme.incentives.e2e.support.Organizations;
import com.acme.incentives.e2e.support.Payouts;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A location that withdrew while still eligible is not stuck, through the gateway: its incentive admin signs it up
 * again at once from the overview's action, and after it withdraws once more an operator invites it again, mailed like
 * the first invitation; neither works while an enrolment is open, and nobody of another organization can.
 */
class EnrolAgainJourneyTest {

    private static final String PROGRAM = "csp-indirect-reseller";

    @BeforeAll
    static void platform() {
        RunningPlatform.ensureStarted();
    }

    @Test
    void aWithdrawnLocationSignsUpAgainAndIsInvitedAgain() {
        String operator = TestTokens.operator();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String partnerId = Organizations.newPartnerId();
        String primaryEmail = "pia-" + run + "@again.example";
        String orgId = Organizations.register(operator, "Again " + run, primaryEmail, "Pia", "Again").id();
        Organizations.addLocation(operator, orgId, partnerId, "Again Lille", "FR");

        // Eligible: the first invitation reaches the primary contact (no incentive admin is known to the platform).
        Payouts.feedMakesEligible(TestTokens.partnerFeed(), partnerId);
        Mailbox.onlyMessage(primaryEmail, "Your invitation to", partnerId);
        String admin = TestUsers.create(UUID.fromString(orgId), List.of("INCENTIVE_ADMIN"), List.of()).token();
        String first = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> bearer(admin).get("/api/v1/organizations/" + orgId + "/enrollments")
                        .path("items[0].id"), id -> id != null);

        // While that enrolment is open, neither signing up nor inviting again makes a second one.
        bearer(admin).post(path(partnerId, "enrollments")).then().statusCode(409)
                .contentType("application/problem+json").body("enrollmentId", equalTo(first));
        bearer(operator).post(path(partnerId, "invitations")).then().statusCode(409);

        // The admin withdraws, then signs the location up again: the new enrolment waits for the profiles.
        bearer(admin).post("/api/v1/enrollments/" + first + "/withdraw").then().statusCode(200)
                .body("status", equalTo("WITHDRAWN"));
        String second = bearer(admin).post(path(partnerId, "enrollments")).then().statusCode(201)
                .body("status", equalTo("ACTION_REQUIRED")).extract().path("id");
        assertThat(second).isNotEqualTo(first);

        // Nobody of another organization can, whatever their roles.
        String stranger = TestUsers.create(UUID.randomUUID(), List.of("GLOBAL_ADMIN", "INCENTIVE_ADMIN"), List.of())
                .token();
        bearer(stranger).post(path(partnerId, "enrollments")).then().statusCode(404);

        // Withdrawn once more, the operator invites it again: a second invitation email, to the same contact.
        bearer(admin).post("/api/v1/enrollments/" + second + "/withdraw").then().statusCode(200);
        String invitation = bearer(operator).post(path(partnerId, "invitations")).then().statusCode(201)
                .body("status", equalTo("ISSUED")).extract().path("id");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Mailbox.withSubject(primaryEmail, "Your invitation to", partnerId).size() == 2);
        assertThat(Mailbox.messages(primaryEmail).stream().filter(m -> m.path("mimeMessage").asText()
                .contains(invitation))).hasSize(1);
        bearer(admin).get("/api/v1/organizations/" + orgId + "/invitations").then().statusCode(200)
                .body("totalItems", equalTo(3));
    }

    private static String path(String partnerId, String what) {
        return "/api/v1/locations/" + partnerId + "/programs/" + PROGRAM + "/" + what;
    }

    private static RequestSpecification bearer(String token) {
        return Gateway.request().auth().oauth2(token).contentType(ContentType.JSON);
    }
}
