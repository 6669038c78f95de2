package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.PayoutFixture;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.acme.incentives.payout.PayoutFixture.earning;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

/** The operators' held-payments queue: every organization's ON_HOLD payments, the soonest forfeit first. */
@QuarkusTest
class HeldPaymentsTest {

    private static final String QUEUE = "/api/v1/held-payments";

    @Test
    void theQueueListsHeldPaymentsOfEveryOrganizationSoonestForfeitFirst() {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        LocalDate day = PayoutFixture.dayOf(period, 7);
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        // First held: EUR 50 below the threshold. Held a run later: EUR 1,000 and JPY 200,000 on the partner's hold.
        PayoutRunTest.Ready first = PayoutRunTest.ready(org, admin);
        PayoutRunTest.Ready second = PayoutRunTest.ready(org, admin);
        PayoutFixture.assign(admin, second.partner(), second.bankId(), true);
        PayoutFixture.pushEarnings(List.of(earning(first.partner(), "COOP", "50.00", "EUR", day),
                earning(second.partner(), "REBATE", "1000.00", "EUR", day),
                earning(second.partner(), "REBATE", "200000", "JPY", day))).then().statusCode(200);
        PayoutFixture.runPayout(period, List.of(first.partner()));
        PayoutFixture.runPayout(period, List.of(second.partner()));
        // Another organization's held payment
        UUID otherOrg = UUID.randomUUID();
        String otherAdmin = TestUsers.create(otherOrg, "INCENTIVE_ADMIN").token();
        PayoutRunTest.Ready other = PayoutRunTest.ready(otherOrg, otherAdmin);
        PayoutFixture.pushEarnings(List.of(earning(other.partner(), "COOP", "20.00", "EUR", day))).then()
                .statusCode(200);
        PayoutFixture.runPayout(period, List.of(other.partner()));

        String operator = TestTokens.operator();
        // the organization's three, oldest hold first, each with its forfeit date (held since + 180 days)
        List<Map<String, Object>> items = given().auth().oauth2(operator).queryParam("organizationId", org)
                .get(QUEUE).then().statusCode(200)
                .body("totalItems", equalTo(3)).body("items.status", everyItem(equalTo("ON_HOLD")))
                .body("items[0].partnerId", equalTo(first.partner()))
                .body("items[0].holdReasons", contains("BELOW_THRESHOLD"))
                .body("items[1].partnerId", equalTo(second.partner()))
                .body("items[2].partnerId", equalTo(second.partner()))
                .body("items[1].holdReasons", contains("PARTNER_HOLD"))
                .body("items.operatorHold", everyItem(nullValue()))
                .extract().path("items");
        for (Map<String, Object> item : items) {
            Instant heldSince = Instant.parse((String) item.get("heldSince"));
            assertThat(Instant.parse((String) item.get("forfeitsAt"))).isEqualTo(heldSince.plus(Duration.ofDays(180)));
        }
        assertThat(Instant.parse((String) items.get(0).get("heldSince")))
                .isBefore(Instant.parse((String) items.get(1).get("heldSince")));
        given().auth().oauth2(operator).queryParam("organizationId", org).queryParam("sort", "forfeitsAt,desc")
                .get(QUEUE).then().statusCode(200).body("items[2].partnerId", equalTo(first.partner()));

        // filters: reason, currency, amounts (in the payment's currency), location, age
        given().auth().oauth2(operator).queryParam("organizationId", org).queryParam("reason", "PARTNER_HOLD")
                .get(QUEUE).then().statusCode(200).body("totalItems", equalTo(2))
                .body("items.partnerId", everyItem(equalTo(second.partner())));
        given().auth().oauth2(operator).queryParam("partnerId", first.partner()).queryParam("reason", "PARTNER_HOLD")
                .get(QUEUE).then().statusCode(200).body("totalItems", equalTo(0));
        given().auth().oauth2(operator).queryParam("organizationId", org).queryParam("currency", "JPY")
                .get(QUEUE).then().statusCode(200).body("totalItems", equalTo(1))
                .body("items[0].amount", equalTo("200000"));
        given().auth().oauth2(operator).queryParam("organizationId", org).queryParam("minAmount", "1000")
                .queryParam("maxAmount", "1000.00").get(QUEUE).then().statusCode(200)
                .body("totalItems", equalTo(1)).body("items[0].amount", equalTo("1000.00"));
        given().auth().oauth2(operator).queryParam("organizationId", org).queryParam("minAmount", "1000.01")
                .get(QUEUE).then().statusCode(200).body("items.amount", contains("200000"));
        given().auth().oauth2(operator).queryParam("partnerId", other.partner()).get(QUEUE).then().statusCode(200)
                .body("totalItems", equalTo(1)).body("items[0].amount", equalTo("20.00"));
        given().auth().oauth2(operator).queryParam("organizationId", org).queryParam("heldBefore", "2001-01-01")
                .get(QUEUE).then().statusCode(200).body("totalItems", equalTo(0));
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
        given().auth().oauth2(operator).queryParam("organizationId", org).queryParam("heldBefore", tomorrow)
                .get(QUEUE).then().statusCode(200).body("totalItems", equalTo(3));
        // held since before the second run: the first one only
        given().auth().oauth2(operator).queryParam("organizationId", org)
                .queryParam("heldBefore", items.get(1).get("heldSince")).get(QUEUE).then().statusCode(200)
                .body("items.partnerId", contains(first.partner()));

        // sorted and paged
        given().auth().oauth2(operator).queryParam("organizationId", org).queryParam("sort", "amount,desc")
                .queryParam("size", 2).get(QUEUE).then().statusCode(200)
                .body("totalPages", equalTo(2)).body("items.amount", contains("200000", "1000.00"));
        given().auth().oauth2(operator).queryParam("organizationId", org).queryParam("sort", "amount,desc")
                .queryParam("size", 2).queryParam("page", 1).get(QUEUE).then().statusCode(200)
                .body("items.amount", contains("50.00"));
        for (String sort : List.of("heldSince,asc", "currency,desc", "partnerId,asc", "period,desc",
                "createdAt,asc")) {
            given().auth().oauth2(operator).queryParam("organizationId", org).queryParam("sort", sort).get(QUEUE)
                    .then().statusCode(200).body("totalItems", equalTo(3));
        }

        // the organization's own list and detail carry the forfeit date too
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/payments?partnerId=" + first.partner())
                .then().statusCode(200).body("items[0].forfeitsAt", equalTo(items.get(0).get("forfeitsAt")));
    }

    @Test
    void badFiltersAreRefusedByName() {
        String operator = TestTokens.operator();
        for (Map<String, Object> query : List.<Map<String, Object>>of(Map.of("reason", "LOST"),
                Map.of("reason", "partner_hold"), Map.of("currency", "EURO"), Map.of("currency", "XYZ"),
                Map.of("minAmount", "ten"), Map.of("minAmount", "1e5"), Map.of("maxAmount", "1.23456"),
                Map.of("heldBefore", "yesterday"), Map.of("heldBefore", "2026-13-01"),
                Map.of("organizationId", "not-a-uuid"), Map.of("sort", "email"), Map.of("sort", "amount,up"),
                Map.of("size", 201), Map.of("status", "ON_HOLD"))) {
            given().auth().oauth2(operator).queryParams(query).get(QUEUE).then().statusCode(400)
                    .contentType("application/problem+json").body("type", equalTo("/problems/validation-failed"))
                    .body("errors.field", hasItem(query.keySet().iterator().next()));
        }
        given().auth().oauth2(operator).queryParam("minAmount", "100").queryParam("maxAmount", "99.99")
                .get(QUEUE).then().statusCode(400).body("errors.field", contains("maxAmount"))
                .body("errors.code", contains("amount-range"));
        given().auth().oauth2(operator).queryParam("reason", "LOST").queryParam("currency", "EURO")
                .get(QUEUE).then().statusCode(400).body("errors.field", hasItems("reason", "currency"))
                .body("errors.message", hasItem(containsString("OPERATOR_HOLD")));
        given().auth().oauth2(operator).header("Accept-Language", "ja").queryParam("heldBefore", "x")
                .get(QUEUE).then().statusCode(400).body("errors[0].code", equalTo("timestamp-or-date"))
                .body("errors[0].message", containsString("タイムスタンプ"));
    }

    @Test
    void onlyOperatorsSeeTheQueueAndHoldOrReleasePayments() {
        UUID org = UUID.randomUUID();
        String payment = "/api/v1/payments/" + UUID.randomUUID();
        Map<String, String> body = Map.of("reason", "checking");
        for (String role : List.of("GLOBAL_ADMIN", "INCENTIVE_ADMIN", "INCENTIVE_USER")) {
            String token = TestUsers.create(org, role).token();
            given().auth().oauth2(token).get(QUEUE).then().statusCode(403)
                    .contentType("application/problem+json").body("type", equalTo("/problems/forbidden"));
            for (String action : List.of("/hold", "/release")) {
                given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post(payment + action).then()
                        .statusCode(403).body("type", equalTo("/problems/forbidden"));
            }
        }
        for (String machine : List.of(TestTokens.partnerFeed(), TestTokens.billingSystem(),
                TestTokens.bankConnector())) {
            given().auth().oauth2(machine).get(QUEUE).then().statusCode(403);
            given().auth().oauth2(machine).contentType(ContentType.JSON).body(body).post(payment + "/hold").then()
                    .statusCode(403);
            given().auth().oauth2(machine).contentType(ContentType.JSON).body(body).post(payment + "/release").then()
                    .statusCode(403);
        }
        given().get(QUEUE).then().statusCode(401).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(body).post(payment + "/hold").then().statusCode(401);
        given().contentType(ContentType.JSON).body(body).post(payment + "/release").then().statusCode(401);
        // an operator: no such payment
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON).body(body).post(payment + "/hold")
                .then().statusCode(404).body("type", equalTo("/problems/not-found"));
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON).body(body)
                .post(payment + "/release").then().statusCode(404);
    }
}
