package com.acme.incentives.gateway.ratelimit;

import com.acme.incentives.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Per-client token buckets, held in this process's memory. With N replicas behind a load balancer each keeps its own
 * buckets, so a client's effective budget is up to N times the configured one: divide the settings by the replica
 * count, or move the buckets to a shared store if exact limits matter. This protects the services from a runaway
 * client; it is not a billing quota.
 */
@ApplicationScoped
public class RateLimiter {

    private static final long SWEEP_INTERVAL_MS = 60_000;

    private final ConcurrentMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    @Inject
    GatewayConfig config;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry meters;

    private Counter rejected;
    private long sweepTimer = -1;

    void start(@Observes StartupEvent event) {
        rejected = Counter.builder("gateway.rate.limited")
                .description("API calls refused with 429 because the client exceeded its rate").register(meters);
        // Without forgetting idle clients, every address that ever called would stay in memory.
        sweepTimer = vertx.setPeriodic(SWEEP_INTERVAL_MS, id -> forgetIdleClients());
    }

    void stop(@Observes ShutdownEvent event) {
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
    }

    /** Empty when the call may proceed, else the whole seconds after which it may be retried. */
    public OptionalLong retryAfterSeconds(String client) {
        GatewayConfig.RateLimit limits = config.rateLimit();
        if (!limits.enabled()) {
            return OptionalLong.empty();
        }
        long now = System.nanoTime();
        long waitNanos = buckets
                .computeIfAbsent(client, k -> new TokenBucket(limits.burst(), limits.requestsPerSecond(), now))
                .tryTake(now);
        if (waitNanos == 0) {
            return OptionalLong.empty();
        }
        rejected.increment();
        return OptionalLong.of(Math.max(1, (waitNanos + 999_999_999) / 1_000_000_000));
    }

    void forgetIdleClients() {
        long now = System.nanoTime();
        buckets.values().removeIf(bucket -> bucket.isFull(now));
    }
}
