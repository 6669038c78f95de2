package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.PayoutFixture;
import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.acme.incentives.platform.testing.TestUsers.TestUser;
import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.acme.incentives.payout.PayoutFixture.DE_BIC;
import static com.acme.incentives.payout.PayoutFixture.DE_IBAN;
import static com.acme.incentives.payout.PayoutFixture.earning;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * Bank profiles the validation cannot settle go to an operator (IN_REVIEW): a bank country none of the organization's
 * locations is in, an account changed after payments were sent to the profile. Meanwhile the location is VALIDATING
 * and payments hold; the operator approves (APPROVED) or rejects with a reason the partner reads (ACTION_REQUIRED,
 * OPERATOR_REJECTED), deciding on the version they read (If-Match).
 */
@QuarkusTest
class BankProfileReviewTest {

    private static final String QUEUE = "/api/v1/payment-profile-reviews";
    private static final String PROBLEM = "application/problem+json";
    private static final String OTHER_IBAN = "DE44500105175407324931";

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aBankInACountryOfNoLocationWaitsForAnOperatorWhoApprovesIt() {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        UUID org = UUID.randomUUID();
        String partner = PayoutFixture.addLocation(org, "DE");
        PayoutFixture.enroll(org, partner, "ENROLLED");
        TestUser admin = TestUsers.create(org, "INCENTIVE_ADMIN");
        PayoutFixture.createTaxProfile(admin.token(), org, partner);

        // A German organization's US account: nothing a bank would refuse, but only a person can tell whether it is
        // the partner's. A German account of the same organization is approved as before.
        String bank = PayoutFixture.createBankProfile(admin.token(), org, usBody("US account"), "IN_REVIEW");
        String clean = PayoutFixture.createBankProfile(admin.token(), org,
                PayoutFixture.bankBody("German account", "DE", "EUR", DE_IBAN, DE_BIC), "APPROVED");
        assertThat(clean).isNotEqualTo(bank);
        PayoutFixture.assign(admin.token(), partner, bank, false);
        String path = "/api/v1/organizations/" + org + "/payment-profiles/" + bank;
        given().auth().oauth2(admin.token()).get(path).then().statusCode(200).header("ETag", "\"1\"")
                .body("status", equalTo("IN_REVIEW"))
                .body("statusReasonCode", equalTo("FOREIGN_BANK_COUNTRY"))
                .body("statusReason", equalTo("The bank is in US, but the organization's locations are in DE: an"
                        + " operator checks the account before it is paid"))
                .body("review.reason", equalTo("FOREIGN_BANK_COUNTRY"))
                .body("review.reviewedBy", nullValue()).body("validatedAt", notNullValue());
        given().auth().oauth2(admin.token()).header("Accept-Language", "ja").get(path).then().statusCode(200)
                .body("statusReason", equalTo("銀行の国は US ですが、組織のロケーションは DE にあります。支払いの前に"
                        + "オペレーターが口座を確認します"));
        awaitLocationStatus(partner, "IN_REVIEW", "VALIDATING");

        // A run holds the location's payment, as for a profile not validated yet.
        PayoutFixture.pushEarnings(List.of(earning(partner, "REBATE", "300.00", "USD",
                PayoutFixture.dayOf(period, 9)))).then().statusCode(200);
        PayoutFixture.runPayout(period, List.of(partner));
        List<Map<String, Object>> payments = PayoutFixture.payments(admin.token(), org, partner);
        assertThat(payments).hasSize(1);
        assertThat(payments.get(0).get("status")).isEqualTo("ON_HOLD");
        assertThat(payments.get(0).get("holdReasons")).isEqualTo(List.of("BANK_PROFILE_NOT_APPROVED"));

        // The operators' queue: the profile, masked, with why and the version to decide on.
        TestUser operator = TestUsers.create(null, "PROGRAM_OPERATOR");
        given().auth().oauth2(operator.token()).queryParam("organizationId", org).get(QUEUE).then().statusCode(200)
                .body("totalItems", equalTo(1)).body("items[0].id", equalTo(bank))
                .body("items[0].organizationId", equalTo(org.toString()))
                .body("items[0].name", equalTo("US account")).body("items[0].bankCountry", equalTo("US"))
                .body("items[0].currency", equalTo("USD")).body("items[0].method", equalTo("BANK_TRANSFER"))
                .body("items[0].maskedAccount", equalTo("****9012"))
                .body("items[0].reasonCode", equalTo("FOREIGN_BANK_COUNTRY"))
                .body("items[0].reason", containsString("The bank is in US"))
                .body("items[0].submittedBy", equalTo(admin.id())).body("items[0].submittedAt", notNullValue())
                .body("items[0].version", equalTo(1))
                .body(not(containsString("123456789012")));
        given().auth().oauth2(operator.token()).header("Accept-Language", "ko").queryParam("organizationId", org)
                .get(QUEUE).then().statusCode(200)
                .body("items[0].reason", equalTo("은행 국가는 US이지만 조직의 로케이션은 DE에 있습니다. 지급 전에 운영자가"
                        + " 계좌를 확인합니다"));
        for (Map<String, Object> filter : List.<Map<String, Object>>of(Map.of("reason", "FOREIGN_BANK_COUNTRY"),
                Map.of("bankCountry", "US"), Map.of("sort", "name,desc"), Map.of("sort", "submittedAt,desc"))) {
            given().auth().oauth2(operator.token()).queryParam("organizationId", org).queryParams(filter).get(QUEUE)
                    .then().statusCode(200).body("items.id", contains(bank));
        }
        for (Map<String, Object> filter : List.<Map<String, Object>>of(
                Map.of("reason", "ACCOUNT_CHANGED_AFTER_PAYMENT"), Map.of("bankCountry", "DE"))) {
            given().auth().oauth2(operator.token()).queryParam("organizationId", org).queryParams(filter).get(QUEUE)
                    .then().statusCode(200).body("totalItems", equalTo(0));
        }

        // The partner's admin decides nothing; the operator decides on the version read.
        decide(admin.token(), bank, "approve", "\"1\"", Map.of()).then().statusCode(403).contentType(PROBLEM);
        decide(operator.token(), bank, "approve", "\"2\"", Map.of()).then().statusCode(412).contentType(PROBLEM)
                .header("ETag", "\"1\"").body("type", equalTo("/problems/precondition-failed"));
        decide(operator.token(), bank, "approve", null, Map.of()).then().statusCode(428).contentType(PROBLEM);
        given().auth().oauth2(admin.token()).get(path).then().body("status", equalTo("IN_REVIEW"));

        String key = UUID.randomUUID().toString();
        try (TestEvents events = TestEvents.listen("payout.events")) {
            decide(operator.token(), bank, "approve", "\"1\"", Map.of("note", "Called the partner: their US entity"),
                    key).then().statusCode(200).header("ETag", "\"1\"")
                    .body("status", equalTo("APPROVED")).body("statusReasonCode", nullValue())
                    .body("statusReason", nullValue()).body("version", equalTo(1))
                    .body("review.reason", equalTo("FOREIGN_BANK_COUNTRY"))
                    .body("review.reviewedBy", equalTo(operator.id())).body("review.reviewedAt", notNullValue())
                    .body("review.note", equalTo("Called the partner: their US entity"));
            JsonNode complete = events.await(e -> "PayoutProfileStatusChanged".equals(e.path("type").asText())
                    && partner.equals(e.path("aggregateId").asText())
                    && "COMPLETE".equals(e.path("data").path("status").asText()), 1).get(0);
            assertThat(complete.path("data").path("bankProfile").asText()).isEqualTo("APPROVED");
        }
        // The same request again (Idempotency-Key) is answered as the first time; another approval is a conflict.
        decide(operator.token(), bank, "approve", "\"1\"", Map.of("note", "Called the partner: their US entity"),
                key).then().statusCode(200).header("Idempotent-Replayed", "true").body("status", equalTo("APPROVED"));
        decide(operator.token(), bank, "approve", "\"1\"", Map.of()).then().statusCode(409).contentType(PROBLEM)
                .body("type", equalTo("/problems/conflict")).body("profileStatus", equalTo("APPROVED"));
        decide(operator.token(), bank, "reject", "\"1\"", Map.of("reason", "too late")).then().statusCode(409)
                .body("profileStatus", equalTo("APPROVED"));
        awaitLocationStatus(partner, "APPROVED", "COMPLETE");
        given().auth().oauth2(operator.token()).queryParam("organizationId", org).get(QUEUE).then().statusCode(200)
                .body("totalItems", equalTo(0));
        // The partner sees who approved it, in the profile and its version.
        given().auth().oauth2(admin.token()).get(path + "/versions").then().statusCode(200)
                .body("items[0].status", equalTo("APPROVED"))
                .body("items[0].review.reviewedBy", equalTo(operator.id()));
    }

    @Test
    void anAccountChangedAfterAPaymentWaitsForAnOperatorWhoseRejectionThePartnerReads() {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "GLOBAL_ADMIN").token();
        PaymentLifecycleTest.Location r = PaymentLifecycleTest.ready(org, admin, false);
        PayoutFixture.pushEarnings(List.of(earning(r.partner(), "REBATE", "300.00", "EUR",
                PayoutFixture.dayOf(period, 9)))).then().statusCode(200);
        PayoutFixture.runPayout(period, List.of(r.partner()));
        assertThat(PayoutFixture.payments(admin, org, r.partner()).get(0).get("status"))
                .isIn("IN_PROGRESS", "SENT", "PAID");
        String path = "/api/v1/organizations/" + org + "/payment-profiles/" + r.bankId();

        // Money went to the account ending 3000; the correction names another one: the classic payment diversion.
        correct(admin, path, "\"1\"", PayoutFixture.bankBody("Bank " + r.partner(), "DE", "EUR", OTHER_IBAN,
                "INGDDEFFXXX"), "\"2\"");
        awaitStatus(admin, path, "IN_REVIEW");
        given().auth().oauth2(admin).get(path).then().statusCode(200)
                .body("statusReasonCode", equalTo("ACCOUNT_CHANGED_AFTER_PAYMENT"))
                .body("statusReason", equalTo("The account was changed from one ending in 3000 to one ending in 4931"
                        + " after payments were sent to this profile: an operator checks the change before it is paid"))
                .body("review.reason", equalTo("ACCOUNT_CHANGED_AFTER_PAYMENT"));
        awaitLocationStatus(r.partner(), "IN_REVIEW", "VALIDATING");

        TestUser operator = TestUsers.create(null, "PROGRAM_OPERATOR");
        given().auth().oauth2(operator.token()).queryParam("organizationId", org)
                .queryParam("reason", "ACCOUNT_CHANGED_AFTER_PAYMENT").get(QUEUE).then().statusCode(200)
                .body("items.id", contains(r.bankId())).body("items[0].version", equalTo(2))
                .body("items[0].maskedAccount", equalTo("****4931"))
                .body("items[0].reasonCode", equalTo("ACCOUNT_CHANGED_AFTER_PAYMENT"));
        given().auth().oauth2(operator.token()).queryParam("organizationId", org)
                .queryParam("reason", "FOREIGN_BANK_COUNTRY").get(QUEUE).then().statusCode(200)
                .body("totalItems", equalTo(0));

        // A reason is required, not blank, at most 500 characters: each a 400 naming it.
        for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of(), Map.of("reason", "   "),
                Map.of("reason", "x".repeat(501)))) {
            decide(operator.token(), r.bankId(), "reject", "\"2\"", body).then().statusCode(400).contentType(PROBLEM)
                    .body("type", equalTo("/problems/validation-failed")).body("errors.field", contains("reason"));
        }
        // The version reviewed was 1: it was corrected since, so the decision is refused.
        decide(operator.token(), r.bankId(), "reject", "\"1\"", Map.of("reason", "Not the partner's account")).then()
                .statusCode(412).header("ETag", "\"2\"");

        String reason = "The new account holder is not Partner GmbH";
        decide(operator.token(), r.bankId(), "reject", "\"2\"", Map.of("reason", reason)).then().statusCode(200)
                .header("ETag", "\"2\"").body("status", equalTo("ACTION_REQUIRED"))
                .body("statusReasonCode", equalTo("OPERATOR_REJECTED"))
                .body("review.reviewedBy", equalTo(operator.id())).body("review.note", equalTo(reason));
        // The partner reads the operator's words inside a sentence of their language.
        given().auth().oauth2(admin).get(path).then().statusCode(200)
                .body("statusReason", equalTo("An operator rejected this bank profile: " + reason
                        + ". Correct the account details"));
        given().auth().oauth2(admin).header("Accept-Language", "ja").get(path).then().statusCode(200)
                .body("statusReason", equalTo("オペレーターがこの銀行プロファイルを却下しました：" + reason
                        + "。口座情報を修正してください"))
                .body("statusReasonCode", equalTo("OPERATOR_REJECTED"));
        awaitLocationStatus(r.partner(), "ACTION_REQUIRED", "INCOMPLETE");
        decide(operator.token(), r.bankId(), "approve", "\"2\"", Map.of()).then().statusCode(409)
                .body("profileStatus", equalTo("ACTION_REQUIRED"));

        // Correcting only the name keeps the account nobody approved: it goes to review again (the account last
        // approved is version 1's). Back to the account money went to, it is approved as usual.
        correct(admin, path, "\"2\"", PayoutFixture.bankBody("Renamed", "DE", "EUR", OTHER_IBAN, "INGDDEFFXXX"),
                "\"3\"");
        awaitStatus(admin, path, "IN_REVIEW");
        correct(admin, path, "\"3\"", PayoutFixture.bankBody("Renamed", "DE", "EUR", DE_IBAN, DE_BIC), "\"4\"");
        awaitStatus(admin, path, "APPROVED");
        awaitLocationStatus(r.partner(), "APPROVED", "COMPLETE");

        // Each version keeps its outcome and its review.
        given().auth().oauth2(admin).get(path + "/versions").then().statusCode(200)
                .body("items.version", contains(4, 3, 2, 1))
                .body("items.status", contains("APPROVED", "IN_REVIEW", "ACTION_REQUIRED", "APPROVED"))
                .body("items[0].review", nullValue())
                .body("items[1].review.reason", equalTo("ACCOUNT_CHANGED_AFTER_PAYMENT"))
                .body("items[1].review.reviewedBy", nullValue())
                .body("items[2].statusReasonCode", equalTo("OPERATOR_REJECTED"))
                .body("items[2].review.reviewedBy", equalTo(operator.id()))
                .body("items[2].review.note", equalTo(reason))
                .body("items[3].review", nullValue());
    }

    @Test
    void onlyOperatorsSeeTheQueueAndDecide() {
        UUID org = UUID.randomUUID();
        String profile = UUID.randomUUID().toString();
        for (String role : List.of("GLOBAL_ADMIN", "INCENTIVE_ADMIN", "INCENTIVE_USER")) {
            String token = TestUsers.create(org, role).token();
            given().auth().oauth2(token).get(QUEUE).then().statusCode(403).contentType(PROBLEM)
                    .body("type", equalTo("/problems/forbidden"));
            decide(token, profile, "approve", "\"1\"", Map.of()).then().statusCode(403);
            decide(token, profile, "reject", "\"1\"", Map.of("reason", "no")).then().statusCode(403);
        }
        for (String machine : List.of(TestTokens.partnerFeed(), TestTokens.billingSystem(),
                TestTokens.bankConnector())) {
            given().auth().oauth2(machine).get(QUEUE).then().statusCode(403);
            decide(machine, profile, "approve", "\"1\"", Map.of()).then().statusCode(403);
        }
        given().get(QUEUE).then().statusCode(401).contentType(PROBLEM);
        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(Map.of())
                .post("/api/v1/payment-profiles/" + profile + "/approve").then().statusCode(401);
        // An operator: no such profile (before the version is looked at).
        String operator = TestTokens.operator();
        decide(operator, profile, "approve", "\"1\"", Map.of()).then().statusCode(404).contentType(PROBLEM)
                .body("type", equalTo("/problems/not-found"));
        decide(operator, profile, "reject", null, Map.of("reason", "no")).then().statusCode(404);

        // A profile the validation approved was never in review.
        PayoutFixture.addLocation(org, "DE");
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        String approved = PayoutFixture.createBankProfile(admin, org,
                PayoutFixture.bankBody("Main", "DE", "EUR", DE_IBAN, DE_BIC), "APPROVED");
        decide(operator, approved, "approve", "\"1\"", Map.of()).then().statusCode(409).contentType(PROBLEM)
                .body("type", equalTo("/problems/conflict")).body("profileStatus", equalTo("APPROVED"))
                .body("detail", containsString("IN_REVIEW"));
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/payment-profiles/" + approved).then()
                .body("review", nullValue());
    }

    @Test
    void badQueueFiltersAreRefusedByName() {
        String operator = TestTokens.operator();
        for (Map<String, Object> query : List.<Map<String, Object>>of(Map.of("reason", "LOST"),
                Map.of("reason", "OPERATOR_REJECTED"), Map.of("bankCountry", "XX"), Map.of("bankCountry", "de"),
                Map.of("organizationId", "not-a-uuid"), Map.of("sort", "forfeitsAt"), Map.of("status", "APPROVED"),
                Map.of("size", 201))) {
            given().auth().oauth2(operator).queryParams(query).get(QUEUE).then().statusCode(400)
                    .contentType(PROBLEM).body("type", equalTo("/problems/validation-failed"))
                    .body("errors.field", hasItem(query.keySet().iterator().next()));
        }
    }

    private static Map<String, Object> usBody(String name) {
        Map<String, Object> us = new HashMap<>(PayoutFixture.bankBody(name, "US", "USD", null, null));
        us.put("routingNumber", "021000021");
        us.put("accountNumber", "123456789012");
        return us;
    }

    private static Response decide(String token, String profileId, String action, String ifMatch,
            Map<String, Object> body) {
        return decide(token, profileId, action, ifMatch, body, null);
    }

    private static Response decide(String token, String profileId, String action, String ifMatch,
            Map<String, Object> body, String idempotencyKey) {
        RequestSpecification request = given().auth().oauth2(token).contentType(ContentType.JSON).body(body);
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/api/v1/payment-profiles/" + profileId + "/" + action);
    }

    private static void correct(String token, String path, String ifMatch, Map<String, Object> body, String etag) {
        given().auth().oauth2(token).contentType(ContentType.JSON).header("If-Match", ifMatch).body(body).put(path)
                .then().statusCode(200).header("ETag", etag).body("status", equalTo("PENDING_VALIDATION"))
                .body("review", nullValue());
    }

    private static void awaitStatus(String token, String path, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> status.equals(given().auth().oauth2(token).get(path)
                .then().statusCode(200).extract().path("status")));
    }

    /** What payout last published for the location (PayoutProfileStatusChanged), as it keeps it. */
    private void awaitLocationStatus(String partnerId, String bankStatus, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                    "SELECT bank_status, status FROM location_profile_status WHERE partner_id = ?")) {
                s.setString(1, partnerId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() && bankStatus.equals(rs.getString(1)) && status.equals(rs.getString(2));
                }
            }
        });
    }
}
