package com.acme.incentives.gateway.edge;

import com.acme.incentives.gateway.config.GatewayConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Browser-hardening headers on every response, the upstream services' included. Besides JSON and redirects the gateway
 * serves two sets of pages, the portal and the API documentation, and each sets its own policy (scripts and styles of
 * its own origin only); everything else gets the strictest: nothing may be framed, sniffed, loaded, or cached (API
 * answers carry personal and financial data, and a shared cache must never keep them).
 */
@ApplicationScoped
public class SecurityHeaders {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";
    /**
     * A route that serves a page (the API documentation, contract/ApiContractRoutes) puts its own policy under this
     * key of the routing context; every other response gets {@link #CONTENT_SECURITY_POLICY}.
     */
    public static final String CONTENT_SECURITY_POLICY_OVERRIDE = "gateway.content-security-policy";
    /**
     * A route that serves files which never change under their name (the portal's hashed assets, web/PortalRoutes) puts
     * its own Cache-Control under this key; every other response gets {@code no-store}.
     */
    public static final String CACHE_CONTROL_OVERRIDE = "gateway.cache-control";
    static final String HSTS = "max-age=31536000; includeSubDomains";

    @Inject
    GatewayConfig config;

    void register(@Observes Filters filters) {
        filters.register(this::apply, FilterPriorities.SECURITY_HEADERS);
    }

    private void apply(RoutingContext ctx) {
        ctx.addHeadersEndHandler(v -> {
            MultiMap headers = ctx.response().headers();
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("X-Frame-Options", "DENY");
            headers.set("Referrer-Policy", "no-referrer");
            String policy = ctx.get(CONTENT_SECURITY_POLICY_OVERRIDE);
            headers.set("Content-Security-Policy", policy == null ? CONTENT_SECURITY_POLICY : policy);
            String caching = ctx.get(CACHE_CONTROL_OVERRIDE);
            headers.set("Cache-Control", caching == null ? "no-store" : caching);
            // HSTS over plain HTTP is ignored by browsers, and sending it from a local run would pin localhost to HTTPS.
            if (config.https()) {
                headers.set("Strict-Transport-Security", HSTS);
            }
        });
        ctx.next();
    }
}
