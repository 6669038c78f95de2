package com.acme.incentives.identity.keycloak;

/**
 * Keycloak could not be reached or failed (5xx, timeout, unexpected answer). {@link #certainlyNotApplied()} tells
 * whether the request surely never reached the admin API (no connection, no service-account token); otherwise it may
 * or may not have been applied, and the caller must check or compensate.
 */
public class KeycloakUnavailableException extends RuntimeException {

    private final boolean certainlyNotApplied;

    public KeycloakUnavailableException(String message, Throwable cause, boolean certainlyNotApplied) {
        super(message, cause);
        this.certainlyNotApplied = certainlyNotApplied;
    }

    public KeycloakUnavailableException(String message) {
        this(message, null, false);
    }

    public boolean certainlyNotApplied() {
        return certainlyNotApplied;
    }
}
