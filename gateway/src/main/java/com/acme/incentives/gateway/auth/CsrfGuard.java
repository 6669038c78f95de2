package com.acme.incentives.gateway.auth;

import com.acme.incentives.gateway.config.GatewayConfig;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * CSRF defence for calls that a browser authenticates with the session cookie (bearer calls carry no ambient
 * credential, so they are exempt). Double-submit: the gateway gives a signed-in browser a random token in a cookie
 * that scripts of our origin can read; a state-changing call must echo it in a header, which a cross-site page can
 * neither read nor set. When the browser names the page's origin, it must also be one we serve. The SameSite=Lax
 * session cookie already stops most cross-site posts; this closes the rest (same-site subdomains, old browsers).
 */
@ApplicationScoped
public class CsrfGuard {

    public static final String COOKIE = "XSRF-TOKEN";
    public static final String HEADER = "X-XSRF-TOKEN";

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.TRACE);

    private final SecureRandom random = new SecureRandom();

    @Inject
    GatewayConfig config;

    /** Gives a signed-in browser the token it must echo, when it has none yet. */
    public void issueTokenIfMissing(RoutingContext ctx) {
        Cookie existing = ctx.request().getCookie(COOKIE);
        if (existing != null && !existing.getValue().isEmpty()) {
            return;
        }
        byte[] token = new byte[32];
        random.nextBytes(token);
        ctx.response().addCookie(Cookie.cookie(COOKIE, Base64.getUrlEncoder().withoutPadding().encodeToString(token))
                .setPath("/")
                .setHttpOnly(false) // the front end's script must read it to echo it
                .setSameSite(CookieSameSite.STRICT)
                .setSecure(config.https()));
    }

    /** At sign-out, so the next session gets a fresh token. */
    public void discardToken(RoutingContext ctx) {
        if (ctx.request().getCookie(COOKIE) != null) {
            ctx.response().addCookie(Cookie.cookie(COOKIE, "").setPath("/").setMaxAge(0)
                    .setSameSite(CookieSameSite.STRICT).setSecure(config.https()));
        }
    }

    /** Why a session call must be refused, or empty when it may proceed. */
    public Optional<String> rejection(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (SAFE.contains(request.method())) {
            return Optional.empty();
        }
        Cookie cookie = request.getCookie(COOKIE);
        String header = request.getHeader(HEADER);
        if (cookie == null || cookie.getValue().isEmpty() || header == null
                || !MessageDigest.isEqual(cookie.getValue().getBytes(StandardCharsets.UTF_8),
                        header.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of("CSRF check failed: a state-changing call made with the session cookie must send the "
                    + COOKIE + " cookie's value in the " + HEADER + " header");
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !allowedOrigins(request).contains(origin.toLowerCase(Locale.ROOT))) {
            return Optional.of("CSRF check failed: calls from origin " + origin + " are not accepted");
        }
        return Optional.empty();
    }

    private List<String> allowedOrigins(HttpServerRequest request) {
        return config.csrf().allowedOrigins()
                .map(list -> list.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList())
                .orElseGet(() -> List.of(ownOrigin(request)));
    }

    /** The origin the browser addressed us by (Quarkus applies X-Forwarded-* first when proxy forwarding is on). */
    private static String ownOrigin(HttpServerRequest request) {
        URI uri = URI.create(request.absoluteURI());
        return (uri.getScheme() + "://" + uri.getRawAuthority()).toLowerCase(Locale.ROOT);
    }
}
