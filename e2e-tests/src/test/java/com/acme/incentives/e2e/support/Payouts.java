package com.acme.incentives.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the partner feed and the operator do around a journey: make a location eligible, pay it out. */
public final class Payouts {

    private Payouts() {
    }

    /** The partner feed's facts that make a location eligible for the CSP indirect reseller programme. */
    public static void feedMakesEligible(String feedToken, String partnerId) {
        bearer(feedToken).body(Map.of("type", "MPN", "status", "ACTIVE", "validFrom", "2026-01-01"))
                .put("/api/v1/locations/" + partnerId + "/agreements/mpn-" + partnerId).then().statusCode(200);
        bearer(feedToken).body(Map.of("name", "Cloud Business Applications", "level", "GOLD", "validFrom", "2026-01-01"))
                .put("/api/v1/locations/" + partnerId + "/competencies/cba-" + partnerId).then().statusCode(200);
        bearer(feedToken).body(Map.of("date", "2026-02-01"))
                .put("/api/v1/locations/" + partnerId + "/first-transaction").then().statusCode(200);
    }

    /**
     * The period's exchange rates to USD for every currency the journeys pay in: a payout run refuses a period
     * without a rate for each currency involved. The same rates in every test, as a PUT replaces the period's.
     */
    public static void setRates(String operator, String period) {
        bearer(operator).body(Map.of("rates", Map.of("EUR", "1.10", "USD", "1", "JPY", "0.0067", "KRW", "0.00072")))
                .put("/api/v1/exchange-rates/" + period).then().statusCode(200);
    }

    /** One payout run of the period for this location, waited for until it completes. */
    public static void runPayout(String operator, String partnerId, String period) {
        String runId = bearer(operator).body(Map.of("period", period, "partnerIds", List.of(partnerId)))
                .post("/api/v1/payout-runs").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                "COMPLETED".equals(Gateway.request().auth().oauth2(operator).get("/api/v1/payout-runs/" + runId)
                        .path("status")));
    }

    /** Runs until the location's payment is issued (a run before the enrolment was seen holds it; the next releases). */
    public static JsonNode payOut(String operator, String orgId, String partnerId, String period) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
            runPayout(operator, partnerId, period);
            JsonNode payments = SampleBodies.JSON.readTree(Gateway.request().auth().oauth2(operator)
                    .get("/api/v1/organizations/" + orgId + "/payments?partnerId=" + partnerId).asString());
            List<JsonNode> items = new ArrayList<>();
            payments.path("items").forEach(items::add);
            assertThat(items).hasSize(1);
            found[0] = items.get(0);
            assertThat(found[0].path("status").asText()).as(found[0].toString()).isNotEqualTo("ON_HOLD");
        });
        return found[0];
    }

    /** The payment as the operator sees it ({@code payment}, {@code earnings}, {@code history}). */
    public static JsonNode paymentDetail(String operator, String orgId, String paymentId) throws Exception {
        return SampleBodies.JSON.readTree(Gateway.request().auth().oauth2(operator)
                .get("/api/v1/organizations/" + orgId + "/payments/" + paymentId).asString());
    }

    private static io.restassured.specification.RequestSpecification bearer(String token) {
        return Gateway.request().auth().oauth2(token).contentType(ContentType.JSON);
    }
}
