package com.acme.incentives.identity.keycloak;

/**
 * Keycloak could not be reached or failed (5xx, timeout, unexpected answer). {@link #certainlyNotApplied()} tells
 * whether the request surely never reached the admin API (no connection, no service-account token, the circuit
 * breaker open); otherwise it may or may not have been applied, and the caller must check or compensate.
 */
public class KeycloakUnavailableException extends RuntimeException {

    private final boolean certainlyNotApplied;
    private final transient boolean safeToRepeat;

    KeycloakUnavailableException(String message, Throwable cause, boolean certainlyNotApplied,
            boolean safeToRepeat) {
        super(message, cause);
        this.certainlyNotApplied = certainlyNotApplied;
        this.safeToRepeat = safeToRepeat;
    }

    public boolean certainlyNotApplied() {
        return certainlyNotApplied;
    }

    /** Whether sending the same call again cannot do anything twice (KeycloakAdmin's retries ask this). */
    boolean safeToRepeat() {
        return safeToRepeat;
    }
}
