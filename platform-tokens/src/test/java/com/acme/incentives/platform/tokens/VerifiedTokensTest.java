package com.acme.incentives.platform.tokens;

import com.github.benmanes.caffeine.cache.Ticker;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import org.junit.jupiter.api.Test;

import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache's expiry arithmetic, with a clock and a ticker the test moves (together, as real time does). */
class VerifiedTokensTest {

    private static final Instant START = Instant.parse("2026-12-04T03:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(60);

    private final MovingTime time = new MovingTime();
    private final VerifiedTokens tokens = new VerifiedTokens(3, TTL, time, time);
    private final SecurityIdentity identity = identity("alice");

    @Test
    void aTokenIsServedUntilTheTimeToLiveWhenItExpiresLater() {
        tokens.remember("token-a", identity, START.plus(Duration.ofMinutes(5)));

        time.advance(Duration.ofSeconds(59));
        assertThat(tokens.find("token-a")).containsSame(identity);
        time.advance(Duration.ofSeconds(1));
        assertThat(tokens.find("token-a")).isEmpty();
    }

    @Test
    void aTokenIsServedUntilItsExpiryWhenThatComesFirst() {
        tokens.remember("token-a", identity, START.plus(Duration.ofSeconds(10)));

        time.advance(Duration.ofMillis(9_999));
        assertThat(tokens.find("token-a")).containsSame(identity);
        time.advance(Duration.ofMillis(1));
        assertThat(tokens.find("token-a")).isEmpty();
    }

    @Test
    void theLifetimeIsTheEarlierOfExpiryAndTimeToLive() {
        assertThat(tokens.lifetime(START, START.plusSeconds(300))).isEqualTo(TTL);
        assertThat(tokens.lifetime(START, START.plusSeconds(10))).isEqualTo(Duration.ofSeconds(10));
        assertThat(tokens.lifetime(START, START.plusSeconds(60))).isEqualTo(TTL);
        assertThat(tokens.lifetime(START, START.minusSeconds(1))).isNegative();
    }

    @Test
    void anAlreadyExpiredTokenIsNotKept() {
        tokens.remember("at-expiry", identity, START);
        tokens.remember("past-expiry", identity, START.minusSeconds(1));

        assertThat(tokens.find("at-expiry")).isEmpty();
        assertThat(tokens.find("past-expiry")).isEmpty();
        assertThat(tokens.size()).isZero();
    }

    @Test
    void theWallClockPassingExpiryEndsTheEntryEvenIfElapsedTimeSaysOtherwise() {
        tokens.remember("token-a", identity, START.plusSeconds(30));

        // The wall clock jumps (NTP step) while the monotonic ticker does not move.
        time.jumpWallClock(Duration.ofSeconds(30));
        assertThat(tokens.find("token-a")).isEmpty();
    }

    @Test
    void onlyTheIdenticalTokenIsAHit() {
        tokens.remember("header.payload.signature", identity, START.plusSeconds(300));

        assertThat(tokens.find("header.payload.signature")).containsSame(identity);
        assertThat(tokens.find("header.payload.signaturf")).isEmpty();
        assertThat(tokens.find("header.payload.")).isEmpty();
        assertThat(tokens.find("header.payload.signature ")).isEmpty();
    }

    @Test
    void theKeyIsTheTokensSha256NotTheToken() {
        assertThat(VerifiedTokens.key("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
                .doesNotContain("abc");
    }

    @Test
    void theCacheHoldsAtMostItsMaximumSize() {
        for (int i = 0; i < 10; i++) {
            tokens.remember("token-" + i, identity(String.valueOf(i)), START.plusSeconds(300));
        }
        assertThat(tokens.size()).isEqualTo(3);
    }

    private static SecurityIdentity identity(String name) {
        Principal principal = () -> name;
        return QuarkusSecurityIdentity.builder().setPrincipal(principal).addRole("OPERATOR").build();
    }

    /** Wall clock and monotonic ticker, both starting at {@link #START} and normally moved together. */
    private static final class MovingTime extends Clock implements Ticker {

        private Duration elapsed = Duration.ZERO;
        private Duration wallOffset = Duration.ZERO;

        void advance(Duration by) {
            elapsed = elapsed.plus(by);
        }

        void jumpWallClock(Duration by) {
            wallOffset = wallOffset.plus(by);
        }

        @Override
        public long read() {
            return elapsed.toNanos();
        }

        @Override
        public Instant instant() {
            return START.plus(elapsed).plus(wallOffset);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
