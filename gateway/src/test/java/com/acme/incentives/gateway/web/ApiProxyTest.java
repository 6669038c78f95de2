package com.acme.incentives.gateway.web;

import com.acme.incentives.gateway.support.EchoServices;
import com.acme.incentives.platform.testing.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Arrays;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@WithTestResource(EchoServices.class)
class ApiProxyTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    MeterRegistry meters;

    @Test
    void bearerCallIsRelayedWithTheSameTokenAndCorrelationId() {
        String token = TestTokens.operator();
        Response response = given().redirects().follow(false)
                .auth().oauth2(token)
                .header("X-Correlation-Id", "test-corr-42")
                .header("Accept", "application/json")
                .header("Cookie", "q_session=should-not-travel")
                .header("X-Custom", "kept")
                .when().get("/api/v1/me?lang=en&x=1")
                .then().statusCode(200)
                .header("X-Correlation-Id", "test-corr-42")
                .header("X-Upstream", "identity")
                .header("Set-Cookie", nullValue())
                .extract().response();
        JsonObject echo = new JsonObject(response.asString());
        assertThat(echo.getString("service")).isEqualTo("identity");
        assertThat(echo.getString("method")).isEqualTo("GET");
        assertThat(echo.getString("path")).isEqualTo("/api/v1/me");
        assertThat(echo.getString("query")).isEqualTo("lang=en&x=1");
        assertThat(echo.getString("authorization")).isEqualTo("Bearer " + token);
        assertThat(echo.getString("correlationId")).isEqualTo("test-corr-42");
        assertThat(echo.getString("accept")).isEqualTo("application/json");
        assertThat(echo.getString("custom")).isEqualTo("kept");
        assertThat(echo.getString("cookie")).isNull();
        assertThat(echo.getString("forwardedFor")).isNotBlank();
    }

    /**
     * The gateway's part of one trace from the caller through a service, across Kafka, into the consumer (the rest is
     * eligibility-service's TracingTest): the service receives exactly one traceparent, in the caller's trace.
     */
    @Test
    void theCallersTraceContinuesUpstreamWithExactlyOneTraceparent() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        JsonObject echo = new JsonObject(given().auth().oauth2(TestTokens.operator())
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .when().get("/api/v1/me")
                .then().statusCode(200).extract().asString());
        assertThat(echo.getJsonArray("traceparent")).hasSize(1);
        assertThat(echo.getJsonArray("traceparent").getString(0)).startsWith("00-" + traceId + "-");
    }

    @Test
    void machineClientPostCarriesBodyAndIdempotencyKey() {
        String token = TestTokens.partnerFeed();
        String body = "{\"agreementId\":\"A-1\",\"type\":\"MPN\"}";
        JsonObject echo = new JsonObject(given()
                .auth().oauth2(token)
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", "feed-0001")
                .body(body)
                .when().put("/api/v1/locations/1234567/agreements/A-1")
                .then().statusCode(200)
                .header("X-Correlation-Id", notNullValue())
                .extract().asString());
        assertThat(echo.getString("service")).isEqualTo("eligibility");
        assertThat(echo.getString("method")).isEqualTo("PUT");
        assertThat(echo.getString("body")).isEqualTo(body);
        assertThat(echo.getString("idempotencyKey")).isEqualTo("feed-0001");
        assertThat(echo.getString("contentType")).startsWith("application/json");
        assertThat(echo.getString("authorization")).isEqualTo("Bearer " + token);
    }

    @Test
    void upstreamStatusAndBodyPassUnchanged() {
        given().auth().oauth2(TestTokens.operator())
                .when().get("/api/v1/payout-runs/42?status=409")
                .then().statusCode(409)
                .header("X-Upstream", "payout")
                .body("service", equalTo("payout"));
    }

    /**
     * {@code gateway_upstream_requests_seconds} (docs/observability.md, the 5xx alert, the dashboard): one timer per
     * service and status class, the same one for every call of that class, with the latency buckets.
     */
    @Test
    void relayedCallsAreTimedPerServiceAndStatusClass() {
        double eligibility2xx = relayed("eligibility", "2xx");
        double payout4xx = relayed("payout", "4xx");
        double payout5xx = relayed("payout", "5xx");
        String token = TestTokens.operator();
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(token).when().get("/api/v1/programs").then().statusCode(200);
        }
        given().auth().oauth2(token).when().get("/api/v1/payout-runs/42?status=409").then().statusCode(409);
        given().auth().oauth2(token).when().get("/api/v1/payout-runs/42?status=404").then().statusCode(404);
        given().auth().oauth2(token).when().get("/api/v1/payout-runs/42?status=503").then().statusCode(503);
        // Recorded when the answer has been sent, so just after the client has it.
        Awaitility.await("the calls are recorded").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(relayed("eligibility", "2xx") - eligibility2xx).isEqualTo(3);
            assertThat(relayed("payout", "4xx") - payout4xx).isEqualTo(2);
            assertThat(relayed("payout", "5xx") - payout5xx).isEqualTo(1);
        });
        Timer timer = meters.find("gateway.upstream.requests").tags("service", "payout", "status", "4xx").timer();
        assertThat(meters.find("gateway.upstream.requests").tags("service", "payout", "status", "4xx").timers())
                .as("one timer per service and status class").hasSize(1);
        assertThat(timer.getId().getTag("application")).isEqualTo("gateway");
        assertThat(timer.takeSnapshot().histogramCounts()).as("latency buckets").isNotEmpty();
    }

    private double relayed(String service, String statusClass) {
        Timer timer = meters.find("gateway.upstream.requests").tags("service", service, "status", statusClass)
                .timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void hopByHopHeadersAndTheXsrfHeaderStayAtTheGateway() {
        JsonObject echo = new JsonObject(given().auth().oauth2(TestTokens.operator())
                .header("Connection", "X-Hop-Test")
                .header("X-Hop-Test", "connection-scoped")
                .header("X-XSRF-TOKEN", "irrelevant-for-services")
                .when().get("/api/v1/programs")
                .then().statusCode(200)
                .extract().asString());
        assertThat(echo.getString("connectionHeader")).isNull();
        assertThat(echo.getString("xsrfHeader")).isNull();
    }

    @Test
    void malformedCorrelationIdIsReplaced() {
        String echoed = given().auth().oauth2(TestTokens.operator())
                .header("X-Correlation-Id", "bad id with spaces; and=more")
                .when().get("/api/v1/me")
                .then().statusCode(200)
                .extract().header("X-Correlation-Id");
        assertThat(echoed).matches("[0-9a-f-]{36}");
    }

    @Test
    void apiCallWithoutCredentialsIs401ProblemNotARedirect() {
        given().redirects().follow(false)
                .header("X-Correlation-Id", "anon-1")
                .when().get("/api/v1/me")
                .then().statusCode(401)
                .contentType(PROBLEM)
                .header("Location", nullValue())
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo("/problems/unauthorized"))
                .body("title", equalTo("Authentication required"))
                .body("status", equalTo(401))
                .body("detail", notNullValue())
                .body("instance", equalTo("/api/v1/me"))
                .body("correlationId", equalTo("anon-1"));
    }

    @Test
    void postWithoutCredentialsIs401Too() {
        given().redirects().follow(false).contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/organizations")
                .then().statusCode(401).contentType(PROBLEM)
                .header("Location", nullValue());
    }

    @Test
    void invalidBearerTokenIs401WithWwwAuthenticate() {
        String token = TestTokens.operator();
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        for (String bad : Arrays.asList("not-a-jwt", tampered)) {
            given().redirects().follow(false).auth().oauth2(bad)
                    .when().get("/api/v1/me")
                    .then().statusCode(401)
                    .contentType(PROBLEM)
                    .header("WWW-Authenticate", startsWith("Bearer"))
                    .body("type", equalTo("/problems/unauthorized"))
                    .body("instance", equalTo("/api/v1/me"));
        }
    }

    /**
     * The gateway verifies a bearer token once (platform-tokens' cache, as the services do): the second call with the
     * same token is a hit, and a token altered in any way is verified, and refused, on every call.
     */
    @Test
    void aBearerTokenIsVerifiedOnceAndAnAlteredOneEveryTime() {
        String token = TestTokens.operator();
        double hits = tokenCache("hit");
        double misses = tokenCache("miss");
        given().auth().oauth2(token).get("/api/v1/me").then().statusCode(200);
        given().auth().oauth2(token).get("/api/v1/me").then().statusCode(200);
        assertThat(tokenCache("hit") - hits).as("hits").isGreaterThanOrEqualTo(1);
        assertThat(tokenCache("miss") - misses).as("misses").isLessThanOrEqualTo(1);

        String[] parts = token.split("\\.");
        char last = parts[1].charAt(parts[1].length() - 2);
        String otherClaims = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + (last == 'A' ? 'B' : 'A')
                + parts[1].charAt(parts[1].length() - 1) + "." + parts[2];
        for (String altered : new String[] { otherClaims, token + "A", token.substring(0, token.length() - 1) }) {
            double before = tokenCache("hit");
            given().auth().oauth2(altered).get("/api/v1/me").then().statusCode(401);
            given().auth().oauth2(altered).get("/api/v1/me").then().statusCode(401);
            assertThat(tokenCache("hit")).as("an altered token is never a hit").isEqualTo(before);
        }
    }

    private double tokenCache(String result) {
        var counter = meters.find("security.token.cache").tag("result", result).counter();
        assertThat(counter).as("security.token.cache{result=%s}", result).isNotNull();
        return counter.count();
    }

    @Test
    void apiPathWithoutRouteIs404Problem() {
        given().auth().oauth2(TestTokens.operator())
                .when().get("/api/v1/no-such-resource")
                .then().statusCode(404)
                .contentType(PROBLEM)
                .body("type", equalTo("/problems/not-found"))
                .body("status", equalTo(404))
                .body("instance", equalTo("/api/v1/no-such-resource"))
                .body("correlationId", notNullValue());
        given().auth().oauth2(TestTokens.operator())
                .when().get("/api/v2/me")
                .then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void unreachableUpstreamIs502Problem() {
        given().auth().oauth2(TestTokens.operator())
                .when().get("/api/v1/offline/anything")
                .then().statusCode(502)
                .contentType(PROBLEM)
                .body("type", equalTo("/problems/bad-gateway"))
                .body("status", equalTo(502))
                .body("detail", equalTo("The offline service could not be reached"));
    }

    @Test
    void silentUpstreamIs504Problem() {
        given().auth().oauth2(TestTokens.operator())
                .when().get("/api/v1/me?delayMs=5000")
                .then().statusCode(504)
                .contentType(PROBLEM)
                .body("type", equalTo("/problems/gateway-timeout"));
    }

    @Test
    void oversizedBodyIs413Problem() {
        byte[] body = new byte[10 * 1024 * 1024 + 1];
        Arrays.fill(body, (byte) 'x');
        given().auth().oauth2(TestTokens.billingSystem())
                .contentType(ContentType.JSON)
                .body(body)
                .when().post("/api/v1/earnings/batch")
                .then().statusCode(413)
                .contentType(PROBLEM)
                .body("type", equalTo("/problems/payload-too-large"))
                .body("status", equalTo(413));
    }

    @Test
    void largeBodyWithinTheLimitStreamsThrough() {
        byte[] body = new byte[9 * 1024 * 1024];
        Arrays.fill(body, (byte) 'x');
        given().auth().oauth2(TestTokens.billingSystem())
                .contentType(ContentType.JSON)
                .body(body)
                .when().post("/api/v1/earnings/batch")
                .then().statusCode(200)
                .body("service", equalTo("payout"))
                .body("bodyLength", equalTo(body.length));
    }

    @Test
    void chunkedBodiesStreamThroughAndAreCountedAgainstTheLimit() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String token = TestTokens.billingSystem();

        HttpResponse<String> within = http.send(chunkedPost(token, 3 * 1024 * 1024), BodyHandlers.ofString());
        assertThat(within.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(within.body()).getInteger("bodyLength")).isEqualTo(3 * 1024 * 1024);

        HttpResponse<String> over = http.send(chunkedPost(token, 10 * 1024 * 1024 + 1), BodyHandlers.ofString());
        assertThat(over.statusCode()).isEqualTo(413);
        assertThat(over.headers().firstValue("Content-Type")).contains(PROBLEM);
        assertThat(new JsonObject(over.body()).getString("type")).isEqualTo("/problems/payload-too-large");
    }

    /**
     * The JDK's client speaks HTTP/2 (h2c) by default, where a request announces no length: a GET or a POST without a
     * body reaches the service without a body (not an empty chunked one, which a service refuses as a body without
     * Content-Type), and a POST with one reaches it whole.
     */
    @Test
    void http2RequestsWithoutABodyReachTheServiceWithoutOne() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        String token = TestTokens.billingSystem();
        for (HttpRequest request : Arrays.asList(
                HttpRequest.newBuilder(URI.create(baseUri() + "/api/v1/earnings?x=1")).GET()
                        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                HttpRequest.newBuilder(URI.create(baseUri() + "/api/v1/earnings/batch")).POST(BodyPublishers.noBody())
                        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build())) {
            for (int i = 0; i < 2; i++) { // the first upgrades the connection to HTTP/2, the second is HTTP/2 itself
                HttpResponse<String> answer = http.send(request, BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(200);
                JsonObject echo = new JsonObject(answer.body());
                assertThat(echo.getString("transferEncoding")).as(request.method() + " " + request.uri()).isNull();
                assertThat(echo.getInteger("bodyLength")).isZero();
            }
        }
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(baseUri() + "/api/v1/earnings/batch"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(BodyPublishers.ofString("{\"lines\":[]}")).build(),
                BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(posted.body()).getString("body")).isEqualTo("{\"lines\":[]}");
    }

    @Test
    void expectContinueIsAnsweredOnceTheCallIsAllowed() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUri() + "/api/v1/earnings/batch"))
                .header("Authorization", "Bearer " + TestTokens.billingSystem())
                .header("Content-Type", "application/json")
                .expectContinue(true)
                .timeout(Duration.ofSeconds(10))
                .POST(BodyPublishers.ofString("[{\"earningId\":\"E-1\"}]"))
                .build();
        HttpResponse<String> response = http.send(request, BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getString("body")).isEqualTo("[{\"earningId\":\"E-1\"}]");
    }

    private static HttpRequest chunkedPost(String token, int size) {
        // An InputStream publisher has no known length, so the JDK client sends the body chunked.
        return HttpRequest.newBuilder(URI.create(baseUri() + "/api/v1/earnings/batch"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(BodyPublishers.ofInputStream(() -> new InputStream() {
                    private int left = size;

                    @Override
                    public int read() {
                        return left-- > 0 ? 'x' : -1;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) {
                        if (left <= 0) {
                            return -1;
                        }
                        int n = Math.min(length, left);
                        Arrays.fill(buffer, offset, offset + n, (byte) 'x');
                        left -= n;
                        return n;
                    }
                }))
                .build();
    }

    private static String baseUri() {
        return RestAssured.baseURI + ":" + RestAssured.port;
    }

    @Test
    void securityHeadersOnApiAnswersAndRefusals() {
        for (Response response : Arrays.asList(
                given().auth().oauth2(TestTokens.operator()).get("/api/v1/me"),
                given().get("/api/v1/me"),
                given().get("/q/health/live"))) {
            response.then()
                    .header("X-Content-Type-Options", "nosniff")
                    .header("X-Frame-Options", "DENY")
                    .header("Referrer-Policy", "no-referrer")
                    .header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
                    .header("Cache-Control", "no-store")
                    .header("Strict-Transport-Security", nullValue())
                    .header("X-Correlation-Id", matchesPattern("[A-Za-z0-9._:-]+"));
        }
    }

    @Test
    void unknownNonApiPathIs404Problem() {
        given().get("/nothing-here").then().statusCode(404).contentType(PROBLEM)
                .header("Content-Language", "en").body("detail", equalTo("Nothing at this path"));
    }

    @Test
    void theGatewaysOwnProblemsSpeakTheLanguageAskedFor() {
        given().header("Accept-Language", "ja-JP").get("/nothing-here").then().statusCode(404).contentType(PROBLEM)
                .header("Content-Language", "ja")
                .body("title", equalTo("見つかりません"))
                .body("detail", equalTo("このパスには何もありません"));
        given().auth().oauth2(TestTokens.operator()).header("Accept-Language", "fr, ko;q=0.8")
                .when().get("/api/v1/offline/anything")
                .then().statusCode(502).contentType(PROBLEM)
                .header("Content-Language", "ko")
                .body("title", equalTo("상위 서비스에서 오류가 발생했습니다"))
                .body("detail", equalTo("offline 서비스에 연결할 수 없습니다"));
    }

    @Test
    void sessionSaysWhoIsSignedIn() {
        given().get("/session").then().statusCode(200).body("signedIn", equalTo(false)).body("login", equalTo("/login"));
        given().auth().oauth2(TestTokens.operator()).get("/session")
                .then().statusCode(200).body("signedIn", equalTo(true)).body("user", equalTo("operator"));
    }

    @Test
    void loginStartsTheCodeFlowWithPkce() {
        String location = given().redirects().follow(false)
                .when().get("/login")
                .then().statusCode(302)
                .extract().header("Location");
        assertThat(location).startsWith(TestTokens.REALM_URL + "/protocol/openid-connect/auth")
                .contains("client_id=gateway")
                .contains("code_challenge_method=S256")
                .contains("code_challenge=");
    }

    @Test
    void healthAndMetrics() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200);
    }
}
