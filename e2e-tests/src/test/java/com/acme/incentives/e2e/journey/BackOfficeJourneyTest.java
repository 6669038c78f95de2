package com.acme.incentives.e2e.journey;

import com.acme.incentives.e2e.RunningPlatform;
import com.acme.incentives.e2e.support.Earnings;
import com.acme.incentives.e2e.support.Gateway;
import com.acme.incentives.e2e.support.Mailbox;
import com.acme.incentives.e2e.support.Organizations;
import com.acme.incentives.e2e.support.Payouts;
import com.acme.incentives.e2e.support.SampleBodies;
import com.acme.incentives.e2e.support.SecretsSeen;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The operators' back office through the gateway: an organization found among all by its location's partner ID, the
 * payout run listed with its totals and its payments, the held payment in the queue with its forfeit date, held by one
 * operator and, above the four-eyes amount, released only once a second operator agrees (the first one's own approval
 * refused), every step in the payment's history with who, why and when; the partner told by email whenever the
 * reasons of the hold change; each step, the refusal included, in the organization's audit log (JSON and CSV).
 */
class BackOfficeJourneyTest {

    private static final String PROGRAM = "csp-indirect-reseller";

    @BeforeAll
    static void platform() {
        RunningPlatform.ensureStarted();
    }

    @Test
    void operatorsFindHoldAndReleaseAPaymentWithFourEyes() throws Exception {
        String operator = TestTokens.operator();
        // two operators of their own, to tell their steps apart in the history
        var first = TestUsers.create(null, List.of("PROGRAM_OPERATOR"), List.of());
        var second = TestUsers.create(null, List.of("PROGRAM_OPERATOR"), List.of());
        SecretsSeen.remember(first.password());
        SecretsSeen.remember(second.password());
        String run = UUID.randomUUID().toString().substring(0, 8);
        String partnerId = Organizations.newPartnerId();
        String primaryEmail = "bo-" + run + "@backoffice.example";
        String orgId = Organizations.register(operator, "Back Office " + run, primaryEmail, "Bo", "Office").id();
        Organizations.addLocation(operator, orgId, partnerId, "Back Office Utrecht", "NL");

        // 1. Among every partner's organizations, the one with this location.
        bearer(operator).get("/api/v1/organizations?partnerId=" + partnerId).then().statusCode(200)
                .body("totalItems", equalTo(1)).body("items[0].id", equalTo(orgId))
                .body("items[0].locationCount", equalTo(1)).body("items[0].countries[0]", equalTo("NL"));

        // 2. A large earning of a location that never enrolled: the run holds its payment (NOT_ENROLLED).
        String period = YearMonth.now(ZoneOffset.UTC).toString();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> bearer(
                TestTokens.billingSystem()).body(Map.of("lines", List.of(Earnings.rebate(partnerId, PROGRAM,
                "25000.00")))).post("/api/v1/earnings/batch").statusCode() == 200);
        Payouts.setRates(operator, period);
        Payouts.runPayout(operator, partnerId, period);
        JsonNode runs = json(bearer(operator).get("/api/v1/payout-runs?period=" + period + "&size=50"));
        String runId = null;
        for (JsonNode candidate : runs.path("items")) {
            if (candidate.path("scope").toString().contains(partnerId)) {
                runId = candidate.path("id").asText();
                assertThat(candidate.path("totals").toString()).contains("ON_HOLD").contains("25000.00");
            }
        }
        assertThat(runId).as("the run among the period's latest").isNotNull();
        String paymentId = bearer(operator).get("/api/v1/payout-runs/" + runId + "/payments").then().statusCode(200)
                .body("totalItems", equalTo(1)).body("items[0].status", equalTo("ON_HOLD"))
                .extract().path("items[0].id");

        // 3. The held-payments queue across organizations: this one, with the day it would be forfeited.
        bearer(operator).get("/api/v1/held-payments?partnerId=" + partnerId + "&reason=NOT_ENROLLED")
                .then().statusCode(200).body("totalItems", equalTo(1)).body("items[0].id", equalTo(paymentId))
                .body("items[0].forfeitsAt", notNullValue());

        // 4. An operator holds it too, with a reason; the queue finds it by that reason.
        bearer(first.token()).body(Map.of("reason", "Customer disputes the deal " + run))
                .post("/api/v1/payments/" + paymentId + "/hold").then().statusCode(200);
        bearer(operator).get("/api/v1/held-payments?partnerId=" + partnerId + "&reason=OPERATOR_HOLD")
                .then().statusCode(200).body("totalItems", equalTo(1));

        // 5. Above the four-eyes amount: the first release waits for a second operator; the same one cannot approve.
        bearer(first.token()).body(Map.of("reason", "Dispute settled"))
                .post("/api/v1/payments/" + paymentId + "/release").then().statusCode(202);
        String refusal = "e2e-refused-" + run;
        bearer(first.token()).header("X-Correlation-Id", refusal).body(Map.of("reason", "Approving my own"))
                .post("/api/v1/payments/" + paymentId + "/release").then().statusCode(409)
                .contentType("application/problem+json");
        bearer(second.token()).body(Map.of("reason", "Checked the settlement"))
                .post("/api/v1/payments/" + paymentId + "/release").then().statusCode(200);

        // 6. Every step is in the payment's history, with who, what and why; the organization's global admin reads it.
        String globalAdmin = TestUsers.create(UUID.fromString(orgId), List.of("GLOBAL_ADMIN"), List.of()).token();
        JsonNode detail = json(bearer(globalAdmin).get("/api/v1/organizations/" + orgId + "/payments/" + paymentId));
        List<String> steps = new ArrayList<>();
        for (JsonNode entry : detail.path("history")) {
            if (entry.hasNonNull("action")) {
                steps.add(entry.path("action").asText() + " " + entry.path("changedBy").asText() + " "
                        + entry.path("reason").asText());
            }
        }
        assertThat(steps).containsSubsequence(
                "HOLD " + first.id() + " Customer disputes the deal " + run,
                "RELEASE_REQUESTED " + first.id() + " Dispute settled",
                "RELEASE_REFUSED " + first.id() + " Approving my own");
        assertThat(steps).anySatisfy(step -> assertThat(step).startsWith("RELEASE").contains(second.id())
                .contains("Checked the settlement"));
        assertThat(detail.path("payment").path("holdReasons").toString()).doesNotContain("OPERATOR_HOLD");

        // 7. The partner (its primary contact: nobody else yet) was told each time the reasons changed: held by the
        //    run, then also by the operator, then, released by the operators, still held for its own reasons.
        Mailbox.exactly(3, primaryEmail, "is on hold", partnerId);

        // 8. The organization's audit log (every service's entries, here payout-service's) has each operator's step,
        //    the refusal too (its answer was a 409), with who and in which request; its global admin reads it, and
        //    exports it as CSV; an incentive admin of the organization may not, another organization's sees nothing.
        String log = "/api/v1/organizations/" + orgId + "/audit-log";
        List<String> audited = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            audited.clear();
            for (JsonNode entry : json(bearer(operator).get(log + "?service=payout-service&size=50")).path("items")) {
                if (paymentId.equals(entry.path("targetId").asText())) {
                    audited.add(entry.path("action").asText() + " " + entry.path("actorSubject").asText() + " "
                            + entry.path("actorKind").asText() + " " + entry.path("details").path("reason").asText());
                }
            }
            assertThat(audited).hasSize(4);
        });
        assertThat(audited).as("newest first").containsExactly(
                "PAYMENT_RELEASE_APPROVED " + second.id() + " OPERATOR Checked the settlement",
                "PAYMENT_RELEASE_REFUSED " + first.id() + " OPERATOR Approving my own",
                "PAYMENT_RELEASE_REQUESTED " + first.id() + " OPERATOR Dispute settled",
                "PAYMENT_HELD_BY_OPERATOR " + first.id() + " OPERATOR Customer disputes the deal " + run);
        bearer(globalAdmin).get(log + "?action=PAYMENT_RELEASE_REFUSED").then().statusCode(200)
                .body("totalItems", equalTo(1)).body("items[0].correlationId", equalTo(refusal))
                .body("items[0].targetId", equalTo(paymentId)).body("items[0].service", equalTo("payout-service"));
        Response csv = Gateway.request().auth().oauth2(globalAdmin).accept("text/csv")
                .get(log + "?service=payout-service");
        assertThat(csv.statusCode()).as(csv.asString()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<String> lines = csv.asString().lines().toList();
        assertThat(lines.get(0)).startsWith("occurred_at,service,action");
        assertThat(lines).filteredOn(line -> line.contains(paymentId)).hasSize(4);
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("PAYMENT_RELEASE_REFUSED").contains(refusal));
        String incentiveAdmin = TestUsers.create(UUID.fromString(orgId), List.of("INCENTIVE_ADMIN"), List.of()).token();
        bearer(incentiveAdmin).get(log).then().statusCode(403).contentType(containsString("application/problem+json"));
        String stranger = TestUsers.create(UUID.randomUUID(), List.of("GLOBAL_ADMIN"), List.of()).token();
        bearer(stranger).get(log).then().statusCode(404).contentType(containsString("application/problem+json"));
    }

    private static JsonNode json(Response response) throws Exception {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return SampleBodies.JSON.readTree(response.asString());
    }

    private static RequestSpecification bearer(String token) {
        return Gateway.request().auth().oauth2(token).contentType(ContentType.JSON);
    }
}
