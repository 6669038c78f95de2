package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.PayoutFixture;
import com.acme.incentives.payout.encryption.FieldEncryption;
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
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
public class ProfileResourceTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    FieldEncryption encryption;

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
    void profileChangesAreInTheOrganizationsAuditLogMaskedWithWhoMadeThem() {
        UUID org = UUID.randomUUID();
        String partner = PayoutFixture.addLocation(org, "DE");
        TestUsers.TestUser admin = TestUsers.create(org, "GLOBAL_ADMIN");
        String token = admin.token();
        try (TestEvents events = TestEvents.listen("payout.events")) {
            String taxId = PayoutFixture.createTaxProfile(token, org, partner);
            given().auth().oauth2(token).contentType(ContentType.JSON).header("If-Match", "\"1\"")
                    .header("X-Correlation-Id", "tax-fix-" + org)
                    .body(Map.of("country", "DE", "taxForm", "W8BEN", "taxId", "DE987654321", "expiresOn",
                            LocalDate.now().plusYears(2).toString()))
                    .put("/api/v1/organizations/" + org + "/tax-profiles/" + taxId).then().statusCode(200);
            String bankId = PayoutFixture.createBankProfile(token, org,
                    PayoutFixture.bankBody("Main", "DE", "EUR", "DE89 3704 0044 0532 0130 00", DE_BIC), "APPROVED");
            PayoutFixture.assign(token, partner, bankId, false);
            PayoutFixture.assign(token, partner, bankId, false); // the same again: no change, no entry
            PayoutFixture.assign(token, partner, bankId, true);

            List<JsonNode> audit = events.await(TestEvents.ofType("AuditRecorded", org.toString()), 5,
                    Duration.ofSeconds(30), Duration.ofSeconds(2));
            assertThat(audit).extracting(e -> e.path("data").path("action").asText()).containsExactly(
                    "TAX_PROFILE_CREATED", "TAX_PROFILE_CORRECTED", "BANK_PROFILE_CREATED",
                    "PAYOUT_ASSIGNMENT_CHANGED", "PAYOUT_ASSIGNMENT_CHANGED");
            // the assignment said again is not a change
            assertThat(audit.get(4).path("data").path("details").path("holdPayment").asBoolean()).isTrue();
            for (JsonNode entry : audit) {
                JsonNode data = entry.path("data");
                assertThat(data.path("organizationId").asText()).isEqualTo(org.toString());
                assertThat(data.path("service").asText()).isEqualTo("payout-service");
                assertThat(data.path("actor").path("subject").asText()).isEqualTo(admin.id());
                assertThat(data.path("actor").path("kind").asText()).isEqualTo("USER");
                assertThat(data.path("actor").path("name").asText()).isEqualTo(admin.username() + "@test.example");
                assertThat(data.path("correlationId").asText()).isNotBlank();
                // never a tax id or an account number: the last four only
                assertThat(entry.toString()).doesNotContain("DE123456789").doesNotContain("DE987654321")
                        .doesNotContain("0532013000");
            }
            JsonNode corrected = audit.get(1).path("data");
            assertThat(corrected.path("targetId").asText()).isEqualTo(taxId);
            assertThat(corrected.path("correlationId").asText()).isEqualTo("tax-fix-" + org);
            assertThat(corrected.path("details").path("version").asInt()).isEqualTo(2);
            assertThat(corrected.path("details").path("taxIdLast4").asText()).isEqualTo("****4321");
            JsonNode bank = audit.get(2).path("data");
            assertThat(bank.path("targetType").asText()).isEqualTo("BANK_PROFILE");
            assertThat(bank.path("details").path("maskedAccount").asText()).isEqualTo("****3000");
            assertThat(audit.get(3).path("data").path("targetId").asText()).isEqualTo(partner + "/"
                    + PayoutFixture.PROGRAM);
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
        // A US account with a valid routing number is accepted (for an organization with a US location: a bank in
        // a country of none of its locations would wait for an operator's review, BankProfileReviewTest).
        PayoutFixture.addLocation(org, "US");
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
    void japaneseAndKoreanAccountsAreKeptEncryptedShownMaskedWithTheirCodesAndApproved() throws Exception {
        UUID org = UUID.randomUUID();
        // Locations in both countries, so neither bank is one of a country without a location (an operator's review).
        PayoutFixture.addLocation(org, "JP");
        PayoutFixture.addLocation(org, "KR");
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        String path = "/api/v1/organizations/" + org + "/payment-profiles";

        String jp = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(PayoutFixture.jpBankBody("Tokyo", "JPY")).post(path).then().statusCode(201)
                .body("accountKind", equalTo("ZENGIN")).body("maskedAccount", equalTo("****4567"))
                .body("bankCode", equalTo("0005")).body("branchCode", equalTo("001"))
                .body("accountType", equalTo("ORDINARY")).body("accountHolderKana", equalTo("ｶ)ｱｸﾒ"))
                .body("beneficiary", equalTo("Acme Japan K.K.")).body("status", equalTo("PENDING_VALIDATION"))
                .body(not(containsString("1234567"))).extract().path("id");
        // The hyphens of a Korean number are not part of it: masked, stored and paid without them.
        String kr = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(PayoutFixture.krBankBody("Seoul", "KRW")).post(path).then().statusCode(201)
                .body("accountKind", equalTo("KR_ACCOUNT")).body("maskedAccount", equalTo("****9012"))
                .body("bankCode", equalTo("004")).body("branchCode", equalTo(null))
                .body("accountType", equalTo(null)).body("accountHolderKana", equalTo(null))
                .body(not(containsString("789012"))).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> "APPROVED".equals(PayoutFixture.bankStatus(admin, org, jp))
                && "APPROVED".equals(PayoutFixture.bankStatus(admin, org, kr)));

        String user = TestUsers.create(org, "INCENTIVE_USER").token();
        given().auth().oauth2(user).get(path + "/" + jp).then().statusCode(200)
                .body("accountKind", equalTo("ZENGIN")).body("maskedAccount", equalTo("****4567"))
                .body("bankCode", equalTo("0005")).body("branchCode", equalTo("001"))
                .body("accountType", equalTo("ORDINARY")).body("accountHolderKana", equalTo("ｶ)ｱｸﾒ"))
                .body("status", equalTo("APPROVED")).body("statusReason", equalTo(null));
        given().auth().oauth2(user).get(path + "/" + jp + "/versions").then().statusCode(200)
                .body("items[0].accountKind", equalTo("ZENGIN")).body("items[0].bankCode", equalTo("0005"))
                .body("items[0].branchCode", equalTo("001")).body("items[0].accountType", equalTo("ORDINARY"))
                .body("items[0].accountHolderKana", equalTo("ｶ)ｱｸﾒ"))
                .body("items[0].maskedAccount", equalTo("****4567")).body(not(containsString("1234567")));
        given().auth().oauth2(user).get(path + "/" + kr + "/versions").then().statusCode(200)
                .body("items[0].accountKind", equalTo("KR_ACCOUNT")).body("items[0].bankCode", equalTo("004"))
                .body("items[0].status", equalTo("APPROVED"));

        // At rest: the account number encrypted (the normalised one), the codes in clear, on the profile and its
        // version alike.
        for (String table : List.of("bank_profile", "bank_profile_version")) {
            String key = table.equals("bank_profile") ? "id" : "profile_id";
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                    "SELECT account_ciphertext, account_last4, bank_code, branch_code, account_type,"
                            + " account_holder_kana FROM " + table + " WHERE " + key + " = ?")) {
                s.setObject(1, UUID.fromString(jp));
                try (ResultSet rs = s.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).startsWith("v1:").doesNotContain("1234567");
                    assertThat(encryption.decrypt(rs.getString(1))).isEqualTo("1234567");
                    assertThat(rs.getString(2)).isEqualTo("4567");
                    assertThat(List.of(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)))
                            .containsExactly("0005", "001", "ORDINARY", "ｶ)ｱｸﾒ");
                }
                s.setObject(1, UUID.fromString(kr));
                try (ResultSet rs = s.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(encryption.decrypt(rs.getString(1))).isEqualTo("123456789012");
                    assertThat(rs.getString(3)).isEqualTo("004");
                }
            }
        }
    }

    @Test
    void aJapaneseAccountOutsideJpyOrAKoreanOneOutsideKrwNeedsActionWithTheReason() {
        UUID org = UUID.randomUUID();
        PayoutFixture.addLocation(org, "JP");
        String admin = TestUsers.create(org, "GLOBAL_ADMIN").token();
        String jp = PayoutFixture.createBankProfile(admin, org, PayoutFixture.jpBankBody("JP in USD", "USD"),
                "ACTION_REQUIRED");
        String kr = PayoutFixture.createBankProfile(admin, org, PayoutFixture.krBankBody("KR in JPY", "JPY"),
                "ACTION_REQUIRED");
        String path = "/api/v1/organizations/" + org + "/payment-profiles/";
        given().auth().oauth2(admin).get(path + jp).then().statusCode(200)
                .body("statusReason", equalTo("A Japanese (Zengin) account is paid in JPY only, not USD"))
                .body("statusReasonCode", equalTo("ZENGIN_NOT_JPY"));
        given().auth().oauth2(admin).header("Accept-Language", "ja").get(path + jp).then().statusCode(200)
                .body("statusReason", equalTo("日本の口座（全銀）への支払いは JPY のみです（USD は使用できません）"));
        given().auth().oauth2(admin).get(path + kr).then().statusCode(200)
                .body("statusReason", equalTo("A Korean account is paid in KRW only, not JPY"))
                .body("statusReasonCode", equalTo("KOREAN_ACCOUNT_NOT_KRW"));
        given().auth().oauth2(admin).header("Accept-Language", "ko").get(path + kr).then().statusCode(200)
                .body("statusReason", equalTo("한국 계좌는 KRW로만 지급됩니다(JPY은(는) 사용할 수 없습니다)"));
        // A BIC of another country than the bank's is refused as for any account.
        Map<String, Object> bic = PayoutFixture.jpBankBody("JP with a German BIC", "JPY");
        bic.put("bic", DE_BIC);
        String wrongBic = PayoutFixture.createBankProfile(admin, org, bic, "ACTION_REQUIRED");
        given().auth().oauth2(admin).get(path + wrongBic).then().statusCode(200)
                .body("statusReason", containsString("BIC is of country DE"));
    }

    @Test
    void eachInvalidJapaneseOrKoreanFieldIsA400NamingItWithItsCodeInTheCallersLanguage() {
        UUID org = UUID.randomUUID();
        PayoutFixture.addLocation(org, "JP");
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        String path = "/api/v1/organizations/" + org + "/payment-profiles";

        badCode(admin, path, jp("bankCode", "005"), "bankCode", "bank-code-jp");
        badCode(admin, path, jp("bankCode", null), "bankCode", "bank-code-jp");
        badCode(admin, path, jp("branchCode", "01"), "branchCode", "branch-code-jp");
        badCode(admin, path, jp("branchCode", null), "branchCode", "branch-code-jp");
        badCode(admin, path, jp("accountType", "SAVINGS"), "accountType", "account-type-jp");
        badCode(admin, path, jp("accountType", "普通"), "accountType", "account-type-jp");
        badCode(admin, path, jp("accountType", null), "accountType", "account-type-jp");
        badCode(admin, path, jp("accountNumber", "123456"), "accountNumber", "account-number-jp");
        badCode(admin, path, jp("accountNumber", "12345678"), "accountNumber", "account-number-jp");
        badCode(admin, path, jp("accountNumber", null), "accountNumber", "account-number-jp");
        badCode(admin, path, jp("accountHolderKana", "アクメ"), "accountHolderKana", "account-holder-kana");
        badCode(admin, path, jp("accountHolderKana", "ｱ".repeat(31)), "accountHolderKana", "account-holder-kana");
        badCode(admin, path, jp("accountHolderKana", "acme"), "accountHolderKana", "account-holder-kana");
        badCode(admin, path, jp("accountHolderKana", null), "accountHolderKana", "account-holder-kana");
        badCode(admin, path, jp("iban", PayoutFixture.DE_IBAN), "iban", "not-for-domestic-account");
        badCode(admin, path, jp("routingNumber", "021000021"), "routingNumber", "not-for-domestic-account");
        badCode(admin, path, jp("bic", "MHCB-JPJT"), "bic", "bic-invalid");

        badCode(admin, path, kr("bankCode", "4"), "bankCode", "bank-code-kr");
        badCode(admin, path, kr("bankCode", "0005"), "bankCode", "bank-code-kr");
        badCode(admin, path, kr("accountNumber", "123-456-789"), "accountNumber", "account-number-kr");
        badCode(admin, path, kr("accountNumber", "123456789012345"), "accountNumber", "account-number-kr");
        badCode(admin, path, kr("accountNumber", "123-456-78901A"), "accountNumber", "account-number-kr");
        badCode(admin, path, kr("accountNumber", "123--456-789012"), "accountNumber", "account-number-kr");
        badCode(admin, path, kr("branchCode", "001"), "branchCode", "jp-account-only");
        badCode(admin, path, kr("accountType", "ORDINARY"), "accountType", "jp-account-only");
        badCode(admin, path, kr("accountHolderKana", "ｱｸﾒ"), "accountHolderKana", "jp-account-only");
        badCode(admin, path, kr("iban", PayoutFixture.DE_IBAN), "iban", "not-for-domestic-account");

        // The domestic fields mean nothing for another country, nor for a credit note.
        Map<String, Object> de = PayoutFixture.bankBody("de", "DE", "EUR", DE_IBAN, DE_BIC);
        de.put("bankCode", "0005");
        de.put("accountHolderKana", "ｱｸﾒ");
        badCode(admin, path, de, "bankCode", "bank-code-jp-kr-only");
        badCode(admin, path, de, "accountHolderKana", "jp-account-only");
        Map<String, Object> note = PayoutFixture.bankBody("note", "JP", "JPY", null, null);
        note.put("method", "CREDIT_NOTE");
        note.put("bankCode", "0005");
        badCode(admin, path, note, "bankCode", "credit-note-without-account");

        // Every wrong field of one body in one answer, in the caller's language.
        Map<String, Object> all = PayoutFixture.jpBankBody("all wrong", "JPY");
        all.putAll(Map.of("bankCode", "5", "branchCode", "1", "accountType", "当座", "accountNumber", "1",
                "accountHolderKana", "アクメ"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("Accept-Language", "ja").body(all)
                .post(path).then().statusCode(400).contentType("application/problem+json")
                .header("Content-Language", "ja")
                .body("errors.field", hasItems("bankCode", "branchCode", "accountType", "accountNumber",
                        "accountHolderKana"))
                .body("errors.find { it.field == 'accountNumber' }.code", equalTo("account-number-jp"))
                .body("errors.find { it.field == 'accountNumber' }.message",
                        equalTo("日本の口座では 7 桁の口座番号を指定してください"))
                .body("errors.find { it.field == 'accountType' }.message",
                        equalTo("日本の口座では ORDINARY（普通）または CURRENT（当座）を指定してください"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("Accept-Language", "ko-KR")
                .body(kr("accountNumber", "12")).post(path).then().statusCode(400).header("Content-Language", "ko")
                .body("errors.find { it.field == 'accountNumber' }.message",
                        equalTo("한국 계좌에는 10~14자리 숫자여야 합니다(숫자 사이의 하이픈 허용)"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(kr("accountNumber", "12")).post(path).then()
                .statusCode(400).header("Content-Language", "en")
                .body("errors.find { it.field == 'accountNumber' }.message",
                        equalTo("must be 10 to 14 digits for a Korean account (hyphens between digits are allowed)"));
        // Nothing was stored.
        given().auth().oauth2(admin).get(path).then().statusCode(200).body("items.size()", equalTo(0));
    }

    private static Map<String, Object> jp(String field, Object value) {
        Map<String, Object> body = PayoutFixture.jpBankBody("jp " + field, "JPY");
        body.put(field, value);
        return body;
    }

    private static Map<String, Object> kr(String field, Object value) {
        Map<String, Object> body = PayoutFixture.krBankBody("kr " + field, "KRW");
        body.put(field, value);
        return body;
    }

    /** A 400 problem whose errors name {@code field} with {@code code}. */
    private static void badCode(String token, String path, Map<String, Object> body, String field, String code) {
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post(path).then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("/problems/validation-failed"))
                .body("errors.find { it.field == '" + field + "' }.code", equalTo(code));
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
