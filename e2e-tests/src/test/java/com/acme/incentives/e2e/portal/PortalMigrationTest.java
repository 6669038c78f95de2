package com.acme.incentives.e2e.portal;

import com.acme.incentives.e2e.RunningPlatform;
import com.acme.incentives.e2e.support.Gateway;
import com.acme.incentives.e2e.support.Organizations;
import com.acme.incentives.e2e.support.SecretsSeen;
import com.acme.incentives.platform.testing.TestTokens;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The migration's three steps in the portal, in English, as the seed tells them: the global admin signs in, sees what
 * the wave expects, sets up the listed incentive users on the Users screen (each temporary password shown once), and
 * the incentive admin, signed in with their own password, completes the migration; the carried-over enrolment is then
 * enrolled on the overview.
 */
class PortalMigrationTest {

    private static final String PROGRAM = "csp-indirect-reseller";

    @BeforeAll
    static void platform() {
        RunningPlatform.ensureStarted();
    }

    @Test
    void anOrganizationMovesOverInThreeStepsInThePortal() throws Exception {
        String operator = TestTokens.operator();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String partnerId = Organizations.newPartnerId();
        String globalEmail = "portal-gia-" + run + "@migration.example";
        String adminEmail = "portal-ada-" + run + "@migration.example";
        String userEmail = "portal-uma-" + run + "@migration.example";

        Organizations.Registered registered = Organizations.register(operator, "Portal Migrating " + run, globalEmail,
                "Gia", "Global");
        String orgId = registered.id();
        String globalTemporary = registered.temporaryPassword();
        Organizations.addLocation(operator, orgId, partnerId, "Migrating Graz", "AT");
        Map<String, Object> wave = Map.of("name", "Portal wave " + run, "startsAt", Instant.now().toString(),
                "organizations", List.of(Map.of("organizationId", orgId,
                        "users", List.of(
                                Map.of("email", adminEmail, "firstName", "Ada", "lastName", "Admin",
                                        "role", "INCENTIVE_ADMIN"),
                                Map.of("email", userEmail, "firstName", "Uma", "lastName", "User",
                                        "role", "INCENTIVE_USER")),
                        "enrollments", List.of(Map.of("partnerId", partnerId, "programId", PROGRAM)))));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                bearer(operator).body(wave).post("/api/v1/migration-waves").statusCode() == 201);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> "NOTIFIED".equals(
                Gateway.request().auth().oauth2(operator).get("/api/v1/organizations/" + orgId + "/migration")
                        .path("status")));

        String adminTemporary;
        try (PortalBrowser browser = PortalBrowser.open("en")) {
            // Step 1: the global admin signs in. The migration screen lists what is expected and what is missing;
            // completing is the incentive admin's, so no button here.
            browser.signIn(Gateway.URL, globalEmail, globalTemporary, SecretsSeen.remember("Portal-Gia-" + run));
            browser.driver.findElement(By.cssSelector("nav a[href='/migration']")).click();
            browser.find(By.cssSelector("[data-testid=migration-status]"));
            assertThat(browser.find(By.cssSelector("[data-testid=migration-missing]")).getText()).isNotBlank();
            assertThat(browser.driver.findElements(By.cssSelector("[data-testid=migration-user]"))).hasSize(2);
            assertThat(browser.driver.findElements(By.cssSelector("[data-testid=migration-complete]"))).isEmpty();
            browser.assertAccessible("migration");
            browser.screenshot("migration-notified");

            // Step 2: the listed users, made on the Users screen; each temporary password is shown once.
            browser.driver.findElement(By.cssSelector("nav a[href='/users']")).click();
            adminTemporary = createUser(browser, adminEmail, "Ada", "Admin", "INCENTIVE_ADMIN");
            createUser(browser, userEmail, "Uma", "User", "INCENTIVE_USER");
            browser.driver.findElement(By.cssSelector("nav a[href='/migration']")).click();
            browser.until(() -> {
                browser.driver.navigate().refresh();
                return browser.find(By.cssSelector("[data-testid=migration-step-setUp]")).getText()
                        .contains("Done");
            });
            browser.screenshot("migration-users-set-up");

            // The organization's audit log, the global admin's: the two users they created, under their name, beside
            // the operator's registration of the organization and of its primary contact, the global admin (entries
            // arrive through Kafka: reloaded until there).
            browser.driver.findElement(By.cssSelector("nav a[href='/audit-log']")).click();
            browser.until(() -> {
                browser.driver.navigate().refresh();
                return browser.find(By.cssSelector("[data-testid=audit-log]"))
                        .findElements(By.cssSelector("tr[data-action=USER_CREATED]")).size() == 3;
            });
            assertThat(browser.find(By.cssSelector("[data-testid=audit-log]")).getText()).contains(globalEmail)
                    .contains(adminEmail).contains(userEmail);
            assertThat(browser.driver.findElements(By.cssSelector("tr[data-action=ORGANIZATION_REGISTERED]")))
                    .hasSize(1);
            browser.assertAccessible("audit-log");
            browser.screenshot("audit-log");
        }

        // Step 3: the incentive admin signs in with the credentials given and completes it.
        try (PortalBrowser browser = PortalBrowser.open("en")) {
            browser.signIn(Gateway.URL, adminEmail, adminTemporary, SecretsSeen.remember("Portal-Ada-" + run));
            browser.driver.findElement(By.cssSelector("nav a[href='/migration']")).click();
            WebElement complete = browser.find(By.cssSelector("[data-testid=migration-complete]"));
            browser.until(() -> {
                if (browser.driver.findElement(By.cssSelector("[data-testid=migration-complete]")).isEnabled()) {
                    return true;
                }
                browser.driver.navigate().refresh();
                browser.find(By.cssSelector("[data-testid=migration-complete]"));
                return false;
            });
            browser.driver.findElement(By.cssSelector("[data-testid=migration-complete]")).click();
            browser.find(By.cssSelector("[data-testid=migration-completed]"));
            browser.assertAccessible("migration-completed");
            browser.screenshot("migration-completed");

            // The carried-over enrolment is enrolled.
            browser.driver.findElement(By.cssSelector("nav a[href='/']")).click();
            browser.awaitText(By.cssSelector("article.program"), "Enrolled");
        }
        assertThat((String) Gateway.request().auth().oauth2(operator)
                .get("/api/v1/organizations/" + orgId + "/migration").path("status")).isEqualTo("COMPLETED");
    }

    /** Adds a user on the Users screen and returns the temporary password it shows once. */
    private static String createUser(PortalBrowser browser, String email, String first, String last, String role) {
        browser.find(By.cssSelector("main > p > button.primary")).click();
        WebElement form = browser.find(By.cssSelector("[data-testid=create-user-form]"));
        form.findElement(By.cssSelector("input[id$='-email']")).sendKeys(email);
        form.findElement(By.cssSelector("input[id$='-firstName']")).sendKeys(first);
        form.findElement(By.cssSelector("input[id$='-lastName']")).sendKeys(last);
        for (WebElement box : form.findElements(By.cssSelector("input[type=checkbox][id*='-role-']"))) {
            if (box.isEnabled() && box.isSelected() != box.getAttribute("id").endsWith("-role-" + role)) {
                box.click();
            }
        }
        form.findElement(By.cssSelector("button[type=submit]")).click();
        String password = SecretsSeen.remember(browser.find(By.cssSelector("[data-testid=temporary-password]"))
                .getText());
        assertThat(password).isNotBlank();
        browser.find(By.cssSelector("tr[data-testid=user][data-user-email='" + email + "']"));
        return password;
    }

    private static io.restassured.specification.RequestSpecification bearer(String token) {
        return Gateway.request().auth().oauth2(token).contentType(ContentType.JSON);
    }
}
