package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.PayoutFixture;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.acme.incentives.payout.PayoutFixture.earning;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

/** The operators' back office of payout runs: the runs with their totals, and each run's payments. */
@QuarkusTest
class PayoutRunListTest {

    /** A run of one location paid in two currencies: EUR 300 and JPY 50,000 issued, EUR 50 held (below threshold). */
    record Paid(String run, String partner, String period) {
    }

    static Paid paidInTwoCurrencies() {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        PayoutRunTest.Ready r = PayoutRunTest.ready(org, admin);
        PayoutFixture.pushEarnings(List.of(earning(r.partner(), "REBATE", "300.00", "EUR", day(period)),
                earning(r.partner(), "REBATE", "50000", "JPY", day(period)),
                earning(r.partner(), "COOP", "50.00", "EUR", day(period)))).then().statusCode(200);
        return new Paid(PayoutFixture.runPayout(period, List.of(r.partner())), r.partner(), period);
    }

    static LocalDate day(String period) {
        return PayoutFixture.dayOf(period, 9);
    }

    @Test
    void runsAreListedNewestFirstWithTotalsPerCurrencyAndStatus() {
        Paid paid = paidInTwoCurrencies();
        String run = paid.run();
        String period = paid.period();

        String operator = TestTokens.operator();
        given().auth().oauth2(operator).get("/api/v1/payout-runs").then().statusCode(200)
                .body("page", equalTo(0)).body("size", equalTo(20))
                .body("items[0].id", equalTo(run))
                .body("items[0].status", equalTo("COMPLETED")).body("items[0].period", equalTo(period))
                .body("items[0].scope", contains(paid.partner()))
                .body("items[0].bankFiles", hasSize(1))
                // by currency, then status: how many and their sum, in the payments' own currency
                .body("items[0].totals.currency", contains("EUR", "EUR", "JPY"))
                .body("items[0].totals.status", contains("IN_PROGRESS", "ON_HOLD", "IN_PROGRESS"))
                .body("items[0].totals.count", contains(1, 1, 1))
                .body("items[0].totals.amount", contains("300.00", "50.00", "50000"));
        // one run reads the same
        given().auth().oauth2(operator).get("/api/v1/payout-runs/" + run).then().statusCode(200)
                .body("totals.amount", contains("300.00", "50.00", "50000"));

        // filters: state and month
        given().auth().oauth2(operator).queryParam("status", "COMPLETED").queryParam("period", period)
                .queryParam("size", 200).get("/api/v1/payout-runs").then().statusCode(200)
                .body("items.id", hasItem(run)).body("items.status", everyItem(equalTo("COMPLETED")))
                .body("items.period", everyItem(equalTo(period)));
        given().auth().oauth2(operator).queryParam("status", "RUNNING").get("/api/v1/payout-runs").then()
                .statusCode(200).body("items.id", not(hasItem(run)));
        given().auth().oauth2(operator).queryParam("period", "2001-01").get("/api/v1/payout-runs").then()
                .statusCode(200).body("totalItems", equalTo(0)).body("items", hasSize(0));

        // paged and sorted: the oldest run first is not this one; one per page
        int total = given().auth().oauth2(operator).queryParam("size", 1).get("/api/v1/payout-runs").then()
                .statusCode(200).body("items", hasSize(1)).body("items[0].id", equalTo(run)).extract()
                .path("totalItems");
        given().auth().oauth2(operator).queryParam("size", 1).get("/api/v1/payout-runs").then()
                .body("totalPages", equalTo(total));
        given().auth().oauth2(operator).queryParam("sort", "startedAt,asc").queryParam("size", 1)
                .queryParam("page", total - 1).get("/api/v1/payout-runs").then().statusCode(200)
                .body("items[0].id", equalTo(run));
        given().auth().oauth2(operator).queryParam("sort", "period,desc").get("/api/v1/payout-runs").then()
                .statusCode(200);
        given().auth().oauth2(operator).queryParam("sort", "completedAt,desc").get("/api/v1/payout-runs").then()
                .statusCode(200);
    }

    @Test
    void aRunsPaymentsAreTheOnesItIssuedAndTheHeldOnesItReleased() {
        Paid paid = paidInTwoCurrencies();
        // EUR 200 more on the held payment: a second run releases it (EUR 250)
        PayoutFixture.pushEarnings(List.of(earning(paid.partner(), "COOP", "200.00", "EUR", day(paid.period()))))
                .then().statusCode(200);
        String secondRun = PayoutFixture.runPayout(paid.period(), List.of(paid.partner()));
        String operator = TestTokens.operator();
        String first = "/api/v1/payout-runs/" + paid.run() + "/payments";
        given().auth().oauth2(operator).get(first).then().statusCode(200)
                .body("totalItems", equalTo(3)).body("items.payoutRunId", everyItem(equalTo(paid.run())))
                .body("items.partnerId", everyItem(equalTo(paid.partner())));
        // largest amount first, two per page (amounts compare as numbers, whatever their currency)
        given().auth().oauth2(operator).queryParam("sort", "amount,desc").queryParam("size", 2).get(first).then()
                .statusCode(200).body("totalPages", equalTo(2))
                .body("items.amount", contains("50000", "300.00"));
        given().auth().oauth2(operator).queryParam("sort", "amount,desc").queryParam("size", 2).queryParam("page", 1)
                .get(first).then().statusCode(200)
                .body("items.amount", contains("250.00")).body("items[0].earningType", equalTo("COOP"));
        given().auth().oauth2(operator).queryParam("status", "IN_PROGRESS").get(first).then().statusCode(200)
                .body("totalItems", equalTo(3));
        given().auth().oauth2(operator).queryParam("status", "ON_HOLD").get(first).then().statusCode(200)
                .body("totalItems", equalTo(0));

        // the second run released the held payment (now EUR 250): it is that run's too, as its totals say
        String second = "/api/v1/payout-runs/" + secondRun + "/payments";
        given().auth().oauth2(operator).get(second).then().statusCode(200)
                .body("totalItems", equalTo(1)).body("items[0].earningType", equalTo("COOP"))
                .body("items[0].releasedByRun", equalTo(secondRun))
                .body("items[0].payoutRunId", equalTo(paid.run()))
                .body("items[0].status", equalTo("IN_PROGRESS"));
        given().auth().oauth2(operator).queryParam("size", 2).get("/api/v1/payout-runs").then().statusCode(200)
                .body("items.id", contains(secondRun, paid.run()))
                .body("items[0].paymentsReleased", equalTo(1))
                .body("items[0].totals", hasSize(1))
                .body("items[0].totals[0].currency", equalTo("EUR"))
                .body("items[0].totals[0].amount", equalTo("250.00"))
                // the first run's payments as they stand now: the EUR ones both on their way to the bank
                .body("items[1].totals.status", contains("IN_PROGRESS", "IN_PROGRESS"))
                .body("items[1].totals.count", contains(2, 1))
                .body("items[1].totals.amount", contains("550.00", "50000"));
    }

    @Test
    void badFilterValuesAreRefusedByName() {
        String operator = TestTokens.operator();
        for (Map<String, Object> query : List.<Map<String, Object>>of(Map.of("status", "DONE"),
                Map.of("status", "completed"), Map.of("period", "2026-13"), Map.of("period", "October"),
                Map.of("sort", "amount"), Map.of("sort", "startedAt,up"), Map.of("size", 201),
                Map.of("page", "x"), Map.of("runId", "1"))) {
            given().auth().oauth2(operator).queryParams(query).get("/api/v1/payout-runs").then().statusCode(400)
                    .contentType("application/problem+json").body("type", equalTo("/problems/validation-failed"))
                    .body("errors.field", hasItem(query.keySet().iterator().next()));
        }
        given().auth().oauth2(operator).queryParam("status", "DONE").queryParam("period", "2026-13")
                .get("/api/v1/payout-runs").then().statusCode(400)
                .body("errors.field", hasItems("status", "period"))
                .body("errors.message", hasItem(containsString("RUNNING, COMPLETED")));

        String payments = "/api/v1/payout-runs/" + UUID.randomUUID() + "/payments";
        for (Map<String, Object> query : List.<Map<String, Object>>of(Map.of("status", "NEW"),
                Map.of("status", "LOST"), Map.of("sort", "email"), Map.of("size", 0), Map.of("partnerId", "1"))) {
            given().auth().oauth2(operator).queryParams(query).get(payments).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.field", hasItem(query.keySet().iterator().next()));
        }
        given().auth().oauth2(operator).get(payments).then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("/problems/not-found"));
        given().auth().oauth2(operator).get("/api/v1/payout-runs/not-a-run/payments").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void onlyOperatorsListRunsAndTheirPayments() {
        UUID org = UUID.randomUUID();
        String runPayments = "/api/v1/payout-runs/" + UUID.randomUUID() + "/payments";
        for (String role : List.of("GLOBAL_ADMIN", "INCENTIVE_ADMIN", "INCENTIVE_USER")) {
            String token = TestUsers.create(org, role).token();
            for (String path : List.of("/api/v1/payout-runs", runPayments)) {
                given().auth().oauth2(token).get(path).then().statusCode(403)
                        .contentType("application/problem+json").body("type", equalTo("/problems/forbidden"));
            }
        }
        for (String machine : List.of(TestTokens.partnerFeed(), TestTokens.billingSystem(),
                TestTokens.bankConnector())) {
            given().auth().oauth2(machine).get("/api/v1/payout-runs").then().statusCode(403);
            given().auth().oauth2(machine).get(runPayments).then().statusCode(403);
        }
        given().get("/api/v1/payout-runs").then().statusCode(401).contentType("application/problem+json");
        given().get(runPayments).then().statusCode(401).contentType("application/problem+json");
    }
}
