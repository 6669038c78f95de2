package com.acme.incentives.gateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything an operator tunes about the gateway. Each property can be overridden by an environment variable named
 * after it (e.g. {@code GATEWAY_SERVICES_PAYOUT_URL}, {@code GATEWAY_RATE_LIMIT_REQUESTS_PER_SECOND}).
 */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** The public API's path prefix; the route table's patterns are matched against the rest of the path. */
    @WithDefault("/api/v1")
    String apiPrefix();

    /** Service name to where it runs and which API paths it owns. */
    Map<String, Service> services();

    Upstream upstream();

    RateLimit rateLimit();

    Csrf csrf();

    Session session();

    SignIn signIn();

    Limits limits();

    /**
     * True when browsers reach the gateway over HTTPS (directly or through a TLS-terminating ingress): the CSRF cookie
     * is then marked Secure and HSTS is sent. Kept off by default because plain-HTTP local runs would lose the cookie.
     */
    @WithDefault("false")
    boolean https();

    interface Service {
        /**
         * Base URL, e.g. {@code http://identity-service:8080}; the caller's full path is appended unchanged. Several
         * replicas: their URLs separated by commas ({@code http://localhost:8101,http://localhost:8111}); calls are
         * spread over them round-robin (UpstreamPool).
         */
        String url();

        /** Regular expressions (whole-match) over the path below {@link #apiPrefix()}, e.g. {@code /me}. */
        List<String> paths();

        /**
         * Services are tried in ascending order (then by name) and the first matching pattern wins. Only matters when
         * two services' patterns overlap, which the default table avoids.
         */
        @WithDefault("100")
        int order();
    }

    interface Upstream {
        /** How long an upstream may stay silent (no response bytes) before the caller gets 504. */
        @WithDefault("30s")
        Duration timeout();

        /**
         * How long a connection may take. A replica that refuses or does not connect in time is skipped for
         * {@link #ejectFor()}, and the call is tried on the service's next replica (nothing has been sent yet).
         */
        @WithDefault("5s")
        Duration connectTimeout();

        /**
         * Keep-alive connections per upstream replica (per URL of {@code gateway.services.<name>.url}), shared by all
         * callers.
         */
        @WithDefault("64")
        int maxConnectionsPerService();

        /**
         * Passive health: a replica that could not be connected to is left out of the rotation this long (unless every
         * replica of the service is out). Irrelevant with one URL per service.
         */
        @WithDefault("5s")
        Duration ejectFor();

        /**
         * A relayed call that takes at least this long (until its answer is fully sent) gets an INFO line, as does
         * every 5xx answer; every other call only a DEBUG line (the metrics count them all).
         */
        @WithDefault("1s")
        Duration slowCall();
    }

    interface RateLimit {
        @WithDefault("true")
        boolean enabled();

        /** Sustained rate each client (token subject, or remote address when anonymous) may call the API at. */
        @WithDefault("50")
        double requestsPerSecond();

        /** How many calls a client may make at once after being idle. */
        @WithDefault("100")
        int burst();

        /** Where the buckets live: Redis, shared by every replica (quarkus.redis.hosts), with a per-replica fallback. */
        Redis redis();
    }

    interface Redis {
        /** False: every replica keeps its own buckets in memory (the limit then holds per replica, not per client). */
        @WithDefault("true")
        boolean enabled();

        /**
         * How long a call waits for Redis's answer before it is decided by this replica's own bucket instead. Redis
         * answers in well under a millisecond; this only bounds what a slow or unreachable Redis adds to every call.
         */
        @WithDefault("50ms")
        Duration timeout();

        /** While Redis is unreachable, how often one call tries it again (the others use the local buckets). */
        @WithDefault("1s")
        Duration retryInterval();

        /**
         * What every bucket's key starts with: {@code <incentives.instance>:ratelimit} (application.properties), so
         * instances sharing a Redis never count each other's calls.
         */
        String keyPrefix();
    }

    interface Session {
        /**
         * What the key of an ended session starts with in Redis: {@code <incentives.instance>:session-ended}
         * (application.properties), so instances sharing a Redis never end each other's sessions.
         */
        String keyPrefix();

        /**
         * How long the record of a session ended at {@code /logout} is kept. Long enough to outlive every copy of the
         * session cookie: its tokens can be refreshed until Keycloak's SSO Session Max ({@code ssoSessionMaxLifespan},
         * 10 h in our realm), after which the cookie is worthless anyway.
         */
        @WithDefault("10h")
        Duration endedRecordTtl();

        /**
         * How long a session call waits for Redis's answer to "has this session ended?" before deciding with this
         * replica's own records (the sessions ended through it). Redis answers in well under a millisecond.
         */
        @WithDefault("100ms")
        Duration redisTimeout();
    }

    interface SignIn {
        /**
         * After a browser signs in, the gateway calls identity's {@code GET /api/v1/me} with the new access token
         * before sending the browser on, so identity learns of the sign-in at once (it activates a user who has just
         * replaced their temporary password, which a migration waits for). False: identity learns it from the user's
         * first call or its own poll of Keycloak.
         */
        @WithDefault("true")
        boolean notifyIdentity();

        /** How long the browser's redirect after sign-in waits for identity's answer before going on regardless. */
        @WithDefault("3s")
        Duration notifyTimeout();
    }

    /**
     * Limits on a request's head, answered with problem+json by the gateway (edge/RequestLimits). The HTTP codec's own
     * limits (quarkus.http.limits.max-header-size, max-initial-line-length) are set well above these, because the
     * codec answers its refusals itself, with an empty body.
     */
    interface Limits {
        /** All request header lines together, cookies included. */
        @WithDefault("32K")
        @WithConverter(MemorySizeConverter.class)
        MemorySize maxHeaderSize();

        /**
         * The header lines the gateway relays (all but {@code Cookie}): below the services' own 20 KB header limit,
         * with room for the headers the gateway adds (the access token, X-Forwarded-*, trace context).
         */
        @WithDefault("16K")
        @WithConverter(MemorySizeConverter.class)
        MemorySize maxRelayedHeaderSize();
    }

    interface Csrf {
        /**
         * Origins a browser may send state-changing calls from, e.g. {@code https://portal.example.com}. When unset, only
         * the gateway's own origin (as the browser addressed it) is accepted.
         */
        Optional<List<String>> allowedOrigins();
    }
}
