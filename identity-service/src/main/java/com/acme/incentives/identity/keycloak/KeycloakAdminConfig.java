package com.acme.incentives.identity.keycloak;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How identity-service reaches Keycloak's admin API, as its own service account (client credentials). */
@ConfigMapping(prefix = "identity.keycloak-admin")
public interface KeycloakAdminConfig {

    /** Keycloak's base URL (without /realms/...). */
    String url();

    /** The instance's realm (incentives.realm). */
    String realm();

    String clientId();

    String clientSecret();

    /** Connect and per-request timeout: a user waiting on the API should get a clean 503, not a hung request. */
    @WithDefault("PT5S")
    Duration timeout();
}
