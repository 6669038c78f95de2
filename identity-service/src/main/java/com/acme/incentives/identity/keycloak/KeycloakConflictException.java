package com.acme.incentives.identity.keycloak;

/** Keycloak refused a user because its username or email is already taken (HTTP 409). */
public class KeycloakConflictException extends RuntimeException {
    public KeycloakConflictException(String message) {
        super(message);
    }
}
