package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.PayoutFixture;
import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

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
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * Tax and bank profiles read by id (every 201's Location answers GET), corrected as new versions with their history,
 * and the ETag / If-Match rule of updates (platform concurrency.Versions).
 */
@QuarkusTest
public class ProfileCorrectionTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void taxProfileLocationAnswersAndACorrectionIsANewVersionWithItsHistory() {
        UUID org = UUID.randomUUID();
        String partner = PayoutFixture.addLocation(org, "DE");
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        ExtractableResponse<Response> created = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(PayoutFixture.taxProfileBody(partner)).post("/api/v1/organizations/" + org + "/tax-profiles")
                .then().statusCode(201).header("ETag", "\"1\"").extract();
        String id = created.path("id");
        String location = created.header("Location");
        assertThat(location).endsWith("/api/v1/organizations/" + org + "/tax-profiles/" + id);

        // The Location answers GET with the same body, and the version as ETag.
        given().auth().oauth2(admin).get(location).then().statusCode(200).contentType(ContentType.JSON)
                .header("ETag", "\"1\"").body("id", equalTo(id)).body("partnerId", equalTo(partner))
                .body("taxId", equalTo("DE123456789")).body("version", equalTo(1)).body("status", equalTo("VALID"));

        // A correction with the current ETag makes version 2 of the same profile.
        String nextYear = LocalDate.now().plusYears(2).toString();
        Map<String, Object> correction = Map.of("country", "DE", "taxForm", "W8BEN", "taxId", "DE987654321",
                "expiresOn", nextYear);
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("If-Match", "\"1\"").body(correction)
                .put(location).then().statusCode(200).header("ETag", "\"2\"").body("id", equalTo(id))
                .body("version", equalTo(2)).body("taxId", equalTo("DE987654321")).body("taxForm", equalTo("W8BEN"))
                .body("expiresOn", equalTo(nextYear)).body("partnerId", equalTo(partner));
        given().auth().oauth2(admin).get(location).then().statusCode(200).header("ETag", "\"2\"")
                .body("taxId", equalTo("DE987654321"));
        // The list shows the one profile, corrected (not a second profile).
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/tax-profiles").then().statusCode(200)
                .body("totalItems", equalTo(1)).body("items[0].version", equalTo(2));

        // The history: every version, newest first; the replaced one closed.
        String user = TestUsers.create(org, "INCENTIVE_USER").token();
        given().auth().oauth2(user).get(location + "/versions").then().statusCode(200)
                .body("totalItems", equalTo(2))
                .body("items[0].version", equalTo(2)).body("items[0].taxId", equalTo("DE987654321"))
                .body("items[0].supersededAt", nullValue())
                .body("items[1].version", equalTo(1)).body("items[1].taxId", equalTo("DE123456789"))
                .body("items[1].taxForm", equalTo("W8BENE")).body("items[1].supersededAt", notNullValue());

        // A stale ETag is a 412 naming the current one; nothing changes.
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(Map.of("country", "DE", "taxForm", "NONE", "taxId", "DE111111111", "expiresOn", nextYear))
                .put(location).then().statusCode(412).contentType(PROBLEM).header("ETag", "\"2\"")
                .body("type", equalTo("/problems/precondition-failed")).body("currentETag", equalTo("\"2\""));
        // No If-Match: 428. A weak tag never matches (strong comparison); a malformed one is a 400 naming it.
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(correction).put(location).then()
                .statusCode(428).contentType(PROBLEM).body("type", equalTo("/problems/precondition-required"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("If-Match", "W/\"2\"").body(correction)
                .put(location).then().statusCode(412).contentType(PROBLEM);
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("If-Match", "2").body(correction)
                .put(location).then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("If-Match"));
        given().auth().oauth2(admin).get(location).then().statusCode(200).header("ETag", "\"2\"")
                .body("taxId", equalTo("DE987654321"));
        // One of several tags, or *, matches.
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("If-Match", "\"7\", \"2\"")
                .body(correction).put(location).then().statusCode(200).header("ETag", "\"3\"");
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("If-Match", "*").body(correction)
                .put(location).then().statusCode(200).header("ETag", "\"4\"");
    }

    @Test
    void anInvalidTaxCorrectionReportsEveryFieldAndChangesNothing() {
        UUID org = UUID.randomUUID();
        String partner = PayoutFixture.addLocation(org, "DE");
        String admin = TestUsers.create(org, "GLOBAL_ADMIN").token();
        String id = PayoutFixture.createTaxProfile(admin, org, partner);
        String path = "/api/v1/organizations/" + org + "/tax-profiles/" + id;

        // The rules of creation: a US profile is W9 with an EIN, and the expiry is not in the past.
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(Map.of("country", "US", "taxForm", "W8BEN", "taxId", "123", "expiresOn", "2000-01-01"))
                .put(path).then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("/problems/validation-failed"))
                .body("errors.field", containsInAnyOrder("taxForm", "taxId", "expiresOn"));
        // Missing fields are each named; the location cannot be changed (an unknown field here).
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("If-Match", "\"1\"").body(Map.of())
                .put(path).then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", containsInAnyOrder("country", "taxForm", "taxId", "expiresOn"));
        Map<String, Object> moved = new HashMap<>(PayoutFixture.taxProfileBody(partner));
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("If-Match", "\"1\"").body(moved)
                .put(path).then().statusCode(400).contentType(PROBLEM).body("errors.field", equalTo(List.of(
                        "partnerId")));
        given().auth().oauth2(admin).get(path).then().statusCode(200).header("ETag", "\"1\"")
                .body("taxId", equalTo("DE123456789"));
        given().auth().oauth2(admin).get(path + "/versions").then().statusCode(200).body("totalItems", equalTo(1));
    }

    @Test
    void aBankCorrectionGoesThroughValidationAgainAndEnrollmentIsTold() {
        UUID org = UUID.randomUUID();
        String partner = PayoutFixture.addLocation(org, "DE");
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        PayoutFixture.createTaxProfile(admin, org, partner);
        ExtractableResponse<Response> created = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(PayoutFixture.bankBody("Main", "DE", "EUR", DE_IBAN, DE_BIC))
                .post("/api/v1/organizations/" + org + "/payment-profiles").then().statusCode(201)
                .header("ETag", "\"1\"").extract();
        String id = created.path("id");
        String location = created.header("Location");
        awaitStatus(admin, location, "APPROVED");
        given().auth().oauth2(admin).get(location).then().statusCode(200).header("ETag", "\"1\"")
                .body("id", equalTo(id)).body("maskedAccount", equalTo("****3000")).body("version", equalTo(1))
                .body(not(containsString("0532013000")));

        try (TestEvents events = TestEvents.listen("payout.events")) {
            // Corrected to an account no bank would pay (a German IBAN, British bank country): the formats pass,
            // so version 2 is PENDING_VALIDATION, then the bank validation asks for action with the reason.
            given().auth().oauth2(admin).contentType(ContentType.JSON).header("If-Match", "\"1\"")
                    .body(PayoutFixture.bankBody("Main", "GB", "GBP", DE_IBAN, "NWBKGB2L")).put(location).then()
                    .statusCode(200).header("ETag", "\"2\"").body("id", equalTo(id)).body("version", equalTo(2))
                    .body("status", equalTo("PENDING_VALIDATION")).body("statusReason", nullValue())
                    .body("bankCountry", equalTo("GB"));
            awaitStatus(admin, location, "ACTION_REQUIRED");
            given().auth().oauth2(admin).get(location).then().statusCode(200).header("ETag", "\"2\"")
                    .body("statusReason", containsString("IBAN is of country DE"));
            List<JsonNode> refused = events.await(e -> "PayoutProfileStatusChanged".equals(e.path("type").asText())
                    && partner.equals(e.path("aggregateId").asText())
                    && "ACTION_REQUIRED".equals(e.path("data").path("bankProfile").asText()), 1);
            assertThat(refused.get(0).path("data").path("status").asText()).isEqualTo("INCOMPLETE");

            // Corrected again, to a good account: version 3, validated, the location complete again.
            Map<String, Object> good = PayoutFixture.bankBody("Main account", "DE", "EUR", "DE44500105175407324931",
                    "INGDDEFFXXX");
            given().auth().oauth2(admin).contentType(ContentType.JSON).header("If-Match", "\"2\"").body(good)
                    .put(location).then().statusCode(200).header("ETag", "\"3\"")
                    .body("maskedAccount", equalTo("****4931")).body("name", equalTo("Main account"));
            awaitStatus(admin, location, "APPROVED");
            events.await(e -> "PayoutProfileStatusChanged".equals(e.path("type").asText())
                    && partner.equals(e.path("aggregateId").asText())
                    && "COMPLETE".equals(e.path("data").path("status").asText()), 1);
            // Between the two, the pending check was told too (VALIDATING), for each correction.
            assertThat(events.records().stream().filter(r -> r.key().equals(partner)
                    && r.value().contains("\"VALIDATING\"")).count()).isGreaterThanOrEqualTo(1);
        }

        // The history keeps each version with the outcome its validation reached; accounts masked.
        String user = TestUsers.create(org, "INCENTIVE_USER").token();
        given().auth().oauth2(user).get(location + "/versions").then().statusCode(200)
                .body("totalItems", equalTo(3))
                .body("items.version", equalTo(List.of(3, 2, 1)))
                .body("items.status", equalTo(List.of("APPROVED", "ACTION_REQUIRED", "APPROVED")))
                .body("items[1].statusReason", containsString("IBAN is of country DE"))
                .body("items.maskedAccount", equalTo(List.of("****4931", "****3000", "****3000")))
                .body("items[0].supersededAt", nullValue()).body("items[2].supersededAt", notNullValue())
                .body(not(containsString("0532013000"))).body(not(containsString("5407324931")));
    }

    /**
     * An IBAN profile corrected to a Japanese account, then to a Korean one, then refused as an invalid Japanese one:
     * each version keeps its own codes (none left over from the one before), and the history shows them.
     */
    @Test
    void aBankProfileIsCorrectedToAJapaneseThenAKoreanAccountAndEachVersionKeepsItsCodes() {
        UUID org = UUID.randomUUID();
        // A location in each bank's country, so no version waits for an operator's review as a foreign bank.
        PayoutFixture.addLocation(org, "JP");
        PayoutFixture.addLocation(org, "DE");
        PayoutFixture.addLocation(org, "KR");
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        String id = PayoutFixture.createBankProfile(admin, org,
                PayoutFixture.bankBody("Main", "DE", "EUR", DE_IBAN, DE_BIC), "APPROVED");
        String location = "/api/v1/organizations/" + org + "/payment-profiles/" + id;

        given().auth().oauth2(admin).contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(PayoutFixture.jpBankBody("Main", "JPY")).put(location).then().statusCode(200)
                .header("ETag", "\"2\"").body("version", equalTo(2)).body("status", equalTo("PENDING_VALIDATION"))
                .body("accountKind", equalTo("ZENGIN")).body("maskedAccount", equalTo("****4567"))
                .body("bic", nullValue()).body("bankCode", equalTo("0005")).body("branchCode", equalTo("001"))
                .body("accountType", equalTo("ORDINARY")).body("accountHolderKana", equalTo("ｶ)ｱｸﾒ"));
        awaitStatus(admin, location, "APPROVED");

        Map<String, Object> korean = PayoutFixture.krBankBody("Main", "KRW");
        korean.put("accountNumber", "110-123-456789");
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("If-Match", "\"2\"").body(korean)
                .put(location).then().statusCode(200).header("ETag", "\"3\"")
                .body("accountKind", equalTo("KR_ACCOUNT")).body("maskedAccount", equalTo("****6789"))
                .body("bankCode", equalTo("004")).body("branchCode", nullValue()).body("accountType", nullValue())
                .body("accountHolderKana", nullValue());
        awaitStatus(admin, location, "APPROVED");

        // Checked as at creation: every wrong field named, nothing changed.
        Map<String, Object> wrong = PayoutFixture.jpBankBody("Main", "JPY");
        wrong.put("branchCode", "12");
        wrong.put("accountHolderKana", "ｱｸﾒ株式会社");
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("If-Match", "\"3\"").body(wrong)
                .put(location).then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", containsInAnyOrder("branchCode", "accountHolderKana"))
                .body("errors.code", containsInAnyOrder("branch-code-jp", "account-holder-kana"));
        given().auth().oauth2(admin).get(location).then().statusCode(200).header("ETag", "\"3\"")
                .body("accountKind", equalTo("KR_ACCOUNT"));

        given().auth().oauth2(admin).get(location + "/versions").then().statusCode(200)
                .body("items.version", equalTo(List.of(3, 2, 1)))
                .body("items.accountKind", equalTo(List.of("KR_ACCOUNT", "ZENGIN", "IBAN")))
                .body("items.maskedAccount", equalTo(List.of("****6789", "****4567", "****3000")))
                .body("items.bankCode", equalTo(java.util.Arrays.asList("004", "0005", null)))
                .body("items.branchCode", equalTo(java.util.Arrays.asList(null, "001", null)))
                .body("items.accountType", equalTo(java.util.Arrays.asList(null, "ORDINARY", null)))
                .body("items.accountHolderKana", equalTo(java.util.Arrays.asList(null, "ｶ)ｱｸﾒ", null)))
                .body("items.status", equalTo(List.of("APPROVED", "APPROVED", "APPROVED")))
                .body(not(containsString("1234567"))).body(not(containsString("123456789")));
    }

    @Test
    void anInvalidBankCorrectionReportsEveryFieldAndNamesMustStayUnique() {
        UUID org = UUID.randomUUID();
        PayoutFixture.addLocation(org, "DE");
        String admin = TestUsers.create(org, "GLOBAL_ADMIN").token();
        String id = PayoutFixture.createBankProfile(admin, org,
                PayoutFixture.bankBody("First", "DE", "EUR", DE_IBAN, DE_BIC), "APPROVED");
        PayoutFixture.createBankProfile(admin, org, PayoutFixture.bankBody("Second", "DE", "EUR", DE_IBAN, DE_BIC),
                "APPROVED");
        String path = "/api/v1/organizations/" + org + "/payment-profiles/" + id;

        Map<String, Object> bad = PayoutFixture.bankBody("First", "XX", "EURO", "DE89370400440532013001", "COBA-DEFF");
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("If-Match", "\"1\"").body(bad).put(path)
                .then().statusCode(400).contentType(PROBLEM).body("type", equalTo("/problems/validation-failed"))
                .body("errors.field", containsInAnyOrder("bankCountry", "currency", "iban", "bic"));
        Map<String, Object> missing = new HashMap<>();
        missing.put("method", "BANK_TRANSFER");
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("If-Match", "\"1\"").body(missing)
                .put(path).then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", containsInAnyOrder("name", "bankCountry", "currency", "beneficiary"));
        // Another profile's name is taken; keeping its own name is fine.
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(PayoutFixture.bankBody("Second", "DE", "EUR", DE_IBAN, DE_BIC)).put(path).then()
                .statusCode(409).contentType(PROBLEM).body("field", equalTo("name"));
        given().auth().oauth2(admin).get(path).then().statusCode(200).header("ETag", "\"1\"")
                .body("status", equalTo("APPROVED"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(PayoutFixture.bankBody("First", "DE", "EUR", DE_IBAN, DE_BIC)).put(path).then()
                .statusCode(200).header("ETag", "\"2\"");
        // Stale and missing If-Match, as for tax profiles.
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(PayoutFixture.bankBody("First", "DE", "EUR", DE_IBAN, DE_BIC)).put(path).then()
                .statusCode(412).contentType(PROBLEM).header("ETag", "\"2\"");
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(PayoutFixture.bankBody("First", "DE", "EUR", DE_IBAN, DE_BIC)).put(path).then()
                .statusCode(428).contentType(PROBLEM);
    }

    @Test
    void rolesAndTenancyOfReadsAndCorrections() {
        UUID org = UUID.randomUUID();
        String partner = PayoutFixture.addLocation(org, "DE");
        String other = PayoutFixture.addLocation(org, "DE");
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        String taxId = PayoutFixture.createTaxProfile(admin, org, partner);
        String bankId = PayoutFixture.createBankProfile(admin, org,
                PayoutFixture.bankBody("Main", "DE", "EUR", DE_IBAN, DE_BIC), "APPROVED");
        String tax = "/api/v1/organizations/" + org + "/tax-profiles/" + taxId;
        String bank = "/api/v1/organizations/" + org + "/payment-profiles/" + bankId;
        Map<String, Object> taxBody = Map.of("country", "DE", "taxForm", "W8BENE", "taxId", "DE123456789",
                "expiresOn", LocalDate.now().plusYears(1).toString());
        Map<String, Object> bankBody = PayoutFixture.bankBody("Main", "DE", "EUR", DE_IBAN, DE_BIC);

        // Readers read; an incentive user corrects nothing (403 before anything else).
        String user = TestUsers.create(org, "INCENTIVE_USER").token();
        for (String path : List.of(tax, bank, tax + "/versions", bank + "/versions")) {
            given().auth().oauth2(user).get(path).then().statusCode(200);
            given().auth().oauth2(TestTokens.operator()).get(path).then().statusCode(200);
        }
        given().auth().oauth2(user).contentType(ContentType.JSON).header("If-Match", "\"1\"").body(taxBody)
                .put(tax).then().statusCode(403).contentType(PROBLEM);
        given().auth().oauth2(user).contentType(ContentType.JSON).header("If-Match", "\"1\"").body(bankBody)
                .put(bank).then().statusCode(403).contentType(PROBLEM);
        // The vendor's operator reads every organization's, but corrects none (a partner's own data).
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(taxBody).put(tax).then().statusCode(403);

        // Another organization's admin: 404 on every path, whether through its own organization or ours.
        UUID strangerOrg = UUID.randomUUID();
        String stranger = TestUsers.create(strangerOrg, "GLOBAL_ADMIN").token();
        String theirTax = "/api/v1/organizations/" + strangerOrg + "/tax-profiles/" + taxId;
        String theirBank = "/api/v1/organizations/" + strangerOrg + "/payment-profiles/" + bankId;
        for (String path : List.of(tax, bank, tax + "/versions", bank + "/versions", theirTax, theirBank,
                theirTax + "/versions", theirBank + "/versions")) {
            given().auth().oauth2(stranger).get(path).then().statusCode(404).contentType(PROBLEM)
                    .body(not(containsString("DE123456789")));
        }
        for (String path : List.of(tax, theirTax)) {
            given().auth().oauth2(stranger).contentType(ContentType.JSON).header("If-Match", "\"1\"").body(taxBody)
                    .put(path).then().statusCode(404).contentType(PROBLEM);
        }
        for (String path : List.of(bank, theirBank)) {
            given().auth().oauth2(stranger).contentType(ContentType.JSON).header("If-Match", "\"1\"").body(bankBody)
                    .put(path).then().statusCode(404).contentType(PROBLEM);
        }
        // Without If-Match too: tenancy answers first, so a stranger learns nothing from a 428.
        given().auth().oauth2(stranger).contentType(ContentType.JSON).body(taxBody).put(theirTax).then()
                .statusCode(404);

        // An incentive admin limited to another location does not see this location's tax profile.
        String limited = TestUsers.create(org, List.of("INCENTIVE_ADMIN"), List.of(other)).token();
        given().auth().oauth2(limited).get(tax).then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2(limited).contentType(ContentType.JSON).header("If-Match", "\"1\"").body(taxBody)
                .put(tax).then().statusCode(404);
        // An unknown id is the same 404, and so is one that is not an id at all (as on every path of the API).
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/tax-profiles/" + UUID.randomUUID())
                .then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/payment-profiles/not-a-uuid").then()
                .statusCode(404).contentType(PROBLEM);
        // Machines and anonymous callers.
        given().auth().oauth2(TestTokens.billingSystem()).get(tax).then().statusCode(403);
        given().auth().oauth2(TestTokens.bankConnector()).get(bank).then().statusCode(403);
        given().get(bank).then().statusCode(401).contentType(PROBLEM);
        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(bankBody).put(bank).then()
                .statusCode(401);
        // Nothing above changed the profiles.
        given().auth().oauth2(admin).get(tax).then().statusCode(200).header("ETag", "\"1\"");
        given().auth().oauth2(admin).get(bank).then().statusCode(200).header("ETag", "\"1\"");
    }

    private static void awaitStatus(String token, String location, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> status.equals(given().auth().oauth2(token).get(location)
                .then().statusCode(200).extract().path("status")));
    }
}
