package com.acme.incentives.gateway.ratelimit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Where the rate limits are counted, as an entry of {@code /q/health/ready}. Always UP: without Redis the gateway
 * still limits each client, per replica ({@link RateLimiter}), so taking the replica out of the load balancer would
 * only make things worse. (The Redis extension's own check, which would go DOWN, is turned off in
 * application.properties for that reason.)
 */
@Readiness
@ApplicationScoped
public class RateLimitStoreCheck implements HealthCheck {

    @Inject
    RateLimiter limiter;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("rate-limit-store").up()
                .withData("store", limiter.isShared() ? "redis (shared by every replica)" : "memory (this replica)");
        limiter.redisDownSince().ifPresent(since -> response.withData("redisUnreachableSince", since.toString()));
        limiter.redisFailure().ifPresent(why -> response.withData("redisFailure", why));
        return response.build();
    }
}
