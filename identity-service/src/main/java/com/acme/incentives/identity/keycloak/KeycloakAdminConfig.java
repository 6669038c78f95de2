package com.acme.incentives.identity.keycloak;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * How identity-service reaches Keycloak's admin API, as its own service account (client credentials), and how
 * KeycloakAdmin's fault-tolerance guard treats it.
 */
@ConfigMapping(prefix = "identity.keycloak-admin")
public interface KeycloakAdminConfig {

    /** Keycloak's base URL (without /realms/...). */
    String url();

    /** The instance's realm (incentives.realm). */
    String realm();

    String clientId();

    String clientSecret();

    /** How long one attempt may take: a user waiting on the API should get a clean 503, not a hung request. */
    @WithDefault("PT5S")
    Duration timeout();

    /** Attempts after the first, for calls that are safe to repeat (KeycloakAdmin says which). */
    @WithDefault("2")
    int retries();

    /** The pause before a retry (with up to half of it again at random, so replicas do not retry in step). */
    @WithDefault("PT0.2S")
    Duration retryDelay();

    Breaker circuitBreaker();

    interface Breaker {

        /** How many recent calls the breaker judges by. */
        @WithDefault("10")
        int requestVolume();

        /** The share of those that failed at which it opens. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long it stays open (calls fail at once) before one trial call is let through. */
        @WithDefault("PT5S")
        Duration openFor();
    }
}
