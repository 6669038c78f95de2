package com.acme.incentives.eligibility.rest;

import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
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

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder URL_DECODER = Base64.getUrlDecoder();

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

        for (String forged : new String[] { signedByAnotherKey(genuine), withRaisedRole(genuine), algNone(genuine),
                genuine.substring(0, genuine.length() - 1), genuine + "A" }) {
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
            String token = shortLived();
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

    private static String shortLived() {
        Response response = RestAssured.given().baseUri(TestTokens.KEYCLOAK_URL).basePath("")
                .formParam("grant_type", "password").formParam("client_id", "expiring-token-probe")
                .formParam("username", TestTokens.OPERATOR).formParam("password", TestTokens.OPERATOR_PASSWORD)
                .post(TestTokens.TOKEN_URL);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return response.jsonPath().getString("access_token");
    }

    /** The same header (key id included) and claims, signed with a key Keycloak never issued. */
    private static String signedByAnotherKey(String token) {
        String[] parts = token.split("\\.");
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(keys.getPrivate());
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return parts[0] + "." + parts[1] + "." + URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims changed (INCENTIVE_USER becomes GLOBAL_ADMIN) under the genuine header and signature. */
    private static String withRaisedRole(String token) {
        String[] parts = token.split("\\.");
        String claims = new String(URL_DECODER.decode(parts[1]), StandardCharsets.UTF_8);
        assertThat(claims).contains("\"INCENTIVE_USER\"");
        String raised = claims.replace("\"INCENTIVE_USER\"", "\"GLOBAL_ADMIN\"");
        return parts[0] + "." + URL.encodeToString(raised.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    /** The claims of the genuine token under {@code alg: none} and an empty signature. */
    private static String algNone(String token) {
        String header = URL.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        return header + "." + token.split("\\.")[1] + ".";
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
