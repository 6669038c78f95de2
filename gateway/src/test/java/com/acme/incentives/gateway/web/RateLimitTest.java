package com.acme.incentives.gateway.web;

import com.acme.incentives.gateway.support.EchoServices;
import com.acme.incentives.platform.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@TestProfile(RateLimitTest.TinyRateLimit.class)
@WithTestResource(EchoServices.class)
class RateLimitTest {

    public static class TinyRateLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.rate-limit.requests-per-second", "0.2", "gateway.rate-limit.burst", "3");
        }
    }

    @Test
    void aClientOverItsRateGets429WithRetryAfterWhileOthersGoOn() {
        String feed = TestTokens.partnerFeed();
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(feed).get("/api/v1/programs").then().statusCode(200);
        }
        String retryAfter = given().auth().oauth2(feed)
                .when().get("/api/v1/programs")
                .then().statusCode(429)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/too-many-requests"))
                .body("status", equalTo(429))
                .extract().header("Retry-After");
        assertThat(Integer.parseInt(retryAfter)).isBetween(1, 5);

        // Keyed by token subject: another client still has its own budget.
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/programs").then().statusCode(200);
    }
}
