package com.acme.incentives.gateway.auth;

/**
 * Who is calling, as far as the gateway cares: how they authenticated, whom to rate-limit, and which access token to
 * relay.
 *
 * @param sessionId for a browser session, the identity provider's id of the sign-in it belongs to (Keycloak's
 *                  {@code sid}): what the XSRF token is bound to and what {@code /logout} ends
 * @param redirect  set when OIDC asked to send the browser elsewhere instead (the RP-initiated logout's trip to the
 *                  identity provider, or a session that can only be renewed by signing in again)
 * @param sessionEnded set when a session cookie was presented whose session was ended at {@code /logout}: the
 *                  browser's copy of the cookies should be dropped
 */
public record Caller(Kind kind, boolean presentedBearerToken, String subject, String name, String accessToken,
        String sessionId, String redirect, boolean sessionEnded) {

    public enum Kind {
        /** No credentials at all. */
        ANONYMOUS,
        /** Bearer token in the Authorization header: no ambient credential, so no CSRF exposure. */
        BEARER,
        /** Browser session (encrypted cookie): the gateway holds the tokens and relays the access token. */
        SESSION,
        /** Credentials were presented but are invalid or expired, or the session could not be renewed or has ended. */
        REJECTED
    }

    static Caller anonymous() {
        return new Caller(Kind.ANONYMOUS, false, null, null, null, null, null, false);
    }

    static Caller bearer(String subject, String name, String accessToken) {
        return new Caller(Kind.BEARER, true, subject, name, accessToken, null, null, false);
    }

    static Caller session(String subject, String name, String accessToken, String sessionId) {
        return new Caller(Kind.SESSION, false, subject, name, accessToken, sessionId, null, false);
    }

    static Caller rejected(boolean presentedBearerToken, String redirect) {
        return new Caller(Kind.REJECTED, presentedBearerToken, null, null, null, null, redirect, false);
    }

    /** A valid session cookie of a session that was ended at {@code /logout} (through any replica). */
    static Caller ended(String sessionId) {
        return new Caller(Kind.REJECTED, false, null, null, null, sessionId, null, true);
    }

    /** Rate-limit key: the token subject when known, else the address the request came from. */
    public String rateLimitKey(String remoteAddress) {
        return subject != null ? "sub:" + subject : "ip:" + remoteAddress;
    }
}
