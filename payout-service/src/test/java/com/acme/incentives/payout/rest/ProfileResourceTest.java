package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.PayoutFixture;
import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.acme.incentives.payout.PayoutFixture.DE_BIC;
import static com.acme.incentives.payout.PayoutFixture.DE_IBAN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
public class ProfileResourceTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void taxAndBankProfilesCompleteALocationAndEnrollmentIsTold() throws Exception {
        UUID org = UUID.randomUUID();
        String partner = PayoutFixture.addLocation(org, "DE");
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        try (TestEvents events = TestEvents.listen("payout.events")) {
            String taxId = PayoutFixture.createTaxProfile(admin, org, partner);
            String bankId = PayoutFixture.createBankProfile(admin, org,
                    PayoutFixture.bankBody("Main", "DE", "EUR", "DE89 3704 0044 0532 0130 00", DE_BIC), "APPROVED");

            List<JsonNode> changes = events.await(e -> "PayoutProfileStatusChanged".equals(e.path("type").asText())
                    && partner.equals(e.path("aggregateId").asText())
                    && "COMPLETE".equals(e.path("data").path("status").asText()), 1);
            JsonNode data = changes.get(0).path("data");
            assertThat(data.path("taxProfile").asText()).isEqualTo("VALID");
            assertThat(data.path("bankProfile").asText()).isEqualTo("APPROVED");
            assertThat(data.path("organizationId").asText()).isEqualTo(org.toString());
            assertThat(events.records().stream().filter(r -> r.value().contains("\"MISSING\"")
                    && r.key().equals(partner)).count()).isGreaterThanOrEqualTo(1);

            // Readers see the profiles; the account is masked for everyone, the admin included.
            String user = TestUsers.create(org, "INCENTIVE_USER").token();
            given().auth().oauth2(user).get("/api/v1/organizations/" + org + "/payment-profiles").then()
                    .statusCode(200).body("items[0].id", equalTo(bankId))
                    .body("items[0].maskedAccount", equalTo("****3000"))
                    .body("items[0].accountKind", equalTo("IBAN"))
                    .body(not(containsString("0532013000")));
            given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/payment-profiles").then()
                    .statusCode(200).body(not(containsString("0532013000")));
            given().auth().oauth2(user).get("/api/v1/organizations/" + org + "/tax-profiles").then()
                    .statusCode(200).body("items[0].id", equalTo(taxId)).body("items[0].status", equalTo("VALID"));

            // At rest: ciphertext and the last four only.
            try (Connection c = dataSource.getConnection();
                    PreparedStatement s = c.prepareStatement(
                            "SELECT account_ciphertext, account_last4 FROM bank_profile WHERE id = ?")) {
                s.setObject(1, UUID.fromString(bankId));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    assertThat(rs.getString(1)).startsWith("v1:").doesNotContain("0532013000");
                    assertThat(rs.getString(2)).isEqualTo("3000");
                }
            }
        }
    }

    @Test
    void inconsistentBankProfileNeedsActionWithTheReason() {
        UUID org = UUID.randomUUID();
        PayoutFixture.addLocation(org, "DE");
        String admin = TestUsers.create(org, "GLOBAL_ADMIN").token();
        // A valid German IBAN with a British bank country: well-formed, but no bank would pay it.
        String id = PayoutFixture.createBankProfile(admin, org,
                PayoutFixture.bankBody("Wrong country", "GB", "GBP", DE_IBAN, "NWBKGB2L"), "ACTION_REQUIRED");
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/payment-profiles").then()
                .statusCode(200).body("items[0].id", equalTo(id))
                .body("items[0].statusReason", containsString("IBAN is of country DE"))
                .body("items[0].statusReasonCode", equalTo("IBAN_COUNTRY_MISMATCH"));
        // The same reason in the reader's language, the code unchanged.
        given().auth().oauth2(admin).header("Accept-Language", "ja-JP")
                .get("/api/v1/organizations/" + org + "/payment-profiles/" + id).then().statusCode(200)
                .body("statusReason", equalTo("IBAN の国は DE ですが、銀行の国は GB です"))
                .body("statusReasonCode", equalTo("IBAN_COUNTRY_MISMATCH"));
        given().auth().oauth2(admin).header("Accept-Language", "ko")
                .get("/api/v1/organizations/" + org + "/payment-profiles/" + id + "/versions").then().statusCode(200)
                .body("items[0].statusReason", equalTo("IBAN의 국가는 DE이지만 은행 국가는 GB입니다"))
                .body("items[0].statusReasonCode", equalTo("IBAN_COUNTRY_MISMATCH"));
        // A US account with a valid routing number is accepted.
        Map<String, Object> us = PayoutFixture.bankBody("US account", "US", "USD", null, null);
        us.put("routingNumber", "021000021");
        us.put("accountNumber", "123456789012");
        PayoutFixture.createBankProfile(admin, org, us, "APPROVED");
        // The name is unique per organization.
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(us)
                .post("/api/v1/organizations/" + org + "/payment-profiles").then().statusCode(409)
                .contentType("application/problem+json").body("field", equalTo("name"));
    }

    @Test
    void badInputIsA400NamingTheField() {
        UUID org = UUID.randomUUID();
        String partner = PayoutFixture.addLocation(org, "DE");
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        String path = "/api/v1/organizations/" + org + "/payment-profiles";

        bad(admin, path, PayoutFixture.bankBody("a", "DE", "EUR", "DE89370400440532013001", DE_BIC), "iban");
        bad(admin, path, PayoutFixture.bankBody("b", "DE", "EUR", DE_IBAN, "COBA-DEFF"), "bic");
        bad(admin, path, PayoutFixture.bankBody("c", "DE", "EURO", DE_IBAN, DE_BIC), "currency");
        bad(admin, path, PayoutFixture.bankBody("d", "XX", "EUR", DE_IBAN, DE_BIC), "bankCountry");
        Map<String, Object> us = PayoutFixture.bankBody("e", "US", "USD", null, null);
        us.put("routingNumber", "021000022");
        us.put("accountNumber", "123456789012");
        bad(admin, path, us, "routingNumber");

        String taxPath = "/api/v1/organizations/" + org + "/tax-profiles";
        Map<String, Object> ein = new HashMap<>(Map.of("partnerId", partner, "country", "US", "taxForm", "W9",
                "taxId", "123456789", "expiresOn", LocalDate.now().plusYears(1).toString()));
        bad(admin, taxPath, ein, "taxId");
        Map<String, Object> vat = new HashMap<>(PayoutFixture.taxProfileBody(partner));
        vat.put("taxId", "FR123456789");
        bad(admin, taxPath, vat, "taxId");
        Map<String, Object> unknown = new HashMap<>(PayoutFixture.taxProfileBody("999999999999"));
        bad(admin, taxPath, unknown, "partnerId");
        Map<String, Object> form = new HashMap<>(PayoutFixture.taxProfileBody(partner));
        form.put("taxForm", "W9");
        bad(admin, taxPath, form, "taxForm");
        Map<String, Object> expired = new HashMap<>(PayoutFixture.taxProfileBody(partner));
        expired.put("expiresOn", "2000-01-01");
        bad(admin, taxPath, expired, "expiresOn");

        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("currency", "ZZZ"))
                .put("/api/v1/locations/" + partner + "/programs/csp-direct-bill/payout-assignment").then()
                .statusCode(400).body("errors.field", hasItem("currency"));
    }

    @Test
    void rolesAndTenancy() {
        UUID org = UUID.randomUUID();
        String partner = PayoutFixture.addLocation(org, "DE");
        String user = TestUsers.create(org, "INCENTIVE_USER").token();
        String stranger = TestUsers.create(UUID.randomUUID(), "GLOBAL_ADMIN").token();
        String taxPath = "/api/v1/organizations/" + org + "/tax-profiles";
        String bankPath = "/api/v1/organizations/" + org + "/payment-profiles";
        String assignment = "/api/v1/locations/" + partner + "/programs/csp-direct-bill/payout-assignment";

        // An incentive user reads but cannot write.
        given().auth().oauth2(user).contentType(ContentType.JSON).body(PayoutFixture.taxProfileBody(partner))
                .post(taxPath).then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(user).contentType(ContentType.JSON)
                .body(PayoutFixture.bankBody("x", "DE", "EUR", DE_IBAN, DE_BIC)).post(bankPath).then().statusCode(403);
        given().auth().oauth2(user).contentType(ContentType.JSON).body(Map.of("holdPayment", true))
                .put(assignment).then().statusCode(403);
        given().auth().oauth2(user).get(taxPath).then().statusCode(200);

        // Another organization's admin gets 404 everywhere.
        given().auth().oauth2(stranger).contentType(ContentType.JSON).body(PayoutFixture.taxProfileBody(partner))
                .post(taxPath).then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(stranger).get(taxPath).then().statusCode(404);
        given().auth().oauth2(stranger).get(bankPath).then().statusCode(404);
        given().auth().oauth2(stranger).contentType(ContentType.JSON)
                .body(PayoutFixture.bankBody("x", "DE", "EUR", DE_IBAN, DE_BIC)).post(bankPath).then().statusCode(404);
        given().auth().oauth2(stranger).contentType(ContentType.JSON).body(Map.of("holdPayment", true))
                .put(assignment).then().statusCode(404);
        given().auth().oauth2(stranger).get(assignment).then().statusCode(404);
        // The billing system is not a person of the organization.
        given().auth().oauth2(TestTokens.billingSystem()).get(taxPath).then().statusCode(403);
        given().get(taxPath).then().statusCode(401);
    }

    private static void bad(String token, String path, Map<String, Object> body, String field) {
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post(path).then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("/problems/validation-failed"))
                .body("errors.field", hasItem(field));
    }
}
