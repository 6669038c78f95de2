package com.acme.incentives.gateway.ratelimit;

import com.acme.incentives.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-client token buckets. Normally in Redis ({@link RedisTokenBuckets}), shared by every gateway replica, so a
 * client's budget is the configured one however many replicas serve it. This protects the services from a runaway
 * client; it is not a billing quota.
 *
 * <p>When Redis does not answer within {@code gateway.rate-limit.redis.timeout} (down, unreachable, slow), the call
 * is decided by a bucket in this replica's memory instead: fail open to a local limit. Refusing every call because
 * the limiter's store is away would turn a Redis outage into an API outage; letting every call through would leave
 * the services unprotected. With the local buckets the API stays up and each client is still bounded, at worst by
 * the configured limit on each replica (N times it across N replicas) until Redis is back.
 *
 * <p>{@value #FAILURES_BEFORE_OUTAGE} failures in a row make an outage (one late answer may be this JVM's own pause,
 * not Redis): one warning is logged when it starts and one line when it ends, not one per call. During an outage
 * calls do not wait for Redis: one call per {@code gateway.rate-limit.redis.retry-interval} tries it again, and the
 * first answer ends the outage. The state is in the metrics ({@code gateway_rate_limit_shared},
 * {@code gateway_rate_limit_store_outages_total}) and in the readiness check's {@code rate-limit-store} entry
 * ({@link RateLimitStoreCheck}), which stays UP.
 */
@ApplicationScoped
public class RateLimiter {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);
    private static final long SWEEP_INTERVAL_MS = 60_000;
    static final int FAILURES_BEFORE_OUTAGE = 3;

    private final ConcurrentMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final AtomicBoolean redisDown = new AtomicBoolean();
    private final AtomicLong nextRedisTryAt = new AtomicLong();
    private final AtomicInteger failuresInARow = new AtomicInteger();
    private volatile Instant redisDownSince;
    private volatile String redisFailure;

    @Inject
    GatewayConfig config;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry meters;

    @Inject
    RedisTokenBuckets shared;

    private Counter rejected;
    private Counter outages;
    private long sweepTimer = -1;

    void start(@Observes StartupEvent event) {
        rejected = Counter.builder("gateway.rate.limited")
                .description("API calls refused with 429 because the client exceeded its rate").register(meters);
        outages = Counter.builder("gateway.rate.limit.store.outages")
                .description("Times Redis stopped answering and this replica fell back to its own buckets")
                .register(meters);
        Gauge.builder("gateway.rate.limit.shared", this, limiter -> limiter.isShared() ? 1 : 0)
                .description("1 while rate limits are counted in Redis for all replicas, 0 while this replica counts "
                        + "alone (Redis unreachable, or gateway.rate-limit.redis.enabled=false)")
                .register(meters);
        // Without forgetting idle clients, every address that ever called would stay in memory.
        sweepTimer = vertx.setPeriodic(SWEEP_INTERVAL_MS, id -> forgetIdleClients());
        if (config.rateLimit().enabled() && config.rateLimit().redis().enabled()) {
            // Connect and load the script now, so the first calls do not pay for it against the timeout.
            shared.warmUp().subscribe().with(
                    v -> LOG.debugf("Rate-limit script loaded in Redis"),
                    failure -> LOG.infof("Redis did not answer at start-up (%s); rate limits fall back to this "
                            + "replica's own buckets while it does not", failure.toString()));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
    }

    /**
     * Empty when the call may proceed, else the whole seconds after which it may be retried. Never fails; may complete
     * on another thread than the caller's (a Redis answer, or its timeout).
     */
    public Uni<OptionalLong> retryAfterSeconds(String client) {
        GatewayConfig.RateLimit limits = config.rateLimit();
        if (!limits.enabled()) {
            return Uni.createFrom().item(OptionalLong.empty());
        }
        if (!limits.redis().enabled() || !mayAskRedis(System.nanoTime())) {
            return Uni.createFrom().item(() -> local(client));
        }
        return shared.take(client, limits.burst(), limits.requestsPerSecond())
                .ifNoItem().after(limits.redis().timeout()).fail()
                .map(waitMicros -> {
                    redisAnswered();
                    return decision(TimeUnit.MICROSECONDS.toNanos(waitMicros));
                })
                .onFailure().recoverWithItem(failure -> {
                    redisFailed(failure);
                    return local(client);
                });
    }

    /** True while the buckets are Redis's (shared by every replica), false while this replica counts alone. */
    public boolean isShared() {
        return config.rateLimit().redis().enabled() && !redisDown.get();
    }

    /** Since when Redis has not answered, while it does not. */
    public Optional<Instant> redisDownSince() {
        return redisDown.get() ? Optional.ofNullable(redisDownSince) : Optional.empty();
    }

    /** Why Redis last failed, while it is down. */
    public Optional<String> redisFailure() {
        return redisDown.get() ? Optional.ofNullable(redisFailure) : Optional.empty();
    }

    /** The client's bucket key in Redis. */
    public String redisKey(String client) {
        return shared.key(client);
    }

    /** Redis is up, or it is down and this call is the one that tries it again (one per retry interval). */
    private boolean mayAskRedis(long now) {
        if (!redisDown.get()) {
            return true;
        }
        long due = nextRedisTryAt.get();
        return now - due >= 0
                && nextRedisTryAt.compareAndSet(due, now + config.rateLimit().redis().retryInterval().toNanos());
    }

    private void redisAnswered() {
        if (failuresInARow.get() != 0) {
            failuresInARow.set(0);
        }
        if (redisDown.get() && redisDown.compareAndSet(true, false)) {
            LOG.infof("Redis answers again after %d s without it: rate limits are shared by every replica again",
                    redisDownSince == null ? 0 : Instant.now().getEpochSecond() - redisDownSince.getEpochSecond());
        }
    }

    private void redisFailed(Throwable failure) {
        GatewayConfig.Redis redis = config.rateLimit().redis();
        String why = failure instanceof TimeoutException
                ? "no answer within " + redis.timeout().toMillis() + " ms"
                : failure.toString();
        if (failuresInARow.incrementAndGet() < FAILURES_BEFORE_OUTAGE && !redisDown.get()) {
            LOG.debugf("Redis did not answer one call (%s); decided by this replica's bucket", why);
            return;
        }
        // First, so calls arriving meanwhile do not all try Redis again.
        nextRedisTryAt.set(System.nanoTime() + redis.retryInterval().toNanos());
        redisFailure = why;
        if (redisDown.compareAndSet(false, true)) {
            redisDownSince = Instant.now();
            outages.increment();
            LOG.warnf("Redis does not answer (%s): rate limits are counted by each replica alone until it does "
                    + "(the configured limit per replica); one call per %d ms tries Redis again", why,
                    redis.retryInterval().toMillis());
        } else {
            LOG.debugf("Redis still does not answer: %s", why);
        }
    }

    private OptionalLong local(String client) {
        GatewayConfig.RateLimit limits = config.rateLimit();
        long now = System.nanoTime();
        long waitNanos = buckets
                .computeIfAbsent(client, k -> new TokenBucket(limits.burst(), limits.requestsPerSecond(), now))
                .tryTake(now);
        return decision(waitNanos);
    }

    private OptionalLong decision(long waitNanos) {
        if (waitNanos <= 0) {
            return OptionalLong.empty();
        }
        rejected.increment();
        return OptionalLong.of(retryAfterSeconds(waitNanos));
    }

    /** Retry-After: whole seconds, rounded up (a client that waits that long finds a token), at least 1. */
    static long retryAfterSeconds(long waitNanos) {
        return Math.max(1, (waitNanos + 999_999_999) / 1_000_000_000);
    }

    void forgetIdleClients() {
        long now = System.nanoTime();
        buckets.values().removeIf(bucket -> bucket.isFull(now));
    }
}
