package com.acme.incentives.e2e.portal;

import com.acme.incentives.e2e.RunningPlatform;
import com.acme.incentives.e2e.support.BrowserSession;
import com.acme.incentives.e2e.support.Earnings;
import com.acme.incentives.e2e.support.Gateway;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The partner portal in a real browser (Debian's Chromium), in Japanese and in Korean, against the end-to-end instance
 * through the gateway: the sign-in page, Keycloak's sign-in and password change in the person's language, the
 * overview with the eligibility checklist and the invitation, signing up by clicking, the payment after a payout run
 * the tax and payment profiles entered in their forms (a wrong account number refused under its field first) and the
 * payout assignment, a read-only colleague made on the Users screen (the temporary password shown once), the payment
 * after a payout run with the amount in the currency's own format, the statement's CSV saved by the browser as Excel
 * reads it, sign-out; the colleague sees it all and can change nothing; nothing of another organization, on screen or
 * through the API with the browser's session. axe-core checks every screen; each is saved as a screenshot.
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

        /** The account fields of the bank form; {@code wrong}: an account number one digit short. */
        void fillBankAccount(PortalBrowser browser, boolean wrong) {
            String number = wrong ? accountNumber().substring(1) : accountNumber();
            if (this == JAPANESE) {
                browser.type(By.id("bank-new-bankCode"), "0009");
                browser.type(By.id("bank-new-branchCode"), "123");
                browser.select(By.id("bank-new-accountType"), "ORDINARY");
                browser.type(By.id("bank-new-accountNumber"), number);
                browser.type(By.id("bank-new-accountHolderKana"), "ｶ)ﾎﾟ-ﾀﾙ");
            } else {
                browser.type(By.id("bank-new-bankCode"), "088");
                browser.type(By.id("bank-new-accountNumber"), wrong ? "12-34" : number);
            }
        }

        String wrongField() {
            return "accountNumber";
        }

        String accountNumber() {
            return this == JAPANESE ? "1234567" : "110123456789";
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
        String partnerId = Organizations.newPartnerId();
        String organizationName = p.organization + " " + run;
        String primaryEmail = "portal-contact-" + run + "@portal.example";
        String adminEmail = "portal-admin-" + run + "@portal.example";
        String password = SecretsSeen.remember("Portal-Admin-" + run);
        String userEmail = "portal-user-" + run + "@portal.example";
        String userTemporary;

        // The operator registers the organization; its global admin (through the API) makes an incentive admin.
        Organizations.Registered registered = Organizations.register(operator, organizationName, primaryEmail,
                p.firstName, p.lastName);
        String orgId = registered.id();
        String primaryTemporary = registered.temporaryPassword();
        Organizations.addLocation(operator, orgId, partnerId, p.location, p.country);
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
        String otherOrgId = Organizations.register(operator, "Other Org " + run,
                "portal-other-" + run + "@portal.example", "Olga", "Other").id();
        String otherPartnerId = Organizations.newPartnerId();
        Organizations.addLocation(operator, otherOrgId, otherPartnerId, "Other Location " + run, "DE");

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
            String signUpLabel = signUp.getText();
            signUp.click();
            // Signed up: what is still required comes from the enrolment, in the person's language (the API's text).
            browser.find(By.cssSelector("ul.actions li"));
            p.assertInScript(browser.driver.findElement(By.cssSelector("ul.actions li")).getText(),
                    "the enrolment's required action");
            browser.assertAccessible("overview-enrolled");
            browser.screenshot("overview-action-required");

            // The location withdraws (as a partner system would, through the API with this session), and, still
            // eligible, is offered to sign up again on the overview, in the person's language; one click does it.
            Object withdrawn = browser.driver.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const xsrf = decodeURIComponent(document.cookie.split("; ")
                        .find(c => c.startsWith("XSRF-TOKEN=")).substring("XSRF-TOKEN=".length));
                    fetch(arguments[0]).then(r => r.json()).then(page => fetch("/api/v1/enrollments/"
                            + page.items[0].id + "/withdraw", { method: "POST", headers: { "X-XSRF-TOKEN": xsrf } }))
                        .then(r => done(r.status), e => done(String(e)));""", "/api/v1/organizations/" + orgId
                    + "/enrollments");
            assertThat(withdrawn).isEqualTo(200L);
            browser.driver.navigate().refresh();
            WebElement again = browser.find(By.cssSelector("article.program button.primary"));
            p.assertInScript(again.getText(), "the sign-up-again button");
            assertThat(again.getText()).isNotEqualTo(signUpLabel);
            again.click();
            browser.find(By.cssSelector("ul.actions li"));
            assertThat(browser.driver.findElements(By.cssSelector("article.program button.primary"))).isEmpty();

            // 4. The tax profile and the payment profile through their forms: a wrong account number first, refused
            //    under its field in the person's language; then the right one, shown masked; then the assignment.
            browser.driver.findElement(By.cssSelector("nav a[href='/profiles']")).click();
            WebElement taxForm = browser.find(By.cssSelector("[data-testid=tax-form]"));
            browser.select(By.id("tax-new-partnerId"), partnerId);
            browser.type(By.id("tax-new-country"), p.country);
            browser.select(By.id("tax-new-taxForm"), "W8BENE");
            browser.type(By.id("tax-new-taxId"), p.taxId);
            browser.setValue(By.id("tax-new-expiresOn"), LocalDate.now(ZoneOffset.UTC).plusYears(1).toString());
            taxForm.findElement(By.cssSelector("button[type=submit]")).click();
            browser.find(By.cssSelector("[data-testid=tax-profile]"));

            WebElement bankForm = browser.find(By.cssSelector("[data-testid=bank-form]"));
            assertThat(browser.driver.findElement(By.cssSelector("[data-testid=bank-account-fields]"))
                    .getAttribute("data-account-kind")).isEqualTo(p == Partner.JAPANESE ? "ZENGIN" : "KR_ACCOUNT");
            browser.type(By.id("bank-new-name"), "口座 " + run);
            browser.type(By.id("bank-new-beneficiary"), p.organization + " " + run);
            p.fillBankAccount(browser, true);
            bankForm.findElement(By.cssSelector("button[type=submit]")).click();
            WebElement refused = browser.find(By.cssSelector("[data-testid=field-error-" + p.wrongField() + "]"));
            p.assertInScript(refused.getText(), "the refused account field's message");
            browser.assertAccessible("profiles-refused");
            browser.screenshot("profiles-refused");
            p.fillBankAccount(browser, false);
            bankForm.findElement(By.cssSelector("button[type=submit]")).click();
            WebElement masked = browser.find(By.cssSelector("[data-testid=bank-profile] [data-testid=masked-account]"));
            assertThat(masked.getText()).doesNotContain(p.accountNumber()).contains(
                    p.accountNumber().substring(p.accountNumber().length() - 3));

            WebElement assignment = browser.find(By.cssSelector("[data-testid=payout-assignment][data-partner-id='"
                    + partnerId + "'] [data-testid=assignment-form]"));
            String form = "assignment-" + partnerId + "-" + PROGRAM;
            browser.until(() -> browser.driver.findElements(By.cssSelector("#" + form + "-bankProfileId option"))
                    .size() > 1 && browser.driver.findElements(By.cssSelector("#" + form + "-taxProfileId option"))
                    .size() > 1);
            browser.selectIndex(By.id(form + "-taxProfileId"), 1);
            browser.selectIndex(By.id(form + "-bankProfileId"), 1);
            assignment.findElement(By.cssSelector("button[type=submit]")).click();
            browser.find(By.cssSelector(".profiles-saved"));
            browser.assertAccessible("profiles");
            browser.screenshot("profiles");

            // 5. A read-only colleague for the location, made on the Users screen: the temporary password once.
            browser.driver.findElement(By.cssSelector("nav a[href='/users']")).click();
            browser.find(By.xpath("//main//button[contains(@class, 'primary')]")).click();
            WebElement create = browser.find(By.cssSelector("[data-testid=create-user-form]"));
            create.findElement(By.cssSelector("input[id$='-email']")).sendKeys(userEmail);
            create.findElement(By.cssSelector("input[id$='-firstName']")).sendKeys(p.firstName);
            create.findElement(By.cssSelector("input[id$='-lastName']")).sendKeys(p.lastName + "ユ");
            for (String box : List.of("-role-INCENTIVE_USER", "-location-" + partnerId)) {
                WebElement checkbox = create.findElement(By.cssSelector("input[id$='" + box + "']"));
                if (!checkbox.isSelected()) {
                    checkbox.click();
                }
            }
            assertThat(create.findElement(By.cssSelector("input[id$='-role-INCENTIVE_ADMIN']")).isSelected()).isFalse();
            create.findElement(By.cssSelector("button[type=submit]")).click();
            userTemporary = SecretsSeen.remember(browser.find(By.cssSelector("[data-testid=temporary-password]"))
                    .getText());
            browser.assertAccessible("users");
            browser.screenshot("users");
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> "ENROLLED".equals(
                Gateway.request().auth().oauth2(operator).get("/api/v1/organizations/" + orgId + "/enrollments")
                        .path("items[0].status")));
        String period = YearMonth.now(ZoneOffset.UTC).toString();
        Payouts.setRates(operator, period);
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
            browser.signIn(portal, adminEmail, password, null);

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

            // Every screen of an incentive admin in each of the three languages (once: in the Japanese run).
            if (p == Partner.JAPANESE) {
                Map<String, String> screens = new java.util.LinkedHashMap<>();
                screens.put("overview", "/");
                screens.put("payments", "/payments");
                screens.put("statements", "/statements?period=" + period);
                screens.put("profiles", "/profiles");
                screens.put("users", "/users");
                screens.put("migration", "/migration");
                screens.put("settings", "/settings");
                browser.tour(portal, screens, List.of("en", "ko", "ja"));
            }

            // The admin turns off the non-critical emails on their settings; the choice is kept (read back after a
            // reload, from identity-service).
            browser.go(portal + "/settings");
            WebElement emails = browser.find(By.cssSelector("[data-testid=email-preferences]"));
            WebElement nonCritical = emails.findElement(By.cssSelector("input[type=checkbox]"));
            assertThat(nonCritical.isSelected()).isTrue();
            nonCritical.click();
            emails.findElement(By.cssSelector("button[type=submit]")).click();
            browser.find(By.cssSelector("[data-testid=email-preferences-saved]"));
            browser.driver.navigate().refresh();
            browser.until(() -> !browser.driver.findElement(By.cssSelector("[data-testid=email-preferences]"))
                    .findElement(By.cssSelector("input[type=checkbox]")).isSelected());
            browser.assertAccessible("settings");

            // 7. Signing out ends the session: the sign-in page again, and the API refuses the browser.
            browser.driver.findElement(By.cssSelector("a[href='/logout']")).click();
            browser.find(By.cssSelector("a.button.primary"));
            Object status = browser.driver.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    fetch('/api/v1/me').then(r => done(r.status), e => done(String(e)));""");
            assertThat(status).isEqualTo(401L);
        }

        // 8. The read-only colleague: first sign-in with the temporary password, then sees the location's enrolment,
        //    payment and profiles, but no action that changes anything.
        try (PortalBrowser browser = PortalBrowser.open(p.language)) {
            browser.signIn(portal, userEmail, userTemporary, SecretsSeen.remember("Portal-User-" + run));
            browser.find(By.cssSelector("span.badge.ok"));
            assertThat(browser.driver.findElements(By.cssSelector("main button"))).as("no action on the overview")
                    .isEmpty();
            assertThat(browser.driver.findElements(By.cssSelector("nav a[href='/users']"))).isEmpty();
            browser.screenshot("overview-read-only");
            browser.driver.findElement(By.cssSelector("nav a[href='/profiles']")).click();
            browser.find(By.cssSelector("[data-testid=bank-profile]"));
            assertThat(browser.driver.findElements(By.cssSelector("main form, main button")))
                    .as("no form or button on the profiles of a reader").isEmpty();
            browser.assertAccessible("profiles-read-only");
            browser.driver.findElement(By.cssSelector("nav a[href='/payments']")).click();
            assertThat(browser.find(By.cssSelector("tr[data-testid=payment]")).getText()).contains(p.amountAsWritten);
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
