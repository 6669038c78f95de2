package com.acme.incentives.platform.tokens;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * {@code platform.security.token-cache.*}: the cache of bearer tokens this process has already verified
 * ({@link VerifiedTokens}, docs/conventions.md "REST").
 */
@ConfigMapping(prefix = "platform.security.token-cache")
public interface TokenCacheSettings {

    /** Off: every request's token is parsed and its signature checked by Quarkus OIDC, as without the cache. */
    @WithDefault("true")
    boolean enabled();

    /** Tokens kept at most; beyond it the least useful are evicted (and verified again when they come back). */
    @WithDefault("10000")
    int maximumSize();

    /**
     * The longest a verified token is served from the cache, even when it expires later: how late a realm key taken
     * out of the JWKS (or a realm-level revocation) reaches this process.
     */
    @WithDefault("PT60S")
    Duration timeToLive();
}
