package com.acme.incentives.platform.tokens;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.quarkus.security.identity.SecurityIdentity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Bearer tokens this process has verified, with the identity Quarkus OIDC made of each, so that the same token on the
 * next request is not parsed and signature-checked again (issue 20: the check was half of an authenticated read's
 * CPU).
 *
 * <p>Keyed by the SHA-256 of the whole raw token: only a byte-identical token is a hit, and the tokens themselves are
 * not kept as keys (a heap dump shows hashes). Only successes are stored ({@link TokenCacheIdentityProvider}); a token
 * that fails is verified again, and refused again, every time.
 *
 * <p>An entry lives until the token's {@code exp} and at most {@code time-to-live}: the lifetime is fixed when the
 * entry is made and counted on the {@link Ticker} (elapsed time, {@code System.nanoTime()}), and each hit also
 * compares {@code exp} with the wall {@link Clock}, which is what {@code exp} is written in, so a token is never
 * served at or after its expiry even if the two disagree.
 */
public class VerifiedTokens {

    private final Cache<String, Entry> cache;
    private final Clock clock;
    private final Duration timeToLive;

    public VerifiedTokens(int maximumSize, Duration timeToLive, Clock clock, Ticker ticker) {
        this.clock = clock;
        this.timeToLive = timeToLive;
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .ticker(ticker)
                .expireAfter(Expiry.creating((String key, Entry entry) -> entry.lifetime()))
                // Eviction and expiry housekeeping on the calling thread: a few map operations, no pool thread.
                .executor(Runnable::run)
                .build();
    }

    /** The identity verified earlier for exactly this token, if it is still within its lifetime. */
    public Optional<SecurityIdentity> find(String token) {
        String key = key(token);
        Entry entry = cache.getIfPresent(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.expiresAt())) {
            cache.asMap().remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.identity());
    }

    /**
     * Keeps a verified token's identity for {@link #lifetime} from now; a token without a future expiry is not kept.
     */
    public void remember(String token, SecurityIdentity identity, Instant expiresAt) {
        Duration lifetime = lifetime(clock.instant(), expiresAt);
        if (!lifetime.isNegative() && !lifetime.isZero()) {
            cache.put(key(token), new Entry(identity, expiresAt, lifetime));
        }
    }

    /** How long a token verified at {@code now} may be served: until {@code expiresAt}, at most time-to-live. */
    Duration lifetime(Instant now, Instant expiresAt) {
        Duration untilExpiry = Duration.between(now, expiresAt);
        return untilExpiry.compareTo(timeToLive) < 0 ? untilExpiry : timeToLive;
    }

    public long size() {
        return cache.estimatedSize();
    }

    /** Forgets every token (each is verified again on its next use). */
    public void clear() {
        cache.invalidateAll();
    }

    static String key(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private record Entry(SecurityIdentity identity, Instant expiresAt, Duration lifetime) {
    }
}
