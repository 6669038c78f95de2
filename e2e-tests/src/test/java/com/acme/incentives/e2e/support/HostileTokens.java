package com.acme.incentives.e2e.support;

import com.acme.incentives.platform.testing.TestTokens;

/**
 * Real Keycloak tokens every service must refuse: expired, or meant for another audience. (Forgeries of a real token
 * are platform-web's {@code ForgedTokens}.)
 */
public final class HostileTokens {

    private HostileTokens() {
    }

    /** A correctly signed operator token that has expired (it lived one second: {@link TestTokens#shortLived()}). */
    public static String expired() {
        String token = TestTokens.shortLived();
        long expiresAt = TestTokens.claims(token).getLong("exp");
        long waitMillis = expiresAt * 1000 - System.currentTimeMillis() + 1500;
        if (waitMillis > 0) {
            try {
                Thread.sleep(waitMillis); // waiting for the clock itself, not for another thread's work
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return token;
    }

    /** A real token of a client without the {@code incentives-api} audience (identity-service's service account). */
    public static String wrongAudience() {
        return TestTokens.userAdministration();
    }
}
