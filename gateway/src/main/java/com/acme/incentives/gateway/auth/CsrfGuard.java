package com.acme.incentives.gateway.auth;

import com.acme.incentives.gateway.problem.GatewayMessages;
import com.acme.incentives.gateway.config.GatewayConfig;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * CSRF defence for calls that a browser authenticates with the session cookie (bearer calls carry no ambient
 * credential, so they are exempt). Double-submit: the gateway gives a signed-in browser a token in a cookie that
 * scripts of our origin can read; a state-changing call must echo it in a header, which a cross-site page can neither
 * read nor set. When the browser names the page's origin, it must also be one we serve. The SameSite=Lax session
 * cookie already stops most cross-site posts; this closes the rest (same-site subdomains, old browsers).
 *
 * <p>The token is bound to the session: {@code <nonce>.<HMAC(key, session id, nonce)>}, the session id being
 * Keycloak's {@code sid} (the same across token refreshes, new at each sign-in). A plain random double-submit token
 * proves only that the caller could read and write our cookies; one that a sibling subdomain planted (it can set
 * cookies for the parent domain) would pass. Bound, a token is accepted only with the session it was issued to, so
 * a token obtained in one session (an attacker's own, or the previous user's on a shared machine) is refused with
 * another's cookie. Stateless, so every replica checks a token any replica issued: the HMAC key is derived from the
 * session encryption secret every replica already shares ({@code GATEWAY_SESSION_ENCRYPTION_SECRET}), under a label of
 * its own, so no new secret has to be deployed and the key is never the encryption key itself.
 */
@ApplicationScoped
public class CsrfGuard {

    public static final String COOKIE = "XSRF-TOKEN";
    public static final String HEADER = "X-XSRF-TOKEN";

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.TRACE);

    private static final String KEY_LABEL = "incentives-gateway/xsrf-token/v1";
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;
    private final GatewayConfig config;

    CsrfGuard(GatewayConfig config,
            @ConfigProperty(name = "quarkus.oidc.token-state-manager.encryption-secret") String sessionSecret) {
        this.config = config;
        this.key = new SecretKeySpec(sha256(KEY_LABEL + "\n" + sessionSecret), "HmacSHA256");
    }

    /**
     * Gives a signed-in browser the token it must echo, when it has none for this session yet (none at all, or one
     * issued to an earlier session).
     */
    public void issueTokenIfMissing(RoutingContext ctx, String sessionId) {
        Cookie existing = ctx.request().getCookie(COOKIE);
        if (existing != null && isIssuedTo(existing.getValue(), sessionId)) {
            return;
        }
        ctx.response().addCookie(Cookie.cookie(COOKIE, issue(sessionId))
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

    /** A new token for the session: a random nonce and its HMAC with the session id. */
    String issue(String sessionId) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String encodedNonce = BASE64.encodeToString(nonce);
        return encodedNonce + "." + BASE64.encodeToString(mac(sessionId, encodedNonce));
    }

    /** True when the token was issued by a gateway (one with our secret) to this session. */
    boolean isIssuedTo(String token, String sessionId) {
        if (token == null || sessionId == null) {
            return false;
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1) {
            return false;
        }
        byte[] presented;
        try {
            presented = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(presented, mac(sessionId, token.substring(0, dot)));
    }

    private byte[] mac(String sessionId, String nonce) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(key);
            return hmac.doFinal((sessionId + "|" + nonce).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Why a call of this session must be refused, or empty when it may proceed. */
    public Optional<GatewayMessages.Text> rejection(RoutingContext ctx, String sessionId) {
        HttpServerRequest request = ctx.request();
        if (SAFE.contains(request.method())) {
            return Optional.empty();
        }
        Cookie cookie = request.getCookie(COOKIE);
        String header = request.getHeader(HEADER);
        if (cookie == null || cookie.getValue().isEmpty() || header == null
                || !MessageDigest.isEqual(cookie.getValue().getBytes(StandardCharsets.UTF_8),
                        header.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(GatewayMessages.CSRF_TOKEN_MISSING.with(COOKIE, HEADER));
        }
        if (!isIssuedTo(header, sessionId)) {
            return Optional.of(GatewayMessages.CSRF_TOKEN_FOREIGN.with(HEADER, COOKIE));
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !allowedOrigins(request).contains(origin.toLowerCase(Locale.ROOT))) {
            return Optional.of(GatewayMessages.CSRF_ORIGIN.with(origin));
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
