package com.acme.incentives.gateway.web;

import com.acme.incentives.gateway.support.EchoServices;
import com.acme.incentives.platform.testing.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.SilentCssErrorHandler;
import org.htmlunit.WebClient;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.util.Cookie;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * Two gateway replicas, as Kubernetes runs them: two processes of the packaged application
 * ({@code target/quarkus-app}, prod profile) with the same secrets and the same Redis, behind a load balancer that
 * this test steers call by call. A {@code @QuarkusTest} cannot do this: it runs one application per JVM, and
 * whether a second replica accepts what the first one issued is the whole question. So this runs after packaging
 * (failsafe), like the end-to-end tests, but with the gateway alone (the services are {@link EchoServices}).
 *
 * <p>The load balancer listens on port 8099, an origin Keycloak's {@code gateway} client accepts as redirect URI, and
 * passes the Host header through, so both replicas send Keycloak the same redirect URI.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionAcrossReplicasIT {

    /** Not the e2e instance's 8090/8091 (that instance may be up): 8099, a redirect URI the realm's gateway accepts. */
    static final int PORT = 8099;
    static final String GATEWAY = "http://localhost:" + PORT;
    static final Path APP = Path.of("target/quarkus-app/quarkus-run.jar");
    static final int RATE_BURST = 10;
    /** Tokens live 300 s in the realm: refreshed by the gateway about 10 s after sign-in. */
    static final Duration REFRESH_SKEW = Duration.ofSeconds(290);

    private final EchoServices echo = new EchoServices();
    private final List<Process> replicas = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private Vertx vertx;
    private HttpServer balancer;
    private HttpClient client;
    /** Index of the replica the balancer sends the next calls to. */
    private volatile int target;

    @BeforeAll
    void startTwoReplicasBehindABalancer() throws Exception {
        assertThat(APP).as("the packaged gateway (mvn package)").exists();
        Map<String, String> services = echo.start();
        String keyPrefix = EchoServices.keyPrefix();
        for (String name : List.of("a", "b")) {
            int port = EchoServices.unusedPort();
            Map<String, String> env = new HashMap<>();
            services.forEach((key, value) -> {
                if (!key.contains(".offline.")) { // a service the packaged configuration does not know
                    env.put(key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT), value);
                }
            });
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
            // The same secrets on every replica: what the Deployment takes from the Secret gateway-secrets.
            env.put("GATEWAY_OIDC_CLIENT_SECRET", "gateway-secret");
            env.put("GATEWAY_SESSION_ENCRYPTION_SECRET", "it-only-session-encryption-secret-0123456789");
            env.put("GATEWAY_STATE_SECRET", "it-only-state-secret-0123456789abcdef");
            // The test instance's realm; rate-limit buckets of their own within it.
            env.put("INCENTIVES_INSTANCE", System.getProperty("incentives.instance", "test"));
            env.put("GATEWAY_RATE_LIMIT_REDIS_KEY_PREFIX", keyPrefix);
            env.put("GATEWAY_RATE_LIMIT_REQUESTS_PER_SECOND", "0.2");
            env.put("GATEWAY_RATE_LIMIT_BURST", Integer.toString(RATE_BURST));
            // On a busy test machine a late Redis answer must not decide a call locally: sharing is the point here.
            env.put("GATEWAY_RATE_LIMIT_REDIS_TIMEOUT", "500ms");
            // Sessions older than 10 s get fresh tokens on their next call (Keycloak's tokens live 300 s).
            env.put("QUARKUS_OIDC_TOKEN_REFRESH_TOKEN_TIME_SKEW", REFRESH_SKEW.toSeconds() + "S");
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx256m", "-XX:+UseSerialGC", "-jar", APP.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(new File("target/gateway-replica-" + name + ".log"));
            builder.environment().putAll(env);
            replicas.add(builder.start());
            ports.add(port);
        }
        for (int i = 0; i < ports.size(); i++) {
            awaitReady(i);
        }
        vertx = Vertx.vertx();
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
        balancer = await(vertx.createHttpServer().requestHandler(this::balance).listen(PORT, "localhost"));
    }

    @AfterAll
    void stop() throws Exception {
        if (balancer != null) {
            await(balancer.close());
        }
        if (vertx != null) {
            await(vertx.close());
        }
        for (Process replica : replicas) {
            replica.destroy();
        }
        for (Process replica : replicas) {
            if (!replica.waitFor(30, TimeUnit.SECONDS)) {
                replica.destroyForcibly();
            }
        }
        echo.stop();
    }

    @Test
    void aSessionBegunOnOneReplicaGoesOnOnTheOther() throws Exception {
        try (WebClient browser = newBrowser()) {
            // The code flow starts on replica a: state cookie (PKCE verifier, encrypted), redirect to Keycloak.
            target = 0;
            HtmlPage loginForm = browser.getPage(GATEWAY + "/login");
            assertThat(loginForm.getUrl().toString()).startsWith(TestTokens.REALM_URL);

            // Keycloak sends the browser back with the code to replica b, which must read a's state cookie.
            target = 1;
            Page home = submitLogin(loginForm);
            assertThat(home.getWebResponse().getStatusCode()).isEqualTo(200);
            assertThat(home.getUrl().toString()).isEqualTo(GATEWAY + "/");
            assertThat(new JsonObject(browser.getPage(GATEWAY + "/session").getWebResponse().getContentAsString())
                    .getString("user")).as("signed in, as replica %s says", target).isEqualTo("operator");
            Cookie xsrf = browser.getCookieManager().getCookie("XSRF-TOKEN");
            assertThat(xsrf).as("XSRF-TOKEN issued by replica b").isNotNull();

            // b's session cookie and XSRF token work on a, and a's answers on b: reads and writes on either.
            for (int replica : new int[] { 0, 1, 0 }) {
                target = replica;
                WebResponse read = call(browser, HttpMethod.GET, "/api/v1/me", null, Map.of());
                assertThat(read.getStatusCode()).as("GET through the session on replica %d", replica).isEqualTo(200);
                String relayed = new JsonObject(read.getContentAsString()).getString("authorization").substring(7);
                assertThat(new JsonObject(TestTokens.payload(relayed)).getString("preferred_username"))
                        .isEqualTo("operator");
                WebResponse write = call(browser, HttpMethod.POST, "/api/v1/organizations", "{\"name\":\"Contoso\"}",
                        Map.of("Content-Type", "application/json", "X-XSRF-TOKEN", xsrf.getValue(),
                                "Origin", GATEWAY));
                assertThat(write.getStatusCode()).as("POST with the XSRF header on replica %d", replica)
                        .isEqualTo(200);
                WebResponse forged = call(browser, HttpMethod.POST, "/api/v1/organizations", "{}",
                        Map.of("Content-Type", "application/json"));
                assertThat(forged.getStatusCode()).as("POST without it on replica %d", replica).isEqualTo(403);
            }

            // The tokens are refreshed by one replica (new cookies) and the refreshed session read by the other.
            target = 0;
            String before = relayedToken(browser);
            // Refreshed on the first call once less than REFRESH_SKEW is left of the token's life (its own exp
            // says when): the first look is made then, not at a guessed time. Every look is a relayed call under
            // this test's rate limit (0.2/s, burst RATE_BURST, spent by now): one per 5 s is what the limit gives back.
            long due = new JsonObject(TestTokens.payload(before)).getLong("exp") - REFRESH_SKEW.toSeconds();
            Duration untilDue = Duration.ofSeconds(Math.max(0, due - java.time.Instant.now().getEpochSecond()) + 1);
            String refreshed = Awaitility.await().pollDelay(untilDue).pollInterval(Duration.ofSeconds(5))
                    .atMost(untilDue.plusSeconds(60)).until(() -> relayedToken(browser), not(equalTo(before)));
            assertThat(refreshed).isNotEqualTo(before);
            target = 1;
            assertThat(new JsonObject(TestTokens.payload(relayedToken(browser))).getString("sid"))
                    .isEqualTo(new JsonObject(TestTokens.payload(before)).getString("sid"));

            // Signed out through replica a, the session's cookies (a copy taken just before) are refused by replica b:
            // the record of the ended session is in the Redis both read. (The browser does not go on to Keycloak, whose
            // session, and so the copy's refresh token, lives on.)
            String copied = browser.getCookieManager().getCookies().stream()
                    .filter(cookie -> cookie.getName().startsWith("q_session"))
                    .map(cookie -> cookie.getName() + "=" + cookie.getValue())
                    .collect(java.util.stream.Collectors.joining("; "));
            target = 0;
            browser.getOptions().setRedirectEnabled(false);
            assertThat(call(browser, HttpMethod.GET, "/logout", null, Map.of()).getStatusCode()).isEqualTo(302);
            target = 1;
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            HttpResponse<String> replayed = withinRateLimit(() -> http.send(java.net.http.HttpRequest.newBuilder(
                    URI.create(GATEWAY + "/api/v1/me")).header("Cookie", copied).build(),
                    HttpResponse.BodyHandlers.ofString()), HttpResponse::statusCode);
            assertThat(replayed.statusCode()).as("the signed-out session's cookies on replica b").isEqualTo(401);
            assertThat(replayed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            HttpResponse<String> signedOut = http.send(java.net.http.HttpRequest.newBuilder(URI.create(GATEWAY + "/session"))
                    .header("Cookie", copied).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(new JsonObject(signedOut.body()).getBoolean("signedIn")).isFalse();
        }
    }

    @Test
    void aClientsRateLimitHoldsAcrossReplicas() throws Exception {
        // Each replica alone would allow RATE_BURST calls at once; together they allow RATE_BURST, not twice as many.
        String token = TestTokens.partnerFeed();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < RATE_BURST + 2; i++) {
            HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(
                    URI.create("http://localhost:" + ports.get(i % 2) + "/api/v1/programs"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            statuses.add(response.statusCode());
        }
        // At 0.2 per second, at most one token comes back while these calls run.
        assertThat(statuses.subList(0, RATE_BURST)).containsOnly(200);
        assertThat(statuses.subList(RATE_BURST, RATE_BURST + 2)).contains(429);
    }

    /** Forwards the call to the replica of the moment, Host header and cookies unchanged, answer unchanged. */
    private void balance(HttpServerRequest in) {
        int port = ports.get(target);
        in.body().compose(body -> client.request(new RequestOptions().setMethod(in.method()).setHost("localhost")
                .setPort(port).setURI(in.uri()).setHeaders(copy(in.headers())))
                .compose(request -> request.send(body))
                .compose(response -> response.body().map(answer -> {
                    in.response().setStatusCode(response.statusCode());
                    in.response().headers().addAll(copy(response.headers()));
                    in.response().end(answer);
                    return answer;
                })))
                .onFailure(failure -> in.response().setStatusCode(599).end(String.valueOf(failure)));
    }

    private static MultiMap copy(MultiMap headers) {
        Set<String> hop = Set.of("connection", "keep-alive", "transfer-encoding", "content-length");
        MultiMap copy = MultiMap.caseInsensitiveMultiMap();
        headers.forEach(e -> {
            if (!hop.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                copy.add(e.getKey(), e.getValue());
            }
        });
        return copy;
    }

    private void awaitReady(int replica) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        Awaitility.await("replica " + replica + " ready").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    assertThat(replicas.get(replica).isAlive())
                            .as("replica %d is running (see target/gateway-replica-*.log)", replica).isTrue();
                    try {
                        return http.send(java.net.http.HttpRequest.newBuilder(
                                URI.create("http://localhost:" + ports.get(replica) + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode() == 200;
                    } catch (java.io.IOException notYet) {
                        return false; // starting
                    }
                });
    }

    private static String relayedToken(WebClient browser) throws Exception {
        WebResponse response = withinRateLimit(() -> call(browser, HttpMethod.GET, "/api/v1/me", null, Map.of()),
                WebResponse::getStatusCode);
        assertThat(response.getStatusCode()).isEqualTo(200);
        return new JsonObject(response.getContentAsString()).getString("authorization").substring(7);
    }

    /**
     * The call, sent again while the rate limit refuses it (429): this test's limit gives back one call per 5 s, and
     * whether the bucket still holds one when a check is due depends on how long the steps before took, not on what
     * the check is about.
     */
    private static <R> R withinRateLimit(java.util.concurrent.Callable<R> call,
            java.util.function.ToIntFunction<R> status) {
        return Awaitility.await("a call the rate limit lets through").pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(20))
                .until(call, response -> status.applyAsInt(response) != 429);
    }

    private static WebClient newBrowser() {
        WebClient browser = new WebClient();
        browser.getOptions().setJavaScriptEnabled(false);
        browser.getOptions().setCssEnabled(false);
        browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
        browser.getOptions().setRedirectEnabled(true);
        browser.setCssErrorHandler(new SilentCssErrorHandler());
        return browser;
    }

    private static Page submitLogin(HtmlPage loginPage) throws Exception {
        ((HtmlInput) loginPage.getElementByName("username")).type(TestTokens.OPERATOR);
        ((HtmlInput) loginPage.getElementByName("password")).type(TestTokens.OPERATOR_PASSWORD);
        return ((HtmlElement) loginPage.getElementById("kc-login")).click();
    }

    private static WebResponse call(WebClient browser, HttpMethod method, String path, String body,
            Map<String, String> headers) throws Exception {
        WebRequest request = new WebRequest(new URL(GATEWAY + path), method);
        headers.forEach(request::setAdditionalHeader);
        if (body != null) {
            request.setRequestBody(body);
        }
        return browser.loadWebResponse(request);
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
