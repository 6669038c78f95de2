package com.acme.incentives.gateway.ratelimit;

import com.acme.incentives.gateway.support.EchoServices;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.gateway.support.TcpProxy;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Rate limits counted in the real Redis (127.0.0.1:6379), shared with every other replica, and the per-replica
 * fallback while Redis is away. The gateway reaches Redis through a {@link TcpProxy} the test shuts, slows and opens
 * again; the test itself talks to Redis directly, as another gateway replica would. Only keys under this gateway
 * start's own prefix ({@code incentives.instance}, a random {@code test-...}) are touched.
 */
@QuarkusTest
@TestProfile(SharedRateLimitTest.TinySharedLimit.class)
@WithTestResource(EchoServices.class)
class SharedRateLimitTest {

    static final int BURST = 3;
    static final double PER_SECOND = 0.2; // one token every 5 s

    public static class TinySharedLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gateway.rate-limit.requests-per-second", Double.toString(PER_SECOND),
                    "gateway.rate-limit.burst", Integer.toString(BURST),
                    "quarkus.redis.hosts", "redis://127.0.0.1:" + EchoServices.unusedPort(),
                    // Roomier than the 50 ms default: on a busy test machine one late answer must not decide a
                    // test's call locally (the fallback is what two of these tests check, on purpose).
                    "gateway.rate-limit.redis.timeout", "500ms",
                    "gateway.rate-limit.redis.retry-interval", "200ms");
        }
    }

    private static Vertx vertx;
    private static RedisAPI redis;
    private static TcpProxy proxy;

    @Inject
    RateLimiter limiter;

    @Inject
    MeterRegistry meters;

    @BeforeAll
    static void connect() {
        vertx = Vertx.vertx();
        redis = RedisAPI.api(Redis.createClient(vertx, "redis://127.0.0.1:6379"));
        int port = URI.create(ConfigProvider.getConfig().getValue("quarkus.redis.hosts", String.class)).getPort();
        proxy = new TcpProxy(port, "127.0.0.1", 6379);
    }

    @AfterAll
    static void disconnect() {
        proxy.close();
        redis.close();
        await(vertx.close());
    }

    @BeforeEach
    void redisReachable() {
        proxy.delay(0);
        proxy.open();
        awaitShared();
    }

    @Test
    void aBudgetSpentThroughAnotherReplicaIsRespected() {
        String feed = TestTokens.partnerFeed();
        String key = limiter.redisKey(clientKey(feed));
        assertThat(key).startsWith(keyPrefix() + ":sub:");

        // Another replica runs the same script on the same key: the whole burst is gone.
        for (int i = 0; i < BURST; i++) {
            assertThat(takeAsAnotherReplica(key)).isZero();
        }
        String retryAfter = given().auth().oauth2(feed)
                .when().get("/api/v1/programs")
                .then().statusCode(429)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/too-many-requests"))
                .body("status", equalTo(429))
                .extract().header("Retry-After");
        // The bucket is empty: the next token comes in 5 s (0.2 per second), less the moments since it emptied.
        assertThat(Integer.parseInt(retryAfter)).isBetween(4, 5);
        assertThat(limiter.isShared()).isTrue();

        // The bucket expires once it would be full again: an idle client leaves nothing behind.
        long ttl = await(redis.pttl(key)).toLong();
        assertThat(ttl).isPositive().isLessThanOrEqualTo(RedisTokenBuckets.ttlMillis(BURST, PER_SECOND));
        assertThat(RedisTokenBuckets.ttlMillis(BURST, PER_SECOND)).isEqualTo(16_000);

        // Another client has its own budget.
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/programs").then().statusCode(200);
    }

    @Test
    void withoutRedisEachReplicaLimitsAloneAndSharesAgainWhenRedisIsBack() {
        String billing = TestTokens.billingSystem();
        String key = limiter.redisKey(clientKey(billing));
        double outagesBefore = outages();

        proxy.shut(); // the gateway's Redis port now refuses connections, as when Redis is down
        for (int i = 0; i < BURST; i++) {
            given().auth().oauth2(billing).get("/api/v1/programs").then().statusCode(200);
        }
        String retryAfter = given().auth().oauth2(billing)
                .when().get("/api/v1/programs")
                .then().statusCode(429)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/too-many-requests"))
                .extract().header("Retry-After");
        assertThat(Integer.parseInt(retryAfter)).isBetween(4, 5);
        for (int i = 0; i < 10; i++) {
            given().auth().oauth2(billing).get("/api/v1/programs").then().statusCode(429);
        }
        assertThat(limiter.isShared()).isFalse();
        assertThat(outages() - outagesBefore).as("one outage, however many calls met it").isEqualTo(1);
        assertThat(await(redis.exists(List.of(key))).toInteger()).as("nothing reached Redis").isZero();

        JsonPath health = given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP")).extract().jsonPath();
        Map<String, Object> store = check(health, "rate-limit-store");
        assertThat(store.get("status")).isEqualTo("UP");
        assertThat(data(store).get("store").toString()).startsWith("memory");
        assertThat(data(store)).containsKeys("redisUnreachableSince", "redisFailure");
        assertThat(given().get("/q/metrics").asString()).contains("gateway_rate_limit_shared{application=\"gateway\"} 0.0");

        proxy.open();
        awaitShared();
        // Back in Redis: a bucket there, full, of which this call takes one.
        given().auth().oauth2(billing).get("/api/v1/programs").then().statusCode(200);
        assertThat(Double.parseDouble(await(redis.hget(key, "tokens")).toString())).isBetween(1.9, 2.1);
        assertThat(outages() - outagesBefore).isEqualTo(1);
        Map<String, Object> back = check(given().get("/q/health/ready").jsonPath(), "rate-limit-store");
        assertThat(data(back).get("store").toString()).startsWith("redis");
        assertThat(data(back)).doesNotContainKey("redisFailure");
    }

    @Test
    void aSlowRedisCountsAsAway() {
        double outagesBefore = outages();
        proxy.delay(1_500); // far beyond gateway.rate-limit.redis.timeout (500 ms here)
        for (int i = 0; i < RateLimiter.FAILURES_BEFORE_OUTAGE; i++) {
            assertThat(limiter.isShared()).as("still shared after %d late answers", i).isTrue();
            long started = System.nanoTime();
            given().auth().oauth2(TestTokens.operator()).get("/api/v1/programs").then().statusCode(200);
            assertThat(System.nanoTime() - started).as("the call waited for the timeout, not for Redis")
                    .isLessThan(TimeUnit.MILLISECONDS.toNanos(1_500));
        }
        assertThat(limiter.isShared()).isFalse();
        assertThat(outages() - outagesBefore).isEqualTo(1);
        assertThat(limiter.redisFailure()).hasValue("no answer within 500 ms");
    }

    @Test
    void retryAfterIsTheWaitRoundedUpToWholeSecondsAndAtLeastOne() {
        assertThat(RateLimiter.retryAfterSeconds(1)).isEqualTo(1);
        assertThat(RateLimiter.retryAfterSeconds(999_999_999)).isEqualTo(1);
        assertThat(RateLimiter.retryAfterSeconds(1_000_000_000)).isEqualTo(1);
        assertThat(RateLimiter.retryAfterSeconds(1_000_000_001)).isEqualTo(2);
        assertThat(RateLimiter.retryAfterSeconds(5_000_000_000L)).isEqualTo(5);
    }

    @Test
    void theScriptRefillsAtTheConfiguredRateAndAnswersTheWait() {
        String key = keyPrefix() + ":script-check";
        for (int i = 0; i < BURST; i++) {
            assertThat(takeAsAnotherReplica(key)).isZero();
        }
        long waitMicros = takeAsAnotherReplica(key);
        // Empty: 1 token at 0.2 per second is 5 s away, less the few moments since the bucket was full.
        assertThat(waitMicros).isBetween(4_000_000L, 5_000_000L);
        // Half a token more, as if 2.5 s had passed: the wait halves.
        await(redis.hset(List.of(key, "tokens", "0.5")));
        assertThat(takeAsAnotherReplica(key)).isBetween(2_000_000L, 2_500_000L);
    }

    /** What another replica does for a call: the same script, on the same key. */
    private static long takeAsAnotherReplica(String key) {
        Response wait = await(redis.eval(List.of(RedisTokenBuckets.SCRIPT, "1", key, Integer.toString(BURST),
                Double.toString(PER_SECOND), Long.toString(RedisTokenBuckets.ttlMillis(BURST, PER_SECOND)))));
        return wait.toLong();
    }

    /**
     * Until the limiter counts in Redis again: a call of its own (as a client of its own) tries Redis, and the bucket
     * that call leaves in Redis has a fresh TTL only if its script ran there just now.
     */
    private void awaitShared() {
        String probe = "probe";
        long ttl = RedisTokenBuckets.ttlMillis(BURST, PER_SECOND);
        Awaitility.await("the gateway uses Redis again").atMost(java.time.Duration.ofSeconds(20))
                .pollInterval(java.time.Duration.ofMillis(100)).until(() -> {
                    limiter.retryAfterSeconds(probe).await().atMost(java.time.Duration.ofSeconds(5));
                    Response pttl = await(redis.pttl(limiter.redisKey(probe)));
                    return limiter.isShared() && pttl.toLong() > ttl - 1_000;
                });
    }

    private double outages() {
        return meters.find("gateway.rate.limit.store.outages").counter().count();
    }

    private static String keyPrefix() {
        return ConfigProvider.getConfig().getValue("gateway.rate-limit.redis.key-prefix", String.class);
    }

    /** The gateway's key for a token's caller (Caller.rateLimitKey): its subject. */
    private static String clientKey(String token) {
        JsonObject claims = new JsonObject(TestTokens.payload(token));
        return "sub:" + claims.getString("sub", claims.getString("preferred_username"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> check(JsonPath health, String name) {
        List<Map<String, Object>> checks = health.getList("checks");
        return checks.stream().filter(c -> name.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no health check " + name + " in " + checks));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> check) {
        return (Map<String, Object>) check.get("data");
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
