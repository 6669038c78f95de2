package com.acme.incentives.gateway.web;

import com.acme.incentives.gateway.problem.GatewayMessages;
import com.acme.incentives.gateway.auth.Caller;
import com.acme.incentives.gateway.auth.Callers;
import com.acme.incentives.gateway.auth.CsrfGuard;
import com.acme.incentives.gateway.auth.SignOuts;
import com.acme.incentives.gateway.config.GatewayConfig;
import com.acme.incentives.gateway.edge.FilterPriorities;
import com.acme.incentives.platform.problem.ProblemType;
import com.acme.incentives.gateway.problem.Problems;
import com.acme.incentives.gateway.proxy.ServiceRoute;
import com.acme.incentives.gateway.proxy.ServiceRouteTable;
import com.acme.incentives.gateway.proxy.UpstreamProxy;
import com.acme.incentives.gateway.ratelimit.RateLimiter;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code /api/**}: who is calling, are they within their rate, is a browser call not forged, which service owns the
 * path; then relay it with the caller's access token. An API call is never redirected to a login page: a script
 * cannot follow one, so it gets 401 problem+json and the front end decides to send the user to {@code /login}.
 */
@ApplicationScoped
public class ApiRoutes {

    private static final Logger LOG = Logger.getLogger(ApiRoutes.class);

    @Inject
    Callers callers;

    @Inject
    RateLimiter rateLimiter;

    @Inject
    CsrfGuard csrf;

    @Inject
    ServiceRouteTable routeTable;

    @Inject
    GatewayConfig config;

    @Inject
    UpstreamProxy proxy;

    void holdRequestBodies(@Observes Filters filters) {
        // Authentication may take a round trip to Keycloak (token refresh); body bytes arriving meanwhile would be
        // dropped with nobody listening, so the body waits until the proxy streams it (or a refusal discards it).
        filters.register(ctx -> {
            if (isApi(ctx.normalizedPath())) {
                ctx.request().pause();
            }
            ctx.next();
        }, FilterPriorities.HOLD_REQUEST_BODY);
    }

    void install(@Observes Router router) {
        router.route("/api/*").handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        Context requestContext = Vertx.currentContext();
        callers.resolve(ctx).subscribe().with(caller -> {
            // Authentication may complete on another thread; carry on on the request's own context (and its MDC).
            if (Vertx.currentContext() == requestContext) {
                proceed(ctx, caller);
            } else {
                requestContext.runOnContext(v -> proceed(ctx, caller));
            }
        });
    }

    private void proceed(RoutingContext ctx, Caller caller) {
        String remoteAddress = ctx.request().remoteAddress() == null ? "unknown"
                : ctx.request().remoteAddress().hostAddress();
        String client = caller.rateLimitKey(remoteAddress);
        Context requestContext = Vertx.currentContext();
        // The shared buckets are in Redis: the answer (or its timeout) may come back on another thread.
        rateLimiter.retryAfterSeconds(client).subscribe().with(retryAfter -> {
            if (Vertx.currentContext() == requestContext) {
                proceed(ctx, caller, client, retryAfter);
            } else {
                requestContext.runOnContext(v -> proceed(ctx, caller, client, retryAfter));
            }
        });
    }

    private void proceed(RoutingContext ctx, Caller caller, String client, OptionalLong retryAfter) {
        if (retryAfter.isPresent()) {
            LOG.debugf("Rate limit exceeded by %s", client);
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter.getAsLong()));
            Problems.send(ctx, ProblemType.TOO_MANY_REQUESTS, GatewayMessages.RATE_LIMITED, retryAfter.getAsLong());
            return;
        }
        switch (caller.kind()) {
            case ANONYMOUS -> {
                ctx.response().putHeader("WWW-Authenticate", "Bearer");
                Problems.send(ctx, ProblemType.UNAUTHORIZED, GatewayMessages.SIGN_IN_OR_TOKEN);
                return;
            }
            case REJECTED -> {
                if (caller.sessionEnded()) {
                    SignOuts.dropSessionCookies(ctx, config.https());
                    Problems.send(ctx, ProblemType.UNAUTHORIZED, GatewayMessages.SESSION_SIGNED_OUT);
                } else if (caller.presentedBearerToken()) {
                    ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                    Problems.send(ctx, ProblemType.UNAUTHORIZED, GatewayMessages.BEARER_TOKEN_INVALID);
                } else {
                    Problems.send(ctx, ProblemType.UNAUTHORIZED, GatewayMessages.SESSION_ENDED);
                }
                return;
            }
            case SESSION -> {
                // Judged before a token is issued: Vert.x's request cookies include those set on the response.
                Optional<GatewayMessages.Text> forged = csrf.rejection(ctx, caller.sessionId());
                csrf.issueTokenIfMissing(ctx, caller.sessionId());
                if (forged.isPresent()) {
                    // A front-end bug or a forgery attempt; either way someone should be able to find it.
                    LOG.infof("Refused %s %s for %s: %s", ctx.request().method(), ctx.normalizedPath(),
                            caller.name(), forged.get());
                    Problems.send(ctx, ProblemType.FORBIDDEN, forged.get());
                    return;
                }
            }
            case BEARER -> {
                // no ambient credential: nothing to forge
            }
        }
        Optional<ServiceRoute> route = routeTable.match(ctx.normalizedPath());
        if (route.isEmpty()) {
            Problems.send(ctx, ProblemType.NOT_FOUND, GatewayMessages.NO_API_OPERATION, ctx.normalizedPath());
            return;
        }
        proxy.forward(ctx, route.get(), caller.accessToken());
    }

    static boolean isApi(String path) {
        return path.equals("/api") || path.startsWith("/api/");
    }
}
