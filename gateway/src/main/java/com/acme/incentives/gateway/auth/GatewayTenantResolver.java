package com.acme.incentives.gateway.auth;

import io.quarkus.oidc.TenantResolver;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Two ways in, two OIDC tenants. A caller presenting a bearer token (a machine, a CLI, a test) is checked by the
 * {@value #BEARER_TENANT} tenant: a resource server requiring audience {@code incentives-api}, exactly as the services
 * check it. Everyone else is a browser of the default tenant: code flow with the confidential client {@code gateway}.
 * One hybrid tenant cannot do both, because its audience setting would apply to the code flow's ID token too (whose
 * audience is {@code gateway}).
 */
@ApplicationScoped
public class GatewayTenantResolver implements TenantResolver {

    public static final String BEARER_TENANT = "bearer";

    @Override
    public String resolve(RoutingContext ctx) {
        return presentsBearerToken(ctx.request()) ? BEARER_TENANT : null;
    }

    static boolean presentsBearerToken(HttpServerRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
    }
}
