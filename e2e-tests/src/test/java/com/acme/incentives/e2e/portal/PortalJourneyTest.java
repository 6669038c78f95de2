package com.acme.incentives.e2e.portal;

import com.acme.incentives.e2e.RunningPlatform;
import com.acme.incentives.e2e.support.BrowserSession;
import com.acme.incentives.e2e.support.Gateway;
import com.acme.incentives.e2e.support.Payouts;
import com.acme.incentives.e2e.support.SampleBodies;
import com.acme.incentives.e2e.support.SecretsSeen;
import com.acme.incentives.e2e.support.Earnings;
import com.acme.incentives.platform.testing.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.htmlunit.WebResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The partner portal in a real browser (Debian's Chromium), in Japanese and in Korean, against the end-to-end instance
 * through the gateway: the sign-in page, Keycloak's sign-in and password change in the person's language, the
 * overview with the eligibility checklist and the invitation, signing up by clicking, the payment after a payout run
 * with the amount in the currency's own format, the statement's CSV saved by the browser as Excel reads it, and
 * sign-out; nothing of another organization, on screen or through the API with the browser's session. axe-core checks every screen; each is saved as a screenshot.
 */
class PortalJourneyTest {

    private static final String PROGRAM = "csp-indirect-reseller";

    enum Partner {
        JAPANESE("ja", "JP", "JPY", "株式会社ポータル", "大阪支店", "太郎", "佐藤", "T9876543210123", "150000", "150,000",
                "[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}]"),
        KOREAN("ko", "KR", "KRW", "주식회사 포털", "부산 지점", "민수", "이", "987-65-43210", "1500000", "1,500,000",
                "\\p{IsHangul}");

        final String language;
        final String country;
        final String currency;
        final String organization;
        final String location;
        final String firstName;
        final String lastName;
        final String taxId;
        final String amount;
        final String amountAsWritten;
        final String script;

        Partner(String language, String country, String currency, String organization, String location,
                String firstName, String lastName, String taxId, String amount, String amountAsWritten, String script) {
            this.language = language;
            this.country = country;
            this.currency = currency;
            this.organization = organization;
            this.location = location;
            this.firstName = firstName;
            this.lastName = lastName;
            this.taxId = taxId;
            this.amount = amount;
            this.amountAsWritten = amountAsWritten;
            this.script = script;
        }

        void assertInScript(String text, String what) {
            assertThat(text).as("%s in %s", what, language).containsPattern(script);
        }

        Map<String, Object> bankAccount(String run) {
            Map<String, Object> body = new java.util.HashMap<>(Map.of("name", "口座 " + run, "bankCountry", country,
                    "currency", currency, "method", "BANK_TRANSFER", "beneficiary", organization + " " + run));
            if (this == JAPANESE) {
                body.putAll(Map.of("bankCode", "0009", "branchCode", "123", "accountType", "ORDINARY",
                        "accountNumber", "1234567", "accountHolderKana", "ｶ)ﾎﾟ-ﾀﾙ"));
            } else {
                body.putAll(Map.of("bankCode", "088", "accountNumber", "110-123-456789"));
            }
            return body;
        }
    }

    @BeforeAll
    static void platform() {
        RunningPlatform.ensureStarted();
    }

    @ParameterizedTest
    @EnumSource(Partner.class)
    void aPartnerUsesThePortalInItsLanguage(Partner p) throws Exception {
        String operator = TestTokens.operator();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String partnerId = String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
        String organizationName = p.organization + " " + run;
        String primaryEmail = "portal-contact-" + run + "@portal.example";
        String adminEmail = "portal-admin-" + run + "@portal.example";
        String password = "Portal-Admin-" + run;

        // The operator registers the organization; its global admin (through the API) makes an incentive admin.
        Response registered = bearer(operator).body(Map.of("name", organizationName, "primaryContact",
                Map.of("email", primaryEmail, "firstName", p.firstName, "lastName", p.lastName)))
                .post("/api/v1/organizations");
        assertThat(registered.statusCode()).as(registered.asString()).isEqualTo(201);
        String orgId = registered.path("id");
        String primaryTemporary = SecretsSeen.remember(registered.path("temporaryPassword"));
        bearer(operator).body(Map.of("partnerId", partnerId, "name", p.location, "country", p.country,
                "partnerType", "INDIRECT_RESELLER")).post("/api/v1/organizations/" + orgId + "/locations").then()
                .statusCode(201);
        String adminTemporary;
        try (BrowserSession globalAdmin = BrowserSession.signIn(primaryEmail, primaryTemporary,
                "Portal-Global-" + run, p.language)) {
            WebResponse created = globalAdmin.post("/api/v1/organizations/" + orgId + "/users", json(Map.of(
                    "email", adminEmail, "firstName", p.firstName, "lastName", p.lastName,
                    "roles", List.of("INCENTIVE_ADMIN"), "locale", p.language)));
            assertThat(created.getStatusCode()).as(created.getContentAsString()).isEqualTo(201);
            adminTemporary = SecretsSeen.remember(globalAdmin.json(created).path("temporaryPassword").asText());
        }
        Payouts.feedMakesEligible(TestTokens.partnerFeed(), partnerId);
        // The invitation follows the eligibility through events; the person opens the portal once it is there.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> Gateway.request()
                .auth().oauth2(operator).get("/api/v1/organizations/" + orgId + "/invitations")
                .path("items[0].status") != null);

        // Another organization, whose data the partner must never see.
        Response other = bearer(operator).body(Map.of("name", "Other Org " + run, "primaryContact",
                Map.of("email", "portal-other-" + run + "@portal.example", "firstName", "Olga", "lastName", "Other")))
                .post("/api/v1/organizations");
        assertThat(other.statusCode()).as(other.asString()).isEqualTo(201);
        String otherOrgId = other.path("id");
        String otherPartnerId = String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
        bearer(operator).body(Map.of("partnerId", otherPartnerId, "name", "Other Location " + run, "country", "DE",
                "partnerType", "INDIRECT_RESELLER")).post("/api/v1/organizations/" + otherOrgId + "/locations").then()
                .statusCode(201);

        String portal = Gateway.URL;
        try (PortalBrowser browser = PortalBrowser.open(p.language)) {
            // 1. The portal's sign-in page, in the browser's language. Its time to show once the browser has the files
            //    (one API call, answered 401) is the reference beside the overview's (the same, with its API calls).
            browser.go(portal + "/");
            browser.find(By.cssSelector("a.button.primary"));
            long started = System.nanoTime();
            browser.go(portal + "/");
            WebElement signIn = browser.find(By.cssSelector("a.button.primary"));
            PortalMetrics.record("sign-in-page-ms-" + p.language, (System.nanoTime() - started) / 1_000_000);
            assertThat(browser.pageLanguage()).isEqualTo(p.language);
            p.assertInScript(signIn.getText(), "the sign-in button");
            browser.assertAccessible("sign-in");
            browser.screenshot("sign-in");

            // 2. Keycloak's sign-in and first-time password change, in the same language; back to the overview.
            signIn.click();
            browser.find(By.id("kc-login"));
            assertThat(browser.pageLanguage()).as("Keycloak's sign-in page").startsWith(p.language);
            browser.driver.findElement(By.id("username")).sendKeys(adminEmail);
            browser.driver.findElement(By.id("password")).sendKeys(adminTemporary);
            browser.driver.findElement(By.id("kc-login")).click();
            browser.find(By.id("password-new")).sendKeys(password);
            assertThat(browser.pageLanguage()).as("Keycloak's password change").startsWith(p.language);
            browser.screenshot("keycloak-password-change");
            browser.driver.findElement(By.id("password-confirm")).sendKeys(password);
            browser.driver.findElement(By.cssSelector("form [type=submit]")).click();

            // 3. The overview: the location, the programme's checklist, the invitation; signing up by clicking.
            browser.awaitText(By.tagName("h1"), organizationName);
            WebElement location = browser.find(By.xpath("//section[.//h2[contains(., '" + p.location + "')]]"));
            assertThat(location.getText()).contains(partnerId);
            WebElement signUp = browser.find(By.cssSelector("article.program button.primary"));
            p.assertInScript(signUp.getText(), "the sign-up button");
            p.assertInScript(browser.driver.findElement(By.cssSelector("[data-testid=next-action]")).getText(),
                    "the next action");
            // Nothing of the other organization, on the screen or through the API with this browser's session.
            String screen = browser.driver.findElement(By.tagName("body")).getText();
            assertThat(screen).doesNotContain("Other Org " + run).doesNotContain(otherPartnerId);
            for (String path : List.of("/api/v1/organizations/" + otherOrgId,
                    "/api/v1/organizations/" + otherOrgId + "/locations",
                    "/api/v1/locations/" + otherPartnerId + "/eligibility")) {
                Object status = browser.driver.executeAsyncScript("""
                        const done = arguments[arguments.length - 1];
                        fetch(arguments[0]).then(r => done(r.status), e => done(String(e)));""", path);
                assertThat(status).as("the other organization's %s from this session", path).isIn(403L, 404L);
            }
            browser.assertAccessible("overview-invited");
            browser.screenshot("overview-invited");
            signUp.click();
            // Signed up: what is still required comes from the enrolment, in the person's language (the API's text).
            browser.find(By.cssSelector("ul.actions li"));
            p.assertInScript(browser.driver.findElement(By.cssSelector("ul.actions li")).getText(),
                    "the enrolment's required action");
            browser.assertAccessible("overview-enrolled");
            browser.screenshot("overview-action-required");
        }

        // Tax and bank profiles and the payout assignment (their portal forms come next; here through the API), then
        // earnings and a payout run.
        try (BrowserSession admin = BrowserSession.signIn(adminEmail, password, null, p.language)) {
            WebResponse tax = admin.post("/api/v1/organizations/" + orgId + "/tax-profiles", json(Map.of(
                    "partnerId", partnerId, "country", p.country, "taxForm", "W8BENE", "taxId", p.taxId,
                    "expiresOn", LocalDate.now(ZoneOffset.UTC).plusYears(1).toString())));
            assertThat(tax.getStatusCode()).as(tax.getContentAsString()).isEqualTo(201);
            WebResponse bank = admin.post("/api/v1/organizations/" + orgId + "/payment-profiles",
                    json(p.bankAccount(run)));
            assertThat(bank.getStatusCode()).as(bank.getContentAsString()).isEqualTo(201);
            WebResponse assignment = admin.put("/api/v1/locations/" + partnerId + "/programs/" + PROGRAM
                    + "/payout-assignment", json(Map.of("bankProfileId", admin.json(bank).path("id").asText(),
                    "taxProfileId", admin.json(tax).path("id").asText(), "holdPayment", false)));
            assertThat(assignment.getStatusCode()).as(assignment.getContentAsString()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> "ENROLLED".equals(
                    admin.json(admin.get("/api/v1/organizations/" + orgId + "/enrollments"))
                            .path("items").path(0).path("status").asText()));
        }
        String period = YearMonth.now(ZoneOffset.UTC).toString();
        bearer(operator).body(Map.of("rates", Map.of("EUR", "1.10", "USD", "1", "JPY", "0.0067", "KRW", "0.00072")))
                .put("/api/v1/exchange-rates/" + period).then().statusCode(200);
        Map<String, Object> earning = Earnings.rebate(partnerId, PROGRAM, p.amount);
        earning.put("earningCurrency", p.currency);
        earning.put("transactionCurrency", p.currency);
        bearer(TestTokens.billingSystem()).body(Map.of("lines", List.of(earning))).post("/api/v1/earnings/batch")
                .then().statusCode(200);
        JsonNode payment = Payouts.payOut(operator, orgId, partnerId, period);
        String paymentId = payment.path("id").asText();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> "PAID".equals(
                Payouts.paymentDetail(operator, orgId, paymentId).path("payment").path("status").asText()));

        try (PortalBrowser browser = PortalBrowser.open(p.language)) {
            signInAgain(browser, portal, adminEmail, password);

            // 4. Enrolled: nothing left to do. The time from the address to the overview's answer, for BENCHMARKS.md.
            long started = System.nanoTime();
            browser.go(portal + "/");
            browser.find(By.cssSelector("span.badge.ok"));
            long overviewMillis = (System.nanoTime() - started) / 1_000_000;
            PortalMetrics.record("overview-interactive-ms-" + p.language, overviewMillis);
            p.assertInScript(browser.driver.findElement(By.cssSelector("[data-testid=next-action]")).getText(),
                    "the next action once enrolled");
            assertThat(browser.driver.findElements(By.cssSelector("ul.actions li"))).isEmpty();
            browser.screenshot("overview-enrolled");

            // 5. The payment, paid, in the currency's own format (no minor unit for yen and won).
            browser.driver.findElement(By.cssSelector("nav a[href='/payments']")).click();
            WebElement row = browser.find(By.cssSelector("tr[data-testid=payment]"));
            assertThat(row.getText()).contains(p.amountAsWritten).doesNotContain(p.amountAsWritten + ".");
            p.assertInScript(row.getText(), "the payment's status");
            browser.assertAccessible("payments");
            browser.screenshot("payments");

            // 6. The statement of the month and its CSV, saved by the browser: UTF-8 with a byte-order mark (Excel on
            //    Japanese and Korean Windows reads it so), the location's name in its script intact.
            browser.go(portal + "/statements?period=" + period);
            browser.find(By.cssSelector("[data-testid=statement-location]"));
            browser.assertAccessible("statements");
            browser.screenshot("statements");
            browser.driver.findElement(By.cssSelector(".toolbar button")).click();
            byte[] csv = browser.awaitDownload("statement-" + period + ".csv");
            assertThat(csv).startsWith(0xEF, 0xBB, 0xBF);
            String text = new String(csv, 3, csv.length - 3, StandardCharsets.UTF_8);
            assertThat(text).contains(paymentId).contains(p.location).contains(p.amount);

            // 7. Signing out ends the session: the sign-in page again, and the API refuses the browser.
            browser.driver.findElement(By.cssSelector("a[href='/logout']")).click();
            browser.find(By.cssSelector("a.button.primary"));
            Object status = browser.driver.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    fetch('/api/v1/me').then(r => done(r.status), e => done(String(e)));""");
            assertThat(status).isEqualTo(401L);
        }
    }

    /** What a browser downloads before the portal can show anything, as the gateway sends it (gzipped). */
    @org.junit.jupiter.api.Test
    void theInitialDownloadIsMeasured() throws Exception {
        String index = Gateway.request().header("Accept", "text/html").get("/").then().statusCode(200).extract()
                .asString();
        java.util.regex.Matcher files = java.util.regex.Pattern.compile("(?:src|href)=\"(/assets/[^\"]+)\"")
                .matcher(index);
        long scripts = 0;
        long styles = 0;
        while (files.find()) {
            byte[] sent = Gateway.request().config(io.restassured.RestAssured.config().decoderConfig(
                            io.restassured.config.DecoderConfig.decoderConfig().noContentDecoders()))
                    .header("Accept-Encoding", "gzip").get(files.group(1)).then().statusCode(200)
                    .header("Content-Encoding", "gzip").extract().asByteArray();
            if (files.group(1).endsWith(".js")) {
                scripts += sent.length;
            } else {
                styles += sent.length;
            }
        }
        assertThat(scripts).as("the page loads a script of its own").isPositive();
        PortalMetrics.record("initial-javascript-gzip-bytes", scripts);
        PortalMetrics.record("initial-css-gzip-bytes", styles);
    }

    private static void signInAgain(PortalBrowser browser, String portal, String email, String password) {
        browser.go(portal + "/");
        browser.find(By.cssSelector("a.button.primary")).click();
        browser.find(By.id("kc-login"));
        browser.driver.findElement(By.id("username")).sendKeys(email);
        browser.driver.findElement(By.id("password")).sendKeys(password);
        browser.driver.findElement(By.id("kc-login")).click();
        browser.find(By.cssSelector("[data-testid=signed-in-as]"));
    }

    private static io.restassured.specification.RequestSpecification bearer(String token) {
        return Gateway.request().auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static String json(Object body) {
        return SampleBodies.write(SampleBodies.JSON.valueToTree(body));
    }

    /** Figures measured in the browser, one line each in target/portal-metrics.txt (for BENCHMARKS.md). */
    static final class PortalMetrics {
        private PortalMetrics() {
        }

        static synchronized void record(String name, long value) throws java.io.IOException {
            Path file = Path.of("target", "portal-metrics.txt");
            Files.writeString(file, name + " " + value + System.lineSeparator(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            System.out.println("[portal] " + name + " " + value);
        }
    }
}
