package com.acme.incentives.gateway.auth;

import com.acme.incentives.gateway.support.Browsers;
import com.acme.incentives.gateway.support.EchoServices;
import com.acme.incentives.platform.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.inject.Inject;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.htmlunit.WebResponse;
import org.htmlunit.util.Cookie;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static com.acme.incentives.gateway.support.Browsers.GATEWAY;
import static com.acme.incentives.gateway.support.Browsers.call;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a browser session is bound to: its XSRF token to the session, the session's cookies to a sign-in that
 * {@code /logout} ends for good (on every replica: the record is in Redis), and a sign-in to identity-service learning
 * of it at once. Real Keycloak login form, real Redis; the services are the echo servers.
 */
@QuarkusTest
@TestProfile(Browsers.OnRegisteredRedirectPort.class)
@WithTestResource(EchoServices.class)
class SessionSecurityTest {

    private static final String BODY = "{\"name\":\"Contoso\"}";

    @Inject
    EndedSessions endedSessions;

    @Inject
    RedisAPI redis;

    @Test
    void anXsrfTokenIsAcceptedOnlyWithTheSessionItWasIssuedTo() throws Exception {
        try (WebClient a = Browsers.newBrowser(); WebClient b = Browsers.newBrowser()) {
            Browsers.signIn(a, TestTokens.OPERATOR, TestTokens.OPERATOR_PASSWORD);
            Browsers.signIn(b, TestTokens.OPERATOR, TestTokens.OPERATOR_PASSWORD);
            String tokenOfA = xsrf(a);
            String tokenOfB = xsrf(b);
            assertThat(tokenOfA).isNotEqualTo(tokenOfB);
            // Same user, two sign-ins: two Keycloak sessions.
            assertThat(sid(a)).isNotEqualTo(sid(b));

            // B's session cookies with A's token, in the cookie and the header alike (what a page that planted the
            // cookie could send): refused.
            HttpResponse<String> forged = writeWith(sessionCookies(b) + "; " + CsrfGuard.COOKIE + "=" + tokenOfA,
                    tokenOfA);
            assertThat(forged.statusCode()).isEqualTo(403);
            assertThat(forged.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonObject problem = new JsonObject(forged.body());
            assertThat(problem.getString("type")).isEqualTo("/problems/forbidden");
            assertThat(problem.getString("detail")).contains("not issued to this session");
            // ...and the gateway hands B a token of its own session instead.
            assertThat(forged.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
                    .startsWith(CsrfGuard.COOKIE + "=").doesNotContain(tokenOfA));

            // A token of the right shape but made up: refused.
            String madeUp = "bm9uY2U.c2lnbmF0dXJl";
            HttpResponse<String> guessed = writeWith(sessionCookies(b) + "; " + CsrfGuard.COOKIE + "=" + madeUp,
                    madeUp);
            assertThat(guessed.statusCode()).isEqualTo(403);
            assertThat(new JsonObject(guessed.body()).getString("detail")).contains("not issued to this session");

            // Each session with its own token: relayed.
            assertThat(write(a, tokenOfA).getStatusCode()).isEqualTo(200);
            assertThat(write(b, tokenOfB).getStatusCode()).isEqualTo(200);
        }
    }

    @Test
    void aSignedOutSessionsCookieReplayedIsRefusedOnEveryReplica() throws Exception {
        try (WebClient browser = Browsers.newBrowser(); WebClient other = Browsers.newBrowser()) {
            Browsers.signIn(browser, TestTokens.OPERATOR, TestTokens.OPERATOR_PASSWORD);
            Browsers.signIn(other, TestTokens.OPERATOR, TestTokens.OPERATOR_PASSWORD);
            String sid = sid(browser);
            String copied = sessionCookies(browser);
            assertThat(replay(copied, "/api/v1/me").statusCode()).as("a copy works while signed in").isEqualTo(200);

            // Sign out at the gateway only: the browser does not follow the redirect to Keycloak's end-session
            // endpoint, so Keycloak's session lives on and the copy's tokens could still be refreshed.
            browser.getOptions().setRedirectEnabled(false);
            WebResponse logout = call(browser, HttpMethod.GET, "/logout", null, Map.of());
            assertThat(logout.getStatusCode()).isEqualTo(302);
            assertThat(logout.getResponseHeaderValue("Location"))
                    .startsWith(TestTokens.REALM_URL + "/protocol/openid-connect/logout");

            HttpResponse<String> replayed = replay(copied, "/api/v1/me");
            assertThat(replayed.statusCode()).isEqualTo(401);
            assertThat(replayed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonObject problem = new JsonObject(replayed.body());
            assertThat(problem.getString("type")).isEqualTo("/problems/unauthorized");
            assertThat(problem.getString("detail")).contains("signed out");
            assertThat(replayed.headers().allValues("Set-Cookie")).anySatisfy(cookie ->
                    assertThat(cookie).startsWith("q_session=;").containsIgnoringCase("Max-Age=0"));
            HttpResponse<String> home = replay(copied, "/session");
            assertThat(new JsonObject(home.body()).getBoolean("signedIn")).isFalse();
            HttpResponse<String> login = replay(copied, "/login");
            assertThat(login.statusCode()).as("a new sign-in starts").isEqualTo(302);
            assertThat(login.headers().firstValue("Location")).hasValue("/login");

            // The record is in the Redis every replica reads, for as long as the session could be refreshed...
            String key = endedSessions.key(sid);
            long ttl = redis.pttl(key).await().atMost(Duration.ofSeconds(5)).toLong();
            assertThat(ttl).isBetween(Duration.ofHours(9).toMillis(), Duration.ofHours(10).toMillis());
            // ...so a replica that did not see the sign-out (this one, once it forgets its own records) refuses too.
            endedSessions.forgetLocalRecords();
            assertThat(replay(copied, "/api/v1/me").statusCode()).isEqualTo(401);

            // Another sign-in of the same user is not affected.
            assertThat(call(other, HttpMethod.GET, "/api/v1/me", null, Map.of()).getStatusCode()).isEqualTo(200);
        }
    }

    @Test
    void signingInTellsIdentityServiceBeforeTheBrowserGoesOn() throws Exception {
        try (WebClient browser = Browsers.newBrowser()) {
            int before = EchoServices.callsReceivedBy("identity").size();
            Page home = Browsers.signIn(browser, TestTokens.OPERATOR, TestTokens.OPERATOR_PASSWORD);
            assertThat(home.getUrl().toString()).isEqualTo(GATEWAY + "/");

            // Before the browser made a single API call, identity has been asked GET /me with the new session's token.
            JsonArray calls = EchoServices.callsReceivedBy("identity");
            List<JsonObject> since = calls.stream().skip(before).map(JsonObject.class::cast).toList();
            assertThat(since).hasSize(1);
            JsonObject call = since.get(0);
            assertThat(call.getString("method")).isEqualTo("GET");
            assertThat(call.getString("path")).isEqualTo("/api/v1/me");
            assertThat(call.getString("correlationId")).isNotBlank();
            String relayed = call.getString("authorization").substring("Bearer ".length());
            JsonObject claims = new JsonObject(TestTokens.payload(relayed));
            assertThat(claims.getString("preferred_username")).isEqualTo("operator");
            assertThat(claims.getString("sid")).isEqualTo(sid(browser));
        }
    }

    private static WebResponse write(WebClient browser, String xsrfHeader) throws Exception {
        return call(browser, HttpMethod.POST, "/api/v1/organizations", BODY,
                Map.of("Content-Type", "application/json", CsrfGuard.HEADER, xsrfHeader, "Origin", GATEWAY));
    }

    private static HttpResponse<String> writeWith(String cookies, String xsrfHeader) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(GATEWAY + "/api/v1/organizations"))
                .header("Cookie", cookies).header(CsrfGuard.HEADER, xsrfHeader).header("Origin", GATEWAY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String xsrf(WebClient browser) {
        Cookie cookie = browser.getCookieManager().getCookie(CsrfGuard.COOKIE);
        assertThat(cookie).as("XSRF-TOKEN cookie").isNotNull();
        return cookie.getValue();
    }

    /** The Keycloak session of the browser's sign-in, read from the access token the gateway relays. */
    private static String sid(WebClient browser) throws Exception {
        WebResponse me = call(browser, HttpMethod.GET, "/api/v1/me", null, Map.of());
        assertThat(me.getStatusCode()).isEqualTo(200);
        String token = new JsonObject(me.getContentAsString()).getString("authorization").substring(7);
        return new JsonObject(TestTokens.payload(token)).getString("sid");
    }

    private static String sessionCookies(WebClient browser) {
        String cookies = browser.getCookieManager().getCookies().stream()
                .filter(cookie -> cookie.getName().startsWith("q_session"))
                .map(cookie -> cookie.getName() + "=" + cookie.getValue())
                .collect(Collectors.joining("; "));
        assertThat(cookies).contains("q_session=");
        return cookies;
    }

    /** A request carrying nothing but a copy of the session cookies, as someone who took them would send it. */
    private static HttpResponse<String> replay(String cookies, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(GATEWAY + path))
                .header("Cookie", cookies).build(), HttpResponse.BodyHandlers.ofString());
    }
}
