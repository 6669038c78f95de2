package com.acme.incentives.gateway.web;

import com.acme.incentives.gateway.auth.Caller;
import com.acme.incentives.gateway.auth.Callers;
import com.acme.incentives.gateway.auth.CsrfGuard;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.function.Consumer;

/**
 * The browser's sign-in surface. {@code /login} is guarded by an {@code authenticated} HTTP permission, so Quarkus
 * runs the code flow there (redirect to Keycloak, then back to {@code /login} with the code); once signed in it sends
 * the browser to {@code /}, which says who is signed in. {@code /logout} is Quarkus's RP-initiated logout path: it
 * drops the session cookie and sends the browser to Keycloak's end-session endpoint, which ends the single sign-on
 * session too and returns to {@code /}.
 */
@ApplicationScoped
public class SessionRoutes {

    @Inject
    Callers callers;

    @Inject
    CsrfGuard csrf;

    void install(@Observes Router router) {
        router.get("/").handler(ctx -> withCaller(ctx, caller -> home(ctx, caller)));
        router.get("/login").handler(ctx -> withCaller(ctx, caller -> login(ctx, caller)));
        router.route("/logout").handler(ctx -> withCaller(ctx, caller -> logout(ctx, caller)));
    }

    private void home(RoutingContext ctx, Caller caller) {
        JsonObject body = new JsonObject();
        if (caller.kind() == Caller.Kind.SESSION || caller.kind() == Caller.Kind.BEARER) {
            if (caller.kind() == Caller.Kind.SESSION) {
                csrf.issueTokenIfMissing(ctx);
            }
            body.put("signedIn", true).put("user", caller.name())
                    .put("message", "Signed in as " + caller.name()).put("logout", "/logout");
        } else {
            body.put("signedIn", false).put("login", "/login");
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
    }

    private void login(RoutingContext ctx, Caller caller) {
        if (caller.kind() == Caller.Kind.SESSION) {
            csrf.issueTokenIfMissing(ctx);
        }
        redirect(ctx, "/");
    }

    private void logout(RoutingContext ctx, Caller caller) {
        csrf.discardToken(ctx);
        // Quarkus signals the trip to Keycloak's end-session endpoint as a redirect; without a session there is
        // nothing to end, so just go home.
        redirect(ctx, caller.redirect() != null ? caller.redirect() : "/");
    }

    private void withCaller(RoutingContext ctx, Consumer<Caller> then) {
        Context requestContext = Vertx.currentContext();
        callers.resolve(ctx).subscribe().with(caller -> {
            if (Vertx.currentContext() == requestContext) {
                then.accept(caller);
            } else {
                requestContext.runOnContext(v -> then.accept(caller));
            }
        });
    }

    private static void redirect(RoutingContext ctx, String location) {
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, location).end();
        }
    }
}
