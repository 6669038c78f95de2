package com.acme.incentives.gateway.auth;

import com.acme.incentives.gateway.edge.FilterPriorities;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.AuthenticationRedirectException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Turns Quarkus's lazily evaluated security identity into a {@link Caller}, and keeps Quarkus from answering
 * authentication failures on the paths the gateway answers itself. Quarkus's default reaction to a failure is the
 * mechanism's challenge, which for the code flow is a 302 to the login page: right for a page, wrong for an API (a
 * script cannot follow a login page; it needs a 401 it can act on).
 */
@ApplicationScoped
public class Callers {

    private static final Logger LOG = Logger.getLogger(Callers.class);

    @Inject
    EndedSessions endedSessions;

    /** Authentication failures on our own paths are turned into answers by {@link #resolve} callers instead. */
    private static final BiConsumer<RoutingContext, Throwable> LEAVE_FAILURE_TO_ROUTE = (ctx, failure) -> {
    };

    void register(@Observes Filters filters) {
        filters.register(ctx -> {
            if (answersAuthenticationFailuresItself(ctx.normalizedPath())) {
                ctx.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, LEAVE_FAILURE_TO_ROUTE);
            }
            ctx.next();
        }, FilterPriorities.AUTH_FAILURE_OVERRIDE);
    }

    /** Everything but {@code /login}, where the code flow's redirects are exactly what is wanted. */
    static boolean answersAuthenticationFailuresItself(String path) {
        return !path.equals("/login");
    }

    /**
     * {@link #resolve} for a route handler: {@code then} runs on the request's own Vert.x context, where the response
     * may be written.
     */
    public void resolveThen(RoutingContext ctx, Consumer<Caller> then) {
        Context requestContext = Vertx.currentContext();
        resolve(ctx).subscribe().with(caller -> {
            if (Vertx.currentContext() == requestContext) {
                then.accept(caller);
            } else {
                requestContext.runOnContext(v -> then.accept(caller));
            }
        });
    }

    /**
     * Never fails: a failed authentication becomes a {@link Caller.Kind#REJECTED} caller, and so does a session that
     * was ended at {@code /logout} (through any replica: {@link EndedSessions}).
     */
    public Uni<Caller> resolve(RoutingContext ctx) {
        boolean bearer = GatewayTenantResolver.presentsBearerToken(ctx.request());
        return QuarkusHttpUser.getSecurityIdentity(ctx, null)
                .map(identity -> toCaller(identity, bearer))
                .onFailure().recoverWithItem(failure -> rejected(failure, bearer))
                .flatMap(caller -> caller.kind() != Caller.Kind.SESSION ? Uni.createFrom().item(caller)
                        : endedSessions.hasEnded(caller.sessionId())
                                .map(ended -> ended ? Caller.ended(caller.sessionId()) : caller));
    }

    /**
     * The session's id: Keycloak's {@code sid} claim of the ID token (the same for every refresh of one sign-in, new
     * for the next). A provider without {@code sid} gets a digest of the subject and the time of authentication, which
     * have the same two properties.
     */
    static String sessionId(JsonWebToken idToken) {
        Object sid = idToken.getClaim("sid");
        if (sid != null && !sid.toString().isBlank()) {
            return sid.toString();
        }
        Object authTime = idToken.getClaim("auth_time");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    (idToken.getSubject() + "|" + authTime).getBytes(StandardCharsets.UTF_8));
            return "h-" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Caller toCaller(SecurityIdentity identity, boolean bearer) {
        if (identity == null || identity.isAnonymous()) {
            return Caller.anonymous();
        }
        AccessTokenCredential accessToken = identity.getCredential(AccessTokenCredential.class);
        if (accessToken == null) {
            // Cannot happen with OIDC tenants only; refusing is safer than relaying nothing.
            return Caller.rejected(bearer, null);
        }
        String name = identity.getPrincipal().getName();
        String subject = identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null
                ? jwt.getSubject()
                : name;
        if (bearer) {
            return Caller.bearer(subject, name, accessToken.getToken());
        }
        // The code flow's principal is the ID token.
        if (!(identity.getPrincipal() instanceof JsonWebToken idToken)) {
            return Caller.rejected(false, null);
        }
        return Caller.session(subject, name, accessToken.getToken(), sessionId(idToken));
    }

    private static Caller rejected(Throwable failure, boolean bearer) {
        while (failure instanceof CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        if (failure instanceof AuthenticationRedirectException redirect) {
            return Caller.rejected(bearer, redirect.getRedirectUri());
        }
        LOG.debugf("Authentication failed (%s): %s", bearer ? "bearer token" : "session", failure.toString());
        return Caller.rejected(bearer, null);
    }
}
