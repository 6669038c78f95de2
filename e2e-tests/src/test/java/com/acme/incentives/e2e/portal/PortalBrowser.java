package com.acme.incentives.e2e.portal;

import com.acme.incentives.e2e.support.SampleBodies;
import com.fasterxml.jackson.databind.JsonNode;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Debian's Chromium, headless, driven by Debian's ChromeDriver (never a downloaded browser), set to one language as a
 * person's browser would be: its UI language and Accept-Language. Downloads go to a folder of its own; axe-core
 * checks each screen; screenshots go to {@code target/portal-screenshots}.
 */
final class PortalBrowser implements AutoCloseable {

    final ChromeDriver driver;
    final String language;
    private final Path profile;
    private final Path downloads;
    private final WebDriverWait wait;

    private PortalBrowser(String language) throws IOException {
        this.language = language;
        this.profile = Files.createTempDirectory("portal-chromium-");
        this.downloads = Files.createTempDirectory("portal-downloads-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("portal.chromium", "/usr/bin/chromium"));
        // As the machine's probe found: without the background-networking switches Chromium keeps dialling Google's
        // hosts, which this closed network refuses.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--window-size=1280,1000", "--lang=" + language,
                "--user-data-dir=" + profile);
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language,
                "download.default_directory", downloads.toString(), "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("portal.chromedriver", "/usr/bin/chromedriver")))
                .build();
        this.driver = new ChromeDriver(service, options);
        driver.executeCdpCommand("Browser.setDownloadBehavior",
                Map.of("behavior", "allow", "downloadPath", downloads.toString()));
        // A condition that reads an element React has just replaced (a loading status giving way to the answer)
        // meets a stale reference: that is "not yet", and the next poll finds the new element.
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(45));
        this.wait.ignoring(StaleElementReferenceException.class);
    }

    static PortalBrowser open(String language) throws IOException {
        return new PortalBrowser(language);
    }

    void go(String url) {
        driver.get(url);
    }

    WebElement find(By locator) {
        return waitFor(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    void awaitText(By locator, String text) {
        waitFor(ExpectedConditions.textToBePresentInElementLocated(locator, text));
    }

    /** Waits; on a timeout the screen is saved (failure-{language}.png) and its text goes into the error. */
    private <T> T waitFor(org.openqa.selenium.support.ui.ExpectedCondition<T> condition) {
        try {
            return wait.until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            screenshot("failure");
            throw new AssertionError("At " + driver.getCurrentUrl() + " the screen reads:\n"
                    + driver.findElement(By.tagName("body")).getText(), e);
        }
    }

    /**
     * From the portal's sign-in page through Keycloak's form back to the portal, signed in; with {@code newPassword},
     * through the first-time password change too.
     */
    void signIn(String portal, String email, String password, String newPassword) {
        go(portal + "/");
        find(By.cssSelector("a.button.primary")).click();
        find(By.id("kc-login"));
        driver.findElement(By.id("username")).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("kc-login")).click();
        if (newPassword != null) {
            find(By.id("password-new")).sendKeys(newPassword);
            driver.findElement(By.id("password-confirm")).sendKeys(newPassword);
            driver.findElement(By.cssSelector("form [type=submit]")).click();
        }
        find(By.cssSelector("[data-testid=signed-in-as]"));
    }

    /** Replaces the text of an input as a person types it. */
    void type(By locator, String text) {
        WebElement input = find(locator);
        input.clear();
        input.sendKeys(text);
    }

    void select(By locator, String value) {
        new org.openqa.selenium.support.ui.Select(find(locator)).selectByValue(value);
    }

    void selectIndex(By locator, int index) {
        new org.openqa.selenium.support.ui.Select(find(locator)).selectByIndex(index);
    }

    /**
     * Sets an input's value as the browser's own picker would (a date input's typed format depends on the browser's
     * language): the value, then the input event React listens to.
     */
    void setValue(By locator, String value) {
        driver.executeScript("""
                const input = arguments[0];
                Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, arguments[1]);
                input.dispatchEvent(new Event('input', { bubbles: true }));""", find(locator), value);
    }

    /** Waits until the condition holds on the page. */
    void until(java.util.function.BooleanSupplier condition) {
        waitFor(d -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    String pageLanguage() {
        return driver.findElement(By.tagName("html")).getAttribute("lang");
    }

    /** axe-core's violations of impact serious or critical on the screen as it is now: none is allowed. */
    void assertAccessible(String screen) {
        if (driver.executeScript("return typeof window.axe") instanceof String type && !type.equals("object")) {
            try {
                driver.executeScript(Files.readString(Path.of(System.getProperty("portal.axe"))));
            } catch (IOException e) {
                throw new UncheckedIOException("axe-core is installed by the portal's npm ci", e);
            }
        }
        Object answer = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ['violations'] })
                  .then(r => done(JSON.stringify(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                      nodes: v.nodes.map(n => n.target.join(' ')) })))))
                  .catch(e => done(JSON.stringify([{ id: 'axe-failed', impact: 'critical', help: String(e) }])));
                """);
        List<String> serious = new ArrayList<>();
        try {
            for (JsonNode violation : SampleBodies.JSON.readTree((String) answer)) {
                String impact = violation.path("impact").asText();
                if (impact.equals("serious") || impact.equals("critical")) {
                    serious.add(violation.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(serious).as("axe-core on the %s screen in %s", screen, language).isEmpty();
    }

    /**
     * Each of the screens in each language, chosen in the header as a person would: every one checked by axe-core and
     * saved as {@code screen-<name>-<language>.png}. The header's choice is left on the last language.
     */
    void tour(String portal, Map<String, String> screens, List<String> languages) {
        for (String chosen : languages) {
            go(portal + "/");
            select(By.cssSelector("header select"), chosen);
            until(() -> chosen.equals(pageLanguage()));
            for (Map.Entry<String, String> screen : screens.entrySet()) {
                go(portal + screen.getValue());
                find(By.cssSelector("main h1"));
                // Loading placeholders ("Loading…", "読み込み中…", "불러오는 중…") gone: the screen is answered.
                until(() -> driver.findElements(By.cssSelector("main [role=status]")).stream()
                        .noneMatch(status -> status.getText().endsWith("…")));
                assertThat(pageLanguage()).isEqualTo(chosen);
                assertAccessible(screen.getKey() + " (" + chosen + ")");
                save("screen-" + screen.getKey() + "-" + chosen);
            }
        }
    }

    /** target/portal-screenshots/{screen}-{language}.png */
    void screenshot(String screen) {
        save(screen + "-" + language);
    }

    private void save(String name) {
        try {
            Path folder = Path.of(System.getProperty("portal.screenshots", "target/portal-screenshots"));
            Files.createDirectories(folder);
            Files.write(folder.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file the browser saved under this name, once it is complete. */
    byte[] awaitDownload(String name) {
        Path file = downloads.resolve(name);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> Files.exists(file)
                && !Files.exists(downloads.resolve(name + ".crdownload")));
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        deleteQuietly(profile);
        deleteQuietly(downloads);
    }

    private static void deleteQuietly(Path folder) {
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder: the machine's cleaning takes what is left
        }
    }
}
