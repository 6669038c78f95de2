package com.acme.incentives.gateway.auth;

import io.quarkus.oidc.SecurityEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.List;

/**
 * Learns which session {@code /logout} ends. Quarkus handles that path in its authentication mechanism: it drops the
 * browser's cookies and answers with the redirect to Keycloak's end-session endpoint, so by the time the route runs
 * the session (and its id) is gone. It does announce the logout first, synchronously on the request's thread, with
 * the session's identity and the request: the session's id is left on the request for the route
 * ({@code SessionRoutes}) to record as ended ({@link EndedSessions}) before the browser is sent on.
 */
@ApplicationScoped
public class SignOuts {

    private static final String ENDED_SESSION = "gateway.session.ended";

    void onSecurityEvent(@Observes SecurityEvent event) {
        if (event.getEventType() != SecurityEvent.Type.OIDC_LOGOUT_RP_INITIATED) {
            return;
        }
        SecurityIdentity identity = event.getSecurityIdentity();
        if (identity == null || !(identity.getPrincipal() instanceof JsonWebToken idToken)) {
            return;
        }
        RoutingContext ctx = identity.getAttribute(RoutingContext.class.getName());
        if (ctx != null) {
            ctx.put(ENDED_SESSION, Callers.sessionId(idToken));
        }
    }

    /** Quarkus's session cookies of the default tenant (split-tokens: one per token). */
    static final List<String> SESSION_COOKIES = List.of("q_session", "q_session_at", "q_session_rt");

    /**
     * Tells the browser to drop the cookies of a session that has ended, so it stops presenting them (and a later
     * {@code /login} starts a new sign-in instead of finding the ended session).
     */
    public static void dropSessionCookies(RoutingContext ctx, boolean secure) {
        for (String name : SESSION_COOKIES) {
            if (ctx.request().getCookie(name) != null) {
                ctx.response().addCookie(Cookie.cookie(name, "").setPath("/").setMaxAge(0).setHttpOnly(true)
                        .setSameSite(CookieSameSite.LAX).setSecure(secure));
            }
        }
    }

    /** The id of the session this {@code /logout} request ends, or null when it had none. */
    public static String endedBy(RoutingContext ctx) {
        return ctx.get(ENDED_SESSION);
    }
}
