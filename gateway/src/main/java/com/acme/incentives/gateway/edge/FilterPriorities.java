package com.acme.incentives.gateway.edge;

/**
 * Where the gateway's own Vert.x filters sit among Quarkus's (a higher priority runs earlier). Quarkus runs CORS at
 * 300, authentication at 200, authorization at 100 and its own body-size check at route order -2, i.e. priority 2.
 */
public final class FilterPriorities {

    /** First of all, so every later answer, even a refusal, carries the id. */
    public static final int CORRELATION_ID = 10_030;
    /** Before anything can answer, so no response leaves without them. */
    public static final int SECURITY_HEADERS = 10_020;
    /** Before Quarkus's own size check, which answers 413 with an empty body (RequestLimits: URI, headers, body). */
    public static final int REQUEST_LIMITS = 10_010;
    /** Before any handler yields the event loop, so no body chunk arrives with nobody listening. */
    public static final int HOLD_REQUEST_BODY = 10_000;
    /** Before authentication (200) starts a code flow that would send the browser to an unreachable Keycloak. */
    public static final int SIGN_IN_AVAILABILITY = 250;
    /** After authentication (200) set up the lazy identity, before authorization (100) may evaluate it. */
    public static final int AUTH_FAILURE_OVERRIDE = 175;

    private FilterPriorities() {
    }
}
