package com.acme.incentives.eligibility.rest;

import com.acme.incentives.platform.testing.ForgedTokens;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cache of verified bearer tokens (platform {@code security/TokenCacheIdentityProvider}) with real Keycloak tokens:
 * a token is verified once, then served from the cache with the same roles and organization; forgeries of a cached
 * token and a cached token past its expiry are refused. The counters are the process's own
 * ({@code security.token.cache}), read before and after each call.
 */
@QuarkusTest
class TokenCacheTest {

    @Inject
    MeterRegistry registry;

    @Test
    void aTokenIsVerifiedOnceAndThenServedFromTheCache() {
        String token = TestUsers.create(UUID.randomUUID(), "INCENTIVE_USER").token();

        Counts before = counts();
        programs(token).then().statusCode(200);
        assertThat(counts().minus(before)).isEqualTo(new Counts(0, 1));

        Counts afterFirst = counts();
        programs(token).then().statusCode(200);
        assertThat(counts().minus(afterFirst)).isEqualTo(new Counts(1, 0));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains(
                "security_token_cache_total{application=\"eligibility-service\",result=\"hit\"}",
                "security_token_cache_total{application=\"eligibility-service\",result=\"miss\"}",
                "security_token_cache_size{application=\"eligibility-service\"}");
    }

    @Test
    void aCachedIdentityKeepsItsRolesAndItsOrganization() {
        UUID organization = UUID.randomUUID();
        String partnerId = Fixtures.partnerId();
        Fixtures.addLocation(organization, partnerId, "INDIRECT_RESELLER", "DE");
        String member = TestUsers.create(organization, "INCENTIVE_USER").token();
        String stranger = TestUsers.create(UUID.randomUUID(), "INCENTIVE_USER").token();
        String tooWeak = TestUsers.create(organization, "ACCOUNT_ADMIN").token();

        Counts before = counts();
        for (int call = 0; call < 2; call++) {
            location(member, partnerId).then().statusCode(200);
            location(stranger, partnerId).then().statusCode(404);
            programs(tooWeak).then().statusCode(403);
        }
        assertThat(counts().minus(before)).isEqualTo(new Counts(3, 3));
    }

    @Test
    void forgeriesOfACachedTokenAreRefusedEveryTime() {
        String genuine = TestUsers.create(UUID.randomUUID(), "INCENTIVE_USER").token();
        programs(genuine).then().statusCode(200);
        Counts cached = counts();
        programs(genuine).then().statusCode(200);
        assertThat(counts().minus(cached)).isEqualTo(new Counts(1, 0));

        String raisedRole = ForgedTokens.withClaimsChanged(genuine, "INCENTIVE_USER", "GLOBAL_ADMIN");
        for (String forged : new String[] { ForgedTokens.signedByAnotherKey(genuine), raisedRole,
                ForgedTokens.algNone(genuine), genuine.substring(0, genuine.length() - 1), genuine + "A" }) {
            Counts before = counts();
            programs(forged).then().statusCode(401);
            programs(forged).then().statusCode(401);
            // Never a hit, and a refusal is not kept: verified (and refused) again on the second call.
            assertThat(counts().minus(before)).isEqualTo(new Counts(0, 2));
        }
        programs(genuine).then().statusCode(200);
    }

    @Test
    void aCachedTokenIsRefusedOnceItHasExpired() {
        // The realm's test-only expiring-token-probe client issues operator tokens that live one second; a token that
        // has already expired by its first call is refused before it is ever cached, so take the first one that is
        // still valid at its first call (and so is cached).
        AtomicReference<String> cachedToken = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            String token = TestTokens.shortLived();
            Counts before = counts();
            boolean accepted = programs(token).statusCode() == 200;
            if (accepted && counts().minus(before).equals(new Counts(0, 1))) {
                cachedToken.set(token);
            }
            return cachedToken.get() != null;
        });

        // Without regard to its exp, the cache would serve it for its whole time-to-live (60 s).
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> programs(cachedToken.get()).statusCode() == 401);
    }

    private static Response programs(String token) {
        return given().auth().oauth2(token).get("/api/v1/programs");
    }

    private static Response location(String token, String partnerId) {
        return given().auth().oauth2(token).get("/api/v1/locations/" + partnerId);
    }

    private Counts counts() {
        return new Counts(count("hit"), count("miss"));
    }

    private long count(String result) {
        return (long) registry.get("security.token.cache").tag("result", result).counter().count();
    }

    private record Counts(long hits, long misses) {
        Counts minus(Counts other) {
            return new Counts(hits - other.hits, misses - other.misses);
        }
    }
}
