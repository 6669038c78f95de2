package com.acme.incentives.e2e.portal;

import com.acme.incentives.e2e.RunningPlatform;
import com.acme.incentives.e2e.support.Earnings;
import com.acme.incentives.e2e.support.Gateway;
import com.acme.incentives.e2e.support.Organizations;
import com.acme.incentives.e2e.support.Payouts;
import com.acme.incentives.e2e.support.SecretsSeen;
import com.fasterxml.jackson.databind.JsonNode;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A programme operator in the portal: from the overview to the operations screens (programmes, a month's exchange
 * rates set and read back, a payout run started and followed to its end, its held payment held and released by
 * the operator and both steps found in the organization's audit log, a payment profile in review rejected with a
 * reason the partner reads, the migration waves), then the language
 * switched to Korean in the header, kept across a reload; and at a phone's width nothing is wider than the screen.
 */
class PortalOperatorTest {

    private static final String BELGIAN_IBAN = "BE68539007547034";

    @BeforeAll
    static void platform() {
        RunningPlatform.ensureStarted();
    }

    @Test
    void anOperatorRunsTheProgrammeFromThePortal() throws Exception {
        // A location of its own for the payout run (a run for every location would pay other tests' earnings).
        String operator = TestTokens.operator();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String orgId = Organizations.register(operator, "Operated " + run, "portal-operated-" + run + "@portal.example",
                "Oda", "Operated").id();
        String partnerId = Organizations.newPartnerId();
        Organizations.addLocation(operator, orgId, partnerId, "Operated " + run, "NL");

        try (PortalBrowser browser = PortalBrowser.open("en")) {
            browser.signIn(Gateway.URL, TestTokens.OPERATOR, TestTokens.OPERATOR_PASSWORD, null);

            // Operators have no organization: the overview sends them to the operations.
            browser.find(By.cssSelector("[data-testid=operations-link]")).click();
            browser.find(By.cssSelector("[data-testid=program-row][data-program-id=csp-indirect-reseller]"));
            assertThat(browser.driver.findElements(By.cssSelector("nav a[href='/payments']")))
                    .as("no organization, no payments of its own").isEmpty();
            browser.assertAccessible("operations-programs");
            browser.screenshot("operations-programs");

            // A month's exchange rates, set and read back after a reload.
            String period = "20" + (40 + ThreadLocalRandom.current().nextInt(50)) + "-0"
                    + (1 + ThreadLocalRandom.current().nextInt(9));
            browser.go(Gateway.URL + "/operations/exchange-rates?period=" + period);
            WebElement rates = browser.find(By.cssSelector("[data-testid=exchange-rates-form]"));
            if (browser.driver.findElements(By.cssSelector("[data-testid=exchange-rate-row]")).isEmpty()) {
                rates.findElement(By.cssSelector(".toolbar button[type=button]")).click();
            }
            WebElement row = browser.find(By.cssSelector("[data-testid=exchange-rate-row]"));
            List<WebElement> inputs = row.findElements(By.tagName("input"));
            inputs.get(0).clear();
            inputs.get(0).sendKeys("EUR");
            inputs.get(1).clear();
            inputs.get(1).sendKeys("1.0875");
            rates.findElement(By.cssSelector("button[type=submit]")).click();
            browser.find(By.cssSelector("[data-testid=exchange-rates-saved]"));
            browser.driver.navigate().refresh();
            browser.until(() -> browser.driver.findElements(By.cssSelector("[data-testid=exchange-rate-row] input"))
                    .stream().anyMatch(input -> "1.0875".equals(input.getDomProperty("value"))));
            browser.assertAccessible("operations-exchange-rates");
            browser.screenshot("operations-exchange-rates");

            // A payout run for one location, followed until it completes: it holds the location's one earning of
            // last month (the form's period), as the location never enrolled. The earning is accepted once
            // payout-service has learnt of the location (identity's LocationAdded, through Kafka).
            Map<String, Object> earning = Earnings.rebate(partnerId, "csp-indirect-reseller", "120.00");
            earning.put("transactionDate", YearMonth.now(ZoneOffset.UTC).minusMonths(1).atDay(15).toString());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> Gateway.request()
                    .auth().oauth2(TestTokens.billingSystem()).contentType(io.restassured.http.ContentType.JSON)
                    .body(Map.of("lines", List.of(earning))).post("/api/v1/earnings/batch").statusCode() == 200);
            Payouts.setRates(operator, YearMonth.now(ZoneOffset.UTC).minusMonths(1).toString());
            browser.go(Gateway.URL + "/operations/payout-runs");
            WebElement runForm = browser.find(By.cssSelector("[data-testid=payout-run-form]"));
            runForm.findElement(By.tagName("textarea")).sendKeys(partnerId);
            runForm.findElement(By.cssSelector("button[type=submit]")).click();
            browser.find(By.cssSelector("[data-testid=run-status][data-status=COMPLETED]"));
            browser.assertAccessible("operations-payout-run");
            browser.screenshot("operations-payout-run");
            // The latest runs are listed on the runs page, each linked to its own.
            browser.go(Gateway.URL + "/operations/payout-runs");
            assertThat(browser.find(By.cssSelector("[data-testid=recent-runs]"))
                    .findElements(By.cssSelector("tbody tr a"))).isNotEmpty();

            // The organization, found among every partner's by its location's partner ID: its contact, its one
            // location and the location's country.
            browser.go(Gateway.URL + "/operations/organizations");
            WebElement search = browser.find(By.cssSelector("[data-testid=organization-search]"));
            search.findElements(By.tagName("input")).get(1).sendKeys(partnerId);
            search.findElement(By.cssSelector("button[type=submit]")).click();
            // (the unfiltered first page is on the screen until the search's answer replaces it)
            By rows = By.cssSelector("[data-testid=organizations] tbody tr");
            browser.until(() -> {
                List<WebElement> shown = browser.driver.findElements(rows);
                return shown.size() == 1 && shown.get(0).getText().contains("Operated " + run);
            });
            List<WebElement> found = browser.driver.findElements(rows);
            assertThat(found.get(0).getText()).contains("portal-operated-" + run + "@portal.example").contains("NL");
            browser.assertAccessible("operations-organizations");
            browser.screenshot("operations-organizations");
            // Its page: what every service knows of it, side by side (here its location and its global admin).
            found.get(0).findElement(By.tagName("a")).click();
            browser.awaitText(By.cssSelector("[data-testid=organization-locations]"), partnerId);
            browser.awaitText(By.cssSelector("[data-testid=organization-users]"),
                    "portal-operated-" + run + "@portal.example");
            browser.find(By.cssSelector("[data-testid=organization-totals]"));
            browser.assertAccessible("operations-organization");
            browser.screenshot("operations-organization");

            // The held-payments queue, narrowed to this location: its payment held (never enrolled), held by the
            // operator with a reason, then released again (below the four-eyes limit, one operator suffices).
            browser.go(Gateway.URL + "/operations/held-payments");
            WebElement heldFilter = browser.find(By.cssSelector("[data-testid=held-filter]"));
            heldFilter.findElements(By.tagName("input")).get(1).sendKeys(partnerId);
            heldFilter.findElement(By.cssSelector("button[type=submit]")).click();
            By heldRows = By.cssSelector("[data-testid=held-payments] tbody tr");
            browser.until(() -> {
                List<WebElement> shown = browser.driver.findElements(heldRows);
                return shown.size() == 1 && shown.get(0).getText().contains(partnerId);
            });
            browser.find(By.cssSelector("[data-testid=operator-hold][data-action=hold] button")).click();
            browser.find(By.cssSelector("[data-testid=operator-hold] textarea")).sendKeys("Checking the deal " + run);
            browser.find(By.cssSelector("[data-testid=operator-hold] button[type=submit]")).click();
            browser.find(By.cssSelector("[data-testid=operator-hold-outcome][data-outcome=held]"));
            browser.find(By.cssSelector("[data-testid=operator-hold][data-action=release] button")).click();
            browser.assertAccessible("operations-held-payment-release");
            browser.find(By.cssSelector("[data-testid=operator-hold] textarea")).sendKeys("Deal checked " + run);
            browser.find(By.cssSelector("[data-testid=operator-hold] button[type=submit]")).click();
            browser.find(By.cssSelector("[data-testid=operator-hold-outcome][data-outcome=released]"));
            browser.screenshot("operations-held-payments");
            String paymentId = browser.driver.findElement(heldRows).getAttribute("data-payment-id");
            JsonNode history = Payouts.paymentDetail(operator, orgId, paymentId).path("history");
            assertThat(history.toString()).contains("Checking the deal " + run).contains("Deal checked " + run);
            // Both steps in the organization's audit log (they reach it through Kafka), reached from its page.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> Gateway.request()
                    .auth().oauth2(operator).get("/api/v1/organizations/" + orgId + "/audit-log?action=PAYMENT_RELEASED")
                    .asString().contains(paymentId));
            browser.go(Gateway.URL + "/operations/organizations/" + orgId);
            browser.find(By.cssSelector("[data-testid=organization-audit-link]")).click();
            browser.find(By.cssSelector("[data-testid=audit-log] tr[data-action=PAYMENT_HELD_BY_OPERATOR]"));
            browser.find(By.cssSelector("[data-testid=audit-log] tr[data-action=PAYMENT_RELEASED]"));
            browser.assertAccessible("operations-audit-log");
            browser.screenshot("operations-audit-log");

            // A payment profile in review: the organization's account in Belgium, where it has no location. The
            // operator finds it by the bank's country and rejects it with a reason, which the partner then reads.
            var partnerAdmin = TestUsers.create(UUID.fromString(orgId), List.of("INCENTIVE_ADMIN"), List.of());
            SecretsSeen.remember(partnerAdmin.password());
            SecretsSeen.remember(BELGIAN_IBAN);
            String profileId = Gateway.request().auth().oauth2(partnerAdmin.token())
                    .contentType(io.restassured.http.ContentType.JSON)
                    .body(Map.of("name", "Brussels " + run, "bankCountry", "BE", "currency", "EUR", "method",
                            "BANK_TRANSFER", "iban", BELGIAN_IBAN, "bic", "GKCCBEBB", "beneficiary", "Operated B.V."))
                    .post("/api/v1/organizations/" + orgId + "/payment-profiles").then().statusCode(201).extract()
                    .path("id");
            String profilePath = "/api/v1/organizations/" + orgId + "/payment-profiles/" + profileId;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> "IN_REVIEW".equals(
                    Gateway.request().auth().oauth2(partnerAdmin.token()).get(profilePath).path("status")));
            browser.go(Gateway.URL + "/operations/bank-profile-reviews");
            WebElement reviewFilter = browser.find(By.cssSelector("[data-testid=review-filter]"));
            reviewFilter.findElement(By.tagName("input")).sendKeys("BE");
            reviewFilter.findElement(By.cssSelector("button[type=submit]")).click();
            By review = By.cssSelector("[data-testid=bank-profile-review][data-profile-id='" + profileId + "']");
            browser.find(review).findElement(By.cssSelector("[data-testid=reject-bank-profile]")).click();
            browser.find(By.cssSelector("[data-testid=reject-reason]")).sendKeys("An account in the Netherlands, please " + run);
            browser.assertAccessible("operations-bank-profile-reject");
            browser.find(By.cssSelector("[data-testid=confirm-reject]")).click();
            browser.find(By.cssSelector("[data-testid=review-done]"));
            browser.until(() -> browser.driver.findElements(review).isEmpty());
            browser.screenshot("operations-bank-profile-reviews");
            assertThat(Gateway.request().auth().oauth2(partnerAdmin.token()).get(profilePath).asString())
                    .contains("ACTION_REQUIRED").contains("An account in the Netherlands, please " + run);

            browser.go(Gateway.URL + "/operations/waves");
            browser.find(By.cssSelector("[data-testid=wave-form]"));
            browser.assertAccessible("operations-waves");

            // Every operations screen in each of the three languages.
            Map<String, String> screens = new java.util.LinkedHashMap<>();
            screens.put("operations-organizations", "/operations/organizations");
            screens.put("operations-programs", "/operations/programs");
            screens.put("operations-exchange-rates", "/operations/exchange-rates?period=" + period);
            screens.put("operations-payout-runs", "/operations/payout-runs");
            screens.put("operations-held-payments", "/operations/held-payments");
            screens.put("operations-bank-profile-reviews", "/operations/bank-profile-reviews");
            screens.put("operations-audit-log", "/operations/organizations/" + orgId + "/audit-log");
            screens.put("operations-waves", "/operations/waves");
            browser.tour(Gateway.URL, screens, List.of("ja", "ko", "en"));

            // Korean, chosen in the header and kept across a reload.
            browser.go(Gateway.URL + "/operations/programs");
            browser.select(By.cssSelector("header select"), "ko");
            browser.until(() -> "ko".equals(browser.pageLanguage()));
            browser.driver.navigate().refresh();
            browser.find(By.cssSelector("[data-testid=program-row]"));
            assertThat(browser.pageLanguage()).isEqualTo("ko");
            assertThat(browser.driver.findElement(By.tagName("h1")).getText()).containsPattern("\\p{IsHangul}");

            // A phone's width: the page reflows instead of scrolling sideways.
            browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(375, 800));
            browser.driver.navigate().refresh();
            browser.find(By.cssSelector("[data-testid=program-row]"));
            Object overflow = browser.driver.executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Object widest = browser.driver.executeScript("""
                    const width = document.documentElement.clientWidth;
                    return [...document.querySelectorAll('body *')]
                      .filter(e => e.getBoundingClientRect().right > width + 1)
                      .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))
                      .join(', ');""");
            assertThat(((Number) overflow).intValue()).as("pixels wider than a 375 px screen (%s)", widest)
                    .isLessThanOrEqualTo(0);
            browser.screenshot("operations-phone");
        }
    }
}
