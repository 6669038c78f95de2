package com.acme.incentives.gateway.web;

import com.acme.incentives.gateway.support.Browsers;
import com.acme.incentives.gateway.support.EchoServices;
import com.acme.incentives.platform.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.htmlunit.WebResponse;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.util.Cookie;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * A browser signing in through the real Keycloak login form, using the API through its session, and signing out.
 * Runs the gateway on port 8090, one of the two origins Keycloak's {@code gateway} client accepts as redirect URI.
 */
@QuarkusTest
@TestProfile(Browsers.OnRegisteredRedirectPort.class)
@WithTestResource(EchoServices.class)
class BrowserSessionTest {

    static final String GATEWAY = Browsers.GATEWAY;

    @Test
    void signInUseTheApiThroughTheSessionAndSignOut() throws Exception {
        try (WebClient browser = newBrowser()) {
            // Sign in: /login -> Keycloak's form -> back to /login with the code -> /
            HtmlPage loginForm = browser.getPage(GATEWAY + "/login");
            assertThat(loginForm.getUrl().toString()).startsWith(TestTokens.REALM_URL);
            Page home = submitLogin(loginForm, TestTokens.OPERATOR, TestTokens.OPERATOR_PASSWORD);
            assertThat(home.getUrl().toString()).isEqualTo(GATEWAY + "/");
            assertThat(home.getWebResponse().getContentType()).as("the portal's page").isEqualTo("text/html");
            JsonObject signedIn = new JsonObject(browser.getPage(GATEWAY + "/session").getWebResponse().getContentAsString());
            assertThat(signedIn.getBoolean("signedIn")).isTrue();
            assertThat(signedIn.getString("user")).isEqualTo("operator");
            assertThat(signedIn.getString("message")).isEqualTo("Signed in as operator");

            // Tokens stay server-side, in the encrypted, script-proof session cookie.
            Cookie session = browser.getCookieManager().getCookie("q_session");
            assertThat(session).isNotNull();
            assertThat(session.isHttpOnly()).isTrue();
            assertThat(session.getSameSite()).isEqualToIgnoringCase("lax");
            assertThat(session.getValue().split("\\.")).as("an encrypted JWT (JWE)").hasSize(5);
            Cookie xsrf = browser.getCookieManager().getCookie("XSRF-TOKEN");
            assertThat(xsrf).isNotNull();
            assertThat(xsrf.isHttpOnly()).isFalse();
            assertThat(xsrf.getSameSite()).isEqualToIgnoringCase("strict");

            // A read through the session: the service gets the user's access token, never the cookies.
            WebResponse read = call(browser, HttpMethod.GET, "/api/v1/me", null, Map.of());
            assertThat(read.getStatusCode()).isEqualTo(200);
            JsonObject echo = new JsonObject(read.getContentAsString());
            assertThat(echo.getString("authorization")).startsWith("Bearer ");
            JsonObject claims = new JsonObject(TestTokens.payload(echo.getString("authorization").substring(7)));
            assertThat(claims.getString("preferred_username")).isEqualTo("operator");
            assertThat(claims.getValue("aud").toString()).contains("incentives-api");
            assertThat(echo.getString("cookie")).isNull();
            String accessToken = echo.getString("authorization").substring(7);
            assertThat(browser.getCookieManager().getCookies())
                    .allSatisfy(cookie -> assertThat(cookie.getValue()).doesNotContain(accessToken));

            // A write without the XSRF header is refused; with it, relayed.
            String body = "{\"name\":\"Contoso\"}";
            Map<String, String> json = Map.of("Content-Type", "application/json");
            WebResponse forged = call(browser, HttpMethod.POST, "/api/v1/organizations", body, json);
            assertThat(forged.getStatusCode()).isEqualTo(403);
            assertThat(forged.getContentType()).isEqualTo("application/problem+json");
            JsonObject problem = new JsonObject(forged.getContentAsString());
            assertThat(problem.getString("type")).isEqualTo("/problems/forbidden");
            assertThat(problem.getString("detail")).contains("CSRF");

            WebResponse wrongToken = call(browser, HttpMethod.POST, "/api/v1/organizations", body,
                    Map.of("Content-Type", "application/json", "X-XSRF-TOKEN", "guessed"));
            assertThat(wrongToken.getStatusCode()).isEqualTo(403);

            WebResponse foreignOrigin = call(browser, HttpMethod.POST, "/api/v1/organizations", body,
                    Map.of("Content-Type", "application/json", "X-XSRF-TOKEN", xsrf.getValue(),
                            "Origin", "https://evil.example"));
            assertThat(foreignOrigin.getStatusCode()).isEqualTo(403);

            WebResponse write = call(browser, HttpMethod.POST, "/api/v1/organizations", body,
                    Map.of("Content-Type", "application/json", "X-XSRF-TOKEN", xsrf.getValue(),
                            "Origin", GATEWAY));
            assertThat(write.getStatusCode()).isEqualTo(200);
            JsonObject relayed = new JsonObject(write.getContentAsString());
            assertThat(relayed.getString("method")).isEqualTo("POST");
            assertThat(relayed.getString("body")).isEqualTo(body);
            assertThat(relayed.getString("authorization")).isEqualTo(echo.getString("authorization"));

            // Sign out: the gateway sends the browser to Keycloak's end-session endpoint, which returns to /.
            browser.getOptions().setRedirectEnabled(false);
            WebResponse logout = call(browser, HttpMethod.GET, "/logout", null, Map.of());
            assertThat(logout.getStatusCode()).isEqualTo(302);
            String endSession = logout.getResponseHeaderValue("Location");
            assertThat(endSession).startsWith(TestTokens.REALM_URL + "/protocol/openid-connect/logout")
                    .contains("id_token_hint=");
            browser.getOptions().setRedirectEnabled(true);
            Page afterLogout = browser.getPage(endSession);
            assertThat(afterLogout.getUrl().toString()).startsWith(GATEWAY + "/");
            assertThat(afterLogout.getUrl().getPath()).isEqualTo("/");
            assertThat(new JsonObject(browser.getPage(GATEWAY + "/session").getWebResponse().getContentAsString())
                    .getBoolean("signedIn")).isFalse();

            // The gateway session is gone...
            WebResponse afterSignOut = call(browser, HttpMethod.GET, "/api/v1/me", null, Map.of());
            assertThat(afterSignOut.getStatusCode()).isEqualTo(401);
            assertThat(afterSignOut.getContentType()).isEqualTo("application/problem+json");

            // ...and so is Keycloak's: signing in again asks for the password instead of passing straight through.
            Page again = browser.getPage(GATEWAY + "/login");
            assertThat(again).isInstanceOf(HtmlPage.class);
            assertThat(again.getUrl().toString()).startsWith(TestTokens.REALM_URL);
            assertThat(((HtmlPage) again).getElementById("kc-form-login")).isNotNull();
        }
    }

    @Test
    void theSessionRefreshesItsTokensBeforeTheRelayedAccessTokenExpires() throws Exception {
        try (WebClient browser = newBrowser()) {
            submitLogin(browser.getPage(GATEWAY + "/login"), TestTokens.OPERATOR, TestTokens.OPERATOR_PASSWORD);
            String first = relayedToken(browser);
            // The test profile refreshes a token with less than 290 s of its 300 to live: from about 10 s after
            // sign-in. Wait for that state (a new token relayed), not for a guessed time.
            String second = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> relayedToken(browser), not(equalTo(first)));
            JsonObject before = new JsonObject(TestTokens.payload(first));
            JsonObject after = new JsonObject(TestTokens.payload(second));
            assertThat(after.getLong("exp")).isGreaterThan(before.getLong("exp"));
            assertThat(after.getString("preferred_username")).isEqualTo("operator");
            assertThat(after.getString("sid")).isEqualTo(before.getString("sid")); // same Keycloak session
        }
    }

    private static String relayedToken(WebClient browser) throws Exception {
        WebResponse response = call(browser, HttpMethod.GET, "/api/v1/me", null, Map.of());
        assertThat(response.getStatusCode()).isEqualTo(200);
        return new JsonObject(response.getContentAsString()).getString("authorization").substring(7);
    }

    @Test
    void anApiCallWithoutSessionIsNeverSentToTheLoginPage() throws Exception {
        try (WebClient browser = newBrowser()) {
            browser.getOptions().setRedirectEnabled(false);
            WebResponse response = call(browser, HttpMethod.GET, "/api/v1/me", null, Map.of());
            assertThat(response.getStatusCode()).isEqualTo(401);
            assertThat(response.getResponseHeaderValue("Location")).isNull();
        }
    }

    private static WebClient newBrowser() {
        return Browsers.newBrowser();
    }

    private static Page submitLogin(HtmlPage loginPage, String username, String password) throws Exception {
        return Browsers.submitLogin(loginPage, username, password);
    }

    private static WebResponse call(WebClient browser, HttpMethod method, String path, String body,
            Map<String, String> headers) throws Exception {
        return Browsers.call(browser, method, path, body, headers);
    }
}
