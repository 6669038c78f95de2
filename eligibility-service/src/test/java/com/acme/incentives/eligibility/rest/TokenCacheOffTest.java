package com.acme.incentives.eligibility.rest;

import com.acme.incentives.platform.tokens.TokenCacheIdentityProvider;
import com.acme.incentives.platform.testing.TestUsers;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code platform.security.token-cache.enabled=false}: every request's token is verified by OIDC, nothing is kept. */
@QuarkusTest
@TestProfile(TokenCacheOffTest.CacheOff.class)
class TokenCacheOffTest {

    @Inject
    MeterRegistry registry;

    @Inject
    TokenCacheIdentityProvider provider;

    @Test
    void withTheSwitchOffNothingIsCached() {
        String token = TestUsers.create(UUID.randomUUID(), "INCENTIVE_USER").token();
        double hits = count("hit");
        double misses = count("miss");

        given().auth().oauth2(token).get("/api/v1/programs").then().statusCode(200);
        given().auth().oauth2(token).get("/api/v1/programs").then().statusCode(200);
        given().auth().oauth2(token + "A").get("/api/v1/programs").then().statusCode(401);

        assertThat(count("hit")).isEqualTo(hits);
        assertThat(count("miss")).isEqualTo(misses);
        assertThat(provider.tokens().size()).isZero();
    }

    private double count(String result) {
        return registry.get("security.token.cache").tag("result", result).counter().count();
    }

    public static class CacheOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("platform.security.token-cache.enabled", "false");
        }
    }
}
