package com.acme.incentives.e2e.security;

import com.acme.incentives.e2e.RunningPlatform;
import com.acme.incentives.e2e.support.BrowserSession;
import com.acme.incentives.e2e.support.Gateway;
import com.acme.incentives.e2e.support.SecurityReport;
import com.acme.incentives.e2e.support.TenantFixture;
import com.acme.incentives.platform.testing.TestUsers;
import com.acme.incentives.platform.testing.TestUsers.TestUser;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's edge, on the real e2e instance: per-client rate limits, body size limit, security headers, and
 * refusal of cross-site state-changing calls made with a session cookie.
 */
class GatewayEdgeTest {

    @BeforeAll
    static void platform() {
        RunningPlatform.ensureStarted();
    }

    @AfterAll
    static void report() {
        SecurityReport.write();
    }

    @Test
    void aClientOverItsRateIsToldToRetryLaterAndOthersAreNotAffected() {
        TestUser greedy = TestUsers.create(UUID.randomUUID(), "INCENTIVE_USER");
        TestUser other = TestUsers.create(UUID.randomUUID(), "INCENTIVE_USER");
        String token = greedy.token();
        // The e2e gateway allows burst 100, refill 50/s: 600 calls at once cannot all pass (they would have to take
        // over 10 s). They go to a path no service
        // owns, so the gateway answers each itself (404) and the test measures the limiter, not a loaded service.
        // A light client firing all at once: rest-assured's per-call overhead would cap us under the rate on 2 cores.
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest probe = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(Gateway.URL + "/api/v1/rate-limit-probe"))
                .header("Authorization", "Bearer " + token).GET().build();
        List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            calls.add(http.sendAsync(probe, java.net.http.HttpResponse.BodyHandlers.ofString()));
        }
        List<java.net.http.HttpResponse<String>> limited = calls.stream().map(java.util.concurrent.CompletableFuture::join)
                .filter(response -> response.statusCode() == 429).toList();
        SecurityReport.check("Gateway: rate limit per client (429 + Retry-After)", () -> {
            assertThat(limited).as("some calls over the rate are refused").isNotEmpty();
            java.net.http.HttpResponse<String> refused = limited.get(0);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow())).isPositive();
            // Another client has its own bucket.
            Gateway.request().auth().oauth2(other.token()).get("/api/v1/me").then().statusCode(200);
        });
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItReachesAService() {
        SecurityReport.check("Gateway: body size limit (413)", () -> {
            TestUser user = TestUsers.create(UUID.randomUUID(), "INCENTIVE_ADMIN");
            Response response = Gateway.request().auth().oauth2(user.token()).contentType("application/json")
                    .body("{\"x\":\"" + "y".repeat(11 * 1024 * 1024) + "\"}").post("/api/v1/organizations");
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(response.contentType()).startsWith("application/problem+json");
        });
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        TestUser user = TestUsers.create(UUID.randomUUID(), "INCENTIVE_USER");
        for (Response response : List.of(Gateway.request().auth().oauth2(user.token()).get("/api/v1/me"),
                Gateway.request().get("/api/v1/me"), Gateway.request().get("/no/such/page"))) {
            SecurityReport.check("Gateway: security headers on every answer", () -> {
                assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
                assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
                assertThat(response.header("Content-Security-Policy")).isNotBlank();
                assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
                assertThat(response.header("Cache-Control")).isEqualTo("no-store");
            });
        }
    }

    @Test
    void aCrossSiteStateChangingCallWithTheSessionCookieIsRefused() throws Exception {
        TestUser admin = TenantFixture.get().userOfA(List.of("GLOBAL_ADMIN"));
        String body = "{\"email\":\"csrf-" + UUID.randomUUID() + "@edge.example\",\"firstName\":\"C\","
                + "\"lastName\":\"Srf\",\"roles\":[\"INCENTIVE_USER\"]}";
        String path = "/api/v1/organizations/" + admin.organizationId() + "/users";
        try (BrowserSession session = BrowserSession.signIn(admin.username(), admin.password(), null)) {
            for (Map<String, String> forged : List.of(Map.<String, String>of(),
                    Map.of("X-XSRF-TOKEN", "guessed"),
                    Map.of("X-XSRF-TOKEN", session.xsrfToken(), "Origin", "https://evil.example"))) {
                WebResponse response = session.raw(HttpMethod.POST, path, body, forged);
                SecurityReport.check("Gateway: cross-site state-changing call refused", () -> {
                    assertThat(response.getStatusCode()).isEqualTo(403);
                    assertThat(response.getContentType()).isEqualTo("application/problem+json");
                });
            }
            // The same call from the portal's own origin with the token goes through.
            WebResponse genuine = session.post(path, body);
            assertThat(genuine.getStatusCode()).as(genuine.getContentAsString()).isEqualTo(201);
        }
    }
}
