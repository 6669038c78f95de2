package com.acme.incentives.e2e.journey;

import com.acme.incentives.e2e.RunningPlatform;
import com.acme.incentives.e2e.support.BrowserSession;
import com.acme.incentives.e2e.support.Earnings;
import com.acme.incentives.e2e.support.Gateway;
import com.acme.incentives.e2e.support.Mailbox;
import com.acme.incentives.e2e.support.Organizations;
import com.acme.incentives.e2e.support.Payouts;
import com.acme.incentives.e2e.support.SampleBodies;
import com.acme.incentives.e2e.support.SecretsSeen;
import com.acme.incentives.platform.testing.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import org.htmlunit.WebResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The partner journey as a Japanese and as a Korean partner lives it, through the gateway only: names in their own
 * script from registration to the statement, the sign-in and password pages in their language, the emails in their
 * language, error answers in their language, a payment in yen or won to an account of their country's banking system,
 * written into the bank file without a minor unit and paid, a hold explained in their language, and the statement's
 * CSV as Excel on their Windows opens it.
 */
class LanguagesJourneyTest {

    private static final String PROGRAM = "csp-indirect-reseller";

    /** What differs between the two partners; everything else of the journey is the same. */
    enum Partner {
        JAPANESE("ja", "JP", "JPY", "株式会社ジャーニー", "東京本社", "花子", "山田", "T1234567890123", "150000",
                "windows-31j", "300000", new Notices("￥150,000", "￥300,000", "登録が完了しました", "送金しました",
                        "保留されています")),
        KOREAN("ko", "KR", "KRW", "주식회사 저니", "서울 본사", "지민", "김", "123-45-67890", "1500000",
                "x-windows-949", "3000000", new Notices("₩1,500,000", "₩3,000,000", "등록이 완료되었습니다",
                        "송금했습니다", "보류되었습니다"));

        /**
         * How the notification emails' subjects read in this partner's language: the two payments' amounts as its
         * people write money, and what each email's subject says.
         */
        record Notices(String amount, String nextAmount, String enrolled, String sent, String held) {
        }

        final String language;
        final String country;
        final String currency;
        final String organization;
        final String location;
        final String firstName;
        final String lastName;
        final String taxId;
        final String amount;
        /** The code page Excel on this country's Windows reads a CSV in when it has no byte-order mark. */
        final String windowsCodePage;
        /** The amount of the second earning, the one the admin holds. */
        final String nextAmount;
        final Notices notices;

        Partner(String language, String country, String currency, String organization, String location,
                String firstName, String lastName, String taxId, String amount, String windowsCodePage,
                String nextAmount, Notices notices) {
            this.language = language;
            this.country = country;
            this.currency = currency;
            this.organization = organization;
            this.location = location;
            this.firstName = firstName;
            this.lastName = lastName;
            this.taxId = taxId;
            this.amount = amount;
            this.windowsCodePage = windowsCodePage;
            this.nextAmount = nextAmount;
            this.notices = notices;
        }

        /** Text in this partner's script (kana or kanji; hangul). */
        boolean inScript(String text) {
            return text != null && (language.equals("ja")
                    ? text.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HIRAGANA
                            || Character.UnicodeScript.of(c) == Character.UnicodeScript.KATAKANA
                            || Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)
                    : text.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HANGUL));
        }
    }

    @BeforeAll
    static void platform() {
        RunningPlatform.ensureStarted();
    }

    @ParameterizedTest
    @EnumSource(Partner.class)
    void aPartnerLivesTheJourneyInItsLanguage(Partner p) throws Exception {
        String operator = TestTokens.operator();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String partnerId = Organizations.newPartnerId();
        String primaryEmail = "contact-" + run + "@languages.example";
        String organizationName = p.organization + " " + run;

        // 1. An operator registers the organization and its location, named in the partner's script.
        Organizations.Registered registered = Organizations.register(operator, organizationName, primaryEmail,
                p.firstName, p.lastName);
        String orgId = registered.id();
        String temporaryPassword = registered.temporaryPassword();
        Organizations.addLocation(operator, orgId, partnerId, p.location, p.country);

        // 2. The global admin signs in from a browser in the partner's language: Keycloak's pages are in it, and so
        //    are the API's error answers; names in the partner's script are kept as they are.
        String adminEmail = "admin-" + run + "@languages.example";
        String adminTemporary;
        try (BrowserSession globalAdmin = BrowserSession.signIn(primaryEmail, temporaryPassword,
                "Languages-Global-" + run, p.language)) {
            JsonNode me = globalAdmin.json(globalAdmin.get("/api/v1/me"));
            assertThat(me.toString()).contains(p.firstName);

            WebResponse refused = globalAdmin.post("/api/v1/organizations/" + orgId + "/users", json(Map.of(
                    "email", "not-an-email", "firstName", p.firstName, "lastName", p.lastName,
                    "roles", List.of("INCENTIVE_ADMIN"))));
            assertThat(refused.getStatusCode()).isEqualTo(400);
            assertThat(refused.getContentType()).isEqualTo("application/problem+json");
            assertThat(refused.getResponseHeaderValue("Content-Language")).isEqualTo(p.language);
            JsonNode problem = globalAdmin.json(refused);
            assertThat(p.inScript(problem.path("title").asText())).as("the title of %s", problem).isTrue();
            JsonNode emailError = fieldError(problem, "email");
            assertThat(emailError.path("code").asText()).isEqualTo("Email");
            assertThat(p.inScript(emailError.path("message").asText())).as("the message of %s", emailError).isTrue();

            // The global admin keeps their language for what is mailed to them; the incentive admin is created with it.
            WebResponse mine = globalAdmin.put("/api/v1/me/locale", json(Map.of("locale", p.language)));
            assertThat(mine.getStatusCode()).as(mine.getContentAsString()).isEqualTo(200);
            WebResponse admin = globalAdmin.post("/api/v1/organizations/" + orgId + "/users", json(Map.of(
                    "email", adminEmail, "firstName", p.firstName, "lastName", p.lastName + run,
                    "roles", List.of("INCENTIVE_ADMIN"), "locale", p.language)));
            assertThat(admin.getStatusCode()).as(admin.getContentAsString()).isEqualTo(201);
            JsonNode created = globalAdmin.json(admin);
            adminTemporary = SecretsSeen.remember(created.path("temporaryPassword").asText());
            assertThat(created.path("user").path("lastName").asText()).isEqualTo(p.lastName + run);
            assertThat(created.path("user").path("locale").asText()).isEqualTo(p.language);
        }

        // 3. The feed makes the location eligible: the invitation reaches the incentive admin in their language,
        //    naming the programme by its display name.
        Payouts.feedMakesEligible(TestTokens.partnerFeed(), partnerId);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> !Mailbox.messages(adminEmail).isEmpty());
        JsonNode invitationMail = Mailbox.messages(adminEmail).get(0);
        String subject = invitationMail.path("subject").asText();
        assertThat(p.inScript(subject)).as("the invitation's subject %s", subject).isTrue();
        assertThat(subject).contains("CSP Indirect Reseller incentives").contains(partnerId);
        assertThat(invitationMail.path("mimeMessage").asText()).contains("Content-Language: " + p.language)
                .contains("charset=utf-8");

        // 4. The incentive admin accepts the invitation and sets up a tax profile and an account in the country's
        //    banking system, paid in its currency.
        String period = YearMonth.now(ZoneOffset.UTC).toString();
        String bankId;
        String taxProfileId;
        try (BrowserSession incentiveAdmin = BrowserSession.signIn(adminEmail, adminTemporary,
                "Languages-Admin-" + run, p.language)) {
            String invitationId = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> incentiveAdmin.json(incentiveAdmin.get("/api/v1/organizations/" + orgId
                            + "/invitations")).path("items").path(0).path("id").asText(null), id -> id != null);
            WebResponse accepted = incentiveAdmin.post("/api/v1/invitations/" + invitationId + "/accept", null);
            assertThat(accepted.getStatusCode()).as(accepted.getContentAsString()).isEqualTo(200);

            WebResponse tax = incentiveAdmin.post("/api/v1/organizations/" + orgId + "/tax-profiles", json(Map.of(
                    "partnerId", partnerId, "country", p.country, "taxForm", "W8BENE", "taxId", p.taxId,
                    "expiresOn", LocalDate.now(ZoneOffset.UTC).plusYears(1).toString())));
            assertThat(tax.getStatusCode()).as(tax.getContentAsString()).isEqualTo(201);
            taxProfileId = incentiveAdmin.json(tax).path("id").asText();

            WebResponse bank = incentiveAdmin.post("/api/v1/organizations/" + orgId + "/payment-profiles",
                    json(BankAccounts.of(p, run)));
            assertThat(bank.getStatusCode()).as(bank.getContentAsString()).isEqualTo(201);
            JsonNode bankView = incentiveAdmin.json(bank);
            assertThat(bankView.toString()).doesNotContain(BankAccounts.accountNumber(p));
            bankId = bankView.path("id").asText();
            WebResponse assignment = incentiveAdmin.put("/api/v1/locations/" + partnerId + "/programs/" + PROGRAM
                    + "/payout-assignment", json(Map.of("bankProfileId", bankId, "taxProfileId", taxProfileId,
                    "holdPayment", false)));
            assertThat(assignment.getStatusCode()).as(assignment.getContentAsString()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> "ENROLLED".equals(
                    incentiveAdmin.json(incentiveAdmin.get("/api/v1/organizations/" + orgId + "/enrollments"))
                            .path("items").path(0).path("status").asText()));
        }

        // 5. Earnings in the currency, for customers named in the partner's script; an operator pays them out: the
        //    bank file carries the whole amount without a minor unit to the account of the country's system.
        Payouts.setRates(operator, period);
        Map<String, Object> earning = Earnings.rebate(partnerId, PROGRAM, p.amount);
        earning.put("earningCurrency", p.currency);
        earning.put("transactionCurrency", p.currency);
        earning.put("customer", p.organization + " 顧客");
        bearer(TestTokens.billingSystem()).body(Map.of("lines", List.of(earning))).post("/api/v1/earnings/batch")
                .then().statusCode(200);
        JsonNode payment = Payouts.payOut(operator, orgId, partnerId, period);
        assertThat(payment.path("amount").asText()).isEqualTo(p.amount);
        assertThat(payment.path("currency").asText()).isEqualTo(p.currency);
        String paymentId = payment.path("id").asText();
        Document bankFile = bankFile(operator, payment.path("payoutRunId").asText(), paymentId);
        Element transfer = transferOf(bankFile, paymentId);
        Element amount = (Element) transfer.getElementsByTagNameNS("*", "InstdAmt").item(0);
        assertThat(amount.getAttribute("Ccy")).isEqualTo(p.currency);
        assertThat(amount.getTextContent()).as("no minor unit in %s", p.currency).isEqualTo(p.amount);
        BankAccounts.assertCreditor(p, transfer);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> "PAID".equals(
                Payouts.paymentDetail(operator, orgId, paymentId).path("payment").path("status").asText()));
        // Nobody had to poll: the incentive admin was told once, in their language, that the enrolment completed and
        // that the payment was sent; the global admin, not of the incentive team, was not told of the money.
        Mailbox.onlyMessages(new Mailbox.One(adminEmail, p.notices.enrolled(), partnerId),
                new Mailbox.One(adminEmail, p.notices.sent(), p.notices.amount(), partnerId))
                .forEach(mail -> assertMailedInLanguage(mail, p));
        assertThat(Mailbox.withSubject(primaryEmail, p.notices.sent())).isEmpty();

        // 6. The admin holds the next payment: its reason is a code, what to do about it is in their language.
        try (BrowserSession incentiveAdmin = BrowserSession.signIn(adminEmail, "Languages-Admin-" + run, null,
                p.language)) {
            WebResponse hold = incentiveAdmin.put("/api/v1/locations/" + partnerId + "/programs/" + PROGRAM
                    + "/payout-assignment", json(Map.of("bankProfileId", bankId, "taxProfileId", taxProfileId,
                    "holdPayment", true)));
            assertThat(hold.getStatusCode()).as(hold.getContentAsString()).isEqualTo(200);
            Map<String, Object> next = Earnings.rebate(partnerId, PROGRAM, p.nextAmount);
            next.put("earningCurrency", p.currency);
            next.put("transactionCurrency", p.currency);
            bearer(TestTokens.billingSystem()).body(Map.of("lines", List.of(next))).post("/api/v1/earnings/batch")
                    .then().statusCode(200);
            JsonNode[] held = new JsonNode[1];
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(3)).until(() -> {
                Payouts.runPayout(operator, partnerId, period);
                for (JsonNode candidate : incentiveAdmin.json(incentiveAdmin.get("/api/v1/organizations/" + orgId
                        + "/payments?status=ON_HOLD")).path("items")) {
                    if (candidate.path("holdReasons").toString().contains("PARTNER_HOLD")) {
                        held[0] = candidate;
                    }
                }
                return held[0] != null;
            });
            assertThat(held[0].path("nextActions")).isNotEmpty();
            held[0].path("nextActions").forEach(action -> assertThat(p.inScript(action.asText()))
                    .as("next action %s", action).isTrue());
            // and the admin was told of the hold once, in their language, while every run since kept it on hold
            assertMailedInLanguage(Mailbox.onlyMessage(adminEmail, p.notices.held(), p.notices.nextAmount(),
                    partnerId), p);

            // 7. The statement's CSV as Excel on the partner's Windows opens it: a byte-order mark, so UTF-8, so the
            //    names in their script are intact; the columns keep their machine names.
            WebResponse csv = incentiveAdmin.getCsv("/api/v1/organizations/" + orgId + "/statements/" + period);
            assertThat(csv.getStatusCode()).isEqualTo(200);
            byte[] file = csv.getContentAsStream().readAllBytes();
            String seen = asExcelReads(file, p);
            List<Map<String, String>> rows = Csv.parse(seen);
            assertThat(rows).isNotEmpty();
            Map<String, String> paidRow = rows.stream().filter(r -> paymentId.equals(r.get("payment_id")))
                    .findFirst().orElseThrow();
            assertThat(paidRow.get("location_name")).isEqualTo(p.location);
            assertThat(paidRow.get("customer")).isEqualTo(p.organization + " 顧客");
            assertThat(paidRow.get("earning_amount")).isEqualTo(p.amount);
            assertThat(paidRow.get("earning_currency")).isEqualTo(p.currency);
        }
    }

    /** An email written in the partner's language: its subject in their script, the header saying so. */
    private static void assertMailedInLanguage(JsonNode mail, Partner p) {
        assertThat(p.inScript(mail.path("subject").asText())).as("the subject of %s", mail).isTrue();
        assertThat(mail.path("mimeMessage").asText()).contains("Content-Language: " + p.language);
    }

    /**
     * An account of the partner's country's own clearing system, and how the bank file must address it: Japan's
     * Zengin (bank code + branch code, account type, 7-digit number, holder in half-width kana) and Korea's (bank
     * code, account number), never an IBAN.
     */
    static final class BankAccounts {

        private BankAccounts() {
        }

        static Map<String, Object> of(Partner p, String run) {
            Map<String, Object> body = new java.util.HashMap<>(Map.of("name", "口座 " + run, "bankCountry", p.country,
                    "currency", p.currency, "method", "BANK_TRANSFER", "beneficiary", p.organization + " " + run));
            if (p == Partner.JAPANESE) {
                body.putAll(Map.of("bankCode", "0005", "branchCode", "001", "accountType", "ORDINARY",
                        "accountNumber", accountNumber(p), "accountHolderKana", "ｶ)ｼﾞﾔ-ﾆ-"));
            } else {
                // as printed on a Korean bankbook, with hyphens
                body.putAll(Map.of("bankCode", "004", "accountNumber", "123-456-" + accountNumber(p).substring(6)));
            }
            return body;
        }

        /** The account number as the bank file carries it (digits only). */
        static String accountNumber(Partner p) {
            return p == Partner.JAPANESE ? "7654321" : "123456789012";
        }

        static void assertCreditor(Partner p, Element transfer) {
            Element agent = (Element) transfer.getElementsByTagNameNS("*", "CdtrAgt").item(0);
            Element clearing = (Element) agent.getElementsByTagNameNS("*", "ClrSysMmbId").item(0);
            assertThat(clearing).as("the creditor's bank by its clearing-system member id").isNotNull();
            String system = clearing.getElementsByTagNameNS("*", "ClrSysId").item(0).getTextContent().trim();
            String member = clearing.getElementsByTagNameNS("*", "MmbId").item(0).getTextContent();
            Element account = (Element) transfer.getElementsByTagNameNS("*", "CdtrAcct").item(0);
            assertThat(account.getElementsByTagNameNS("*", "IBAN").getLength()).as("no IBAN").isZero();
            String accountId = ((Element) account.getElementsByTagNameNS("*", "Othr").item(0))
                    .getElementsByTagNameNS("*", "Id").item(0).getTextContent();
            assertThat(accountId).isEqualTo(accountNumber(p));
            String creditor = ((Element) transfer.getElementsByTagNameNS("*", "Cdtr").item(0))
                    .getElementsByTagNameNS("*", "Nm").item(0).getTextContent();
            if (p == Partner.JAPANESE) {
                assertThat(system).isEqualTo("JPZGN");
                assertThat(member).as("bank code + branch code").isEqualTo("0005001");
                assertThat(creditor).as("the holder as the bank holds it").isEqualTo("ｶ)ｼﾞﾔ-ﾆ-");
            } else {
                assertThat(system).isEqualTo("KRBOK");
                assertThat(member).isEqualTo("004");
                assertThat(creditor).startsWith(p.organization);
            }
        }
    }

    /** UTF-8 after a byte-order mark, otherwise the Windows code page of the partner's language: what Excel does. */
    private static String asExcelReads(byte[] file, Partner p) {
        if (file.length >= 3 && (file[0] & 0xFF) == 0xEF && (file[1] & 0xFF) == 0xBB && (file[2] & 0xFF) == 0xBF) {
            return new String(file, 3, file.length - 3, StandardCharsets.UTF_8);
        }
        return new String(file, Charset.forName(p.windowsCodePage));
    }

    private static JsonNode fieldError(JsonNode problem, String field) {
        for (JsonNode error : problem.path("errors")) {
            if (field.equals(error.path("field").asText())) {
                return error;
            }
        }
        throw new AssertionError("no error for " + field + " in " + problem);
    }

    private static Document bankFile(String operator, String runId, String paymentId) throws Exception {
        JsonNode payoutRun = SampleBodies.JSON.readTree(Gateway.request().auth().oauth2(operator)
                .get("/api/v1/payout-runs/" + runId).asString());
        for (JsonNode file : payoutRun.path("bankFiles")) {
            byte[] xml = Gateway.request().auth().oauth2(operator).accept("application/xml")
                    .get("/api/v1/payout-runs/" + runId + "/bank-files/" + file.path("id").asText()).then()
                    .statusCode(200).extract().asByteArray();
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
            if (transferOrNull(document, paymentId) != null) {
                return document;
            }
        }
        throw new AssertionError("payment " + paymentId + " is in no bank file of run " + payoutRun);
    }

    private static Element transferOf(Document file, String paymentId) {
        Element transfer = transferOrNull(file, paymentId);
        assertThat(transfer).isNotNull();
        return transfer;
    }

    /** The CdtTrfTxInf whose end-to-end id is the payment's id without dashes. */
    private static Element transferOrNull(Document file, String paymentId) {
        var transfers = file.getElementsByTagNameNS("*", "CdtTrfTxInf");
        for (int i = 0; i < transfers.getLength(); i++) {
            Element transfer = (Element) transfers.item(i);
            String endToEnd = transfer.getElementsByTagNameNS("*", "EndToEndId").item(0).getTextContent();
            if (endToEnd.equals(paymentId.replace("-", ""))) {
                return transfer;
            }
        }
        return null;
    }

    private static io.restassured.specification.RequestSpecification bearer(String token) {
        return Gateway.request().auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static String json(Object body) {
        return body == null ? null : SampleBodies.write(SampleBodies.JSON.valueToTree(body));
    }
}
