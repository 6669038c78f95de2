package com.acme.incentives.gateway.web;

import com.acme.incentives.gateway.auth.Caller;
import com.acme.incentives.gateway.auth.Callers;
import com.acme.incentives.gateway.auth.CsrfGuard;
import com.acme.incentives.gateway.auth.EndedSessions;
import com.acme.incentives.gateway.auth.SignOuts;
import com.acme.incentives.gateway.config.GatewayConfig;
import com.acme.incentives.gateway.edge.CorrelationIds;
import com.acme.incentives.gateway.proxy.ServiceRoute;
import com.acme.incentives.gateway.proxy.ServiceRouteTable;
import com.acme.incentives.gateway.proxy.UpstreamProxy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The browser's sign-in surface. {@code /login} is guarded by an {@code authenticated} HTTP permission, so Quarkus
 * runs the code flow there (redirect to Keycloak, then back to {@code /login} with the code); once signed in it tells
 * identity-service about the sign-in and sends the browser to {@code /}, the portal ({@link PortalRoutes}).
 * {@code /session} says who is signed in, as JSON. {@code /logout} is Quarkus's RP-initiated logout path: it drops the
 * session cookie and sends the browser to Keycloak's end-session endpoint, which ends the single sign-on session too
 * and returns to {@code /}; the gateway records the session as ended first, so a copy of its cookie no longer works
 * on any replica ({@link EndedSessions}).
 */
@ApplicationScoped
public class SessionRoutes {

    private static final Logger LOG = Logger.getLogger(SessionRoutes.class);

    @Inject
    Callers callers;

    @Inject
    CsrfGuard csrf;

    @Inject
    EndedSessions endedSessions;

    @Inject
    ServiceRouteTable routeTable;

    @Inject
    UpstreamProxy upstream;

    @Inject
    GatewayConfig config;

    void install(@Observes Router router) {
        router.get("/session").handler(ctx -> callers.resolveThen(ctx, caller -> session(ctx, caller)));
        router.get("/login").handler(ctx -> callers.resolveThen(ctx, caller -> login(ctx, caller)));
        router.route("/logout").handler(ctx -> callers.resolveThen(ctx, caller -> logout(ctx, caller)));
    }

    private void session(RoutingContext ctx, Caller caller) {
        JsonObject body = new JsonObject();
        if (caller.kind() == Caller.Kind.SESSION || caller.kind() == Caller.Kind.BEARER) {
            if (caller.kind() == Caller.Kind.SESSION) {
                csrf.issueTokenIfMissing(ctx, caller.sessionId());
            }
            body.put("signedIn", true).put("user", caller.name())
                    .put("message", "Signed in as " + caller.name()).put("logout", "/logout");
        } else {
            if (caller.sessionEnded()) {
                SignOuts.dropSessionCookies(ctx, config.https());
            }
            body.put("signedIn", false).put("login", "/login");
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
    }

    private void login(RoutingContext ctx, Caller caller) {
        if (caller.sessionEnded()) {
            // Quarkus found the cookie valid and so ran no code flow: drop it, and start one.
            SignOuts.dropSessionCookies(ctx, config.https());
            redirect(ctx, "/login");
            return;
        }
        if (caller.kind() != Caller.Kind.SESSION) {
            redirect(ctx, "/");
            return;
        }
        csrf.issueTokenIfMissing(ctx, caller.sessionId());
        Context requestContext = Vertx.currentContext();
        notifyIdentity(ctx, caller).onComplete(done -> requestContext.runOnContext(v -> redirect(ctx, "/")));
    }

    /**
     * Tells identity-service that the user has just signed in, by calling its {@code GET /me} with the new access
     * token, before the browser is sent on. A token proves the user signed in with their own password (Keycloak issues
     * none while the temporary one must still be replaced), and identity activates a user pending activation on
     * {@code /me} (ActivationService). Without this, identity learns it from the first API call the front end makes, or
     * from its poll of Keycloak (every 30 s); a migration waits for its incentive admin to be active, so they could
     * not complete it at once after signing in. Waits at most {@code gateway.sign-in.notify-timeout}; a failure only
     * leaves the activation to those two other ways, so the sign-in goes on regardless.
     */
    private Future<Void> notifyIdentity(RoutingContext ctx, Caller caller) {
        if (!config.signIn().notifyIdentity()) {
            return Future.succeededFuture();
        }
        String path = config.apiPrefix() + "/me";
        Optional<ServiceRoute> route = routeTable.match(path);
        if (route.isEmpty()) {
            LOG.warnf("No service owns %s: identity is not told about sign-ins", path);
            return Future.succeededFuture();
        }
        return upstream.get(route.get(), path, caller.accessToken(), CorrelationIds.of(ctx),
                        config.signIn().notifyTimeout())
                .timeout(config.signIn().notifyTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .transform(answer -> {
                    if (answer.failed()) {
                        LOG.warnf("Could not tell identity that %s signed in (%s); it learns it from their first call "
                                + "or its own poll", caller.name(), answer.cause().toString());
                    } else if (answer.result() != 200) {
                        LOG.warnf("Identity answered %d when told that %s signed in", answer.result(), caller.name());
                    } else {
                        LOG.debugf("Identity told that %s signed in", caller.name());
                    }
                    return Future.succeededFuture();
                });
    }

    private void logout(RoutingContext ctx, Caller caller) {
        csrf.discardToken(ctx);
        // Quarkus signals the trip to Keycloak's end-session endpoint as a redirect; without a session there is
        // nothing to end, so just go home.
        String next = caller.redirect() != null ? caller.redirect() : "/";
        String ended = SignOuts.endedBy(ctx);
        if (ended == null) {
            if (caller.sessionEnded()) {
                SignOuts.dropSessionCookies(ctx, config.https());
            }
            redirect(ctx, next);
            return;
        }
        // Recorded before the browser is sent on, so the old cookie is refused from the next call on.
        Context requestContext = Vertx.currentContext();
        endedSessions.end(ended).subscribe().with(v -> requestContext.runOnContext(x -> redirect(ctx, next)));
    }

    private static void redirect(RoutingContext ctx, String location) {
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, location).end();
        }
    }
}
