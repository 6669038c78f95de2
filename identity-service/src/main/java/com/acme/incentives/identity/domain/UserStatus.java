package com.acme.incentives.identity.domain;

/**
 * Where a user stands. A new user (or one whose temporary password is not yet changed) is
 * {@code PENDING_ACTIVATION} until they sign in with a password of their own; {@code DEACTIVATED} users are disabled
 * in Keycloak and cannot sign in.
 */
public enum UserStatus {
    PENDING_ACTIVATION, ACTIVE, DEACTIVATED
}
