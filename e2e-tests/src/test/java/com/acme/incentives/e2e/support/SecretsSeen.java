package com.acme.incentives.e2e.support;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every secret a test handled (temporary and chosen passwords, bank account numbers), so that the log scan that runs
 * last can prove none of them was ever written to a log.
 */
public final class SecretsSeen {

    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private SecretsSeen() {
    }

    public static String remember(String secret) {
        if (secret != null && secret.length() >= 6) {
            SECRETS.add(secret);
        }
        return secret;
    }

    public static Set<String> all() {
        return Set.copyOf(SECRETS);
    }
}
