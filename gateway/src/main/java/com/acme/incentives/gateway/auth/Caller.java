package com.acme.incentives.gateway.auth;

/**
 * Who is calling, as far as the gateway cares: how they authenticated, whom to rate-limit, and which access token to
 * relay.
 *
 * @param redirect set when OIDC asked to send the browser elsewhere instead (the RP-initiated logout's trip to the
 *                 identity provider, or a session that can only be renewed by signing in again)
 */
public record Caller(Kind kind, boolean presentedBearerToken, String subject, String name, String accessToken,
        String redirect) {

    public enum Kind {
        /** No credentials at all. */
        ANONYMOUS,
        /** Bearer token in the Authorization header: no ambient credential, so no CSRF exposure. */
        BEARER,
        /** Browser session (encrypted cookie): the gateway holds the tokens and relays the access token. */
        SESSION,
        /** Credentials were presented but are invalid or expired, or the session could not be renewed. */
        REJECTED
    }

    static Caller anonymous() {
        return new Caller(Kind.ANONYMOUS, false, null, null, null, null);
    }

    static Caller bearer(String subject, String name, String accessToken) {
        return new Caller(Kind.BEARER, true, subject, name, accessToken, null);
    }

    static Caller session(String subject, String name, String accessToken) {
        return new Caller(Kind.SESSION, false, subject, name, accessToken, null);
    }

    static Caller rejected(boolean presentedBearerToken, String redirect) {
        return new Caller(Kind.REJECTED, presentedBearerToken, null, null, null, redirect);
    }

    /** Rate-limit key: the token subject when known, else the address the request came from. */
    public String rateLimitKey(String remoteAddress) {
        return subject != null ? "sub:" + subject : "ip:" + remoteAddress;
    }
}
