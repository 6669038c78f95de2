package com.acme.incentives.gateway.config;

import io.smallrye.config.ConfigMapping;
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

    /**
     * True when browsers reach the gateway over HTTPS (directly or through a TLS-terminating ingress): the CSRF cookie
     * is then marked Secure and HSTS is sent. Kept off by default because plain-HTTP local runs would lose the cookie.
     */
    @WithDefault("false")
    boolean https();

    interface Service {
        /** Base URL, e.g. {@code http://identity-service:8080}; the caller's full path is appended unchanged. */
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

        @WithDefault("5s")
        Duration connectTimeout();

        /** Keep-alive connections per upstream service, shared by all callers. */
        @WithDefault("64")
        int maxConnectionsPerService();
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
    }

    interface Csrf {
        /**
         * Origins a browser may send state-changing calls from, e.g. {@code https://portal.example.com}. When unset, only
         * the gateway's own origin (as the browser addressed it) is accepted.
         */
        Optional<List<String>> allowedOrigins();
    }
}
