package com.acme.incentives.gateway.ratelimit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One client's allowance, on a clock the test moves (the bucket is given the time of each call, so nothing here
 * waits): a burst of {@code capacity} calls, then one call per {@code 1 / perSecond} seconds.
 */
class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;
    /** Any start: the bucket only ever looks at differences (System.nanoTime() may be negative). */
    private static final long T0 = -5 * SECOND;

    @Test
    void aNewBucketAllowsItsBurstThenSaysHowLongUntilTheNextToken() {
        TokenBucket bucket = new TokenBucket(3, 2, T0);
        assertThat(bucket.tryTake(T0)).isZero();
        assertThat(bucket.tryTake(T0)).isZero();
        assertThat(bucket.tryTake(T0)).isZero();
        // Empty: 2 tokens a second, so the next one is half a second away, and asking does not take anything.
        assertThat(bucket.tryTake(T0)).isEqualTo(SECOND / 2);
        assertThat(bucket.tryTake(T0 + SECOND / 4)).isEqualTo(SECOND / 4);
        assertThat(bucket.tryTake(T0 + SECOND / 2)).isZero();
        assertThat(bucket.tryTake(T0 + SECOND / 2)).isEqualTo(SECOND / 2);
    }

    @Test
    void itRefillsContinuouslyUpToItsCapacityOnly() {
        TokenBucket bucket = new TokenBucket(2, 10, T0);
        bucket.tryTake(T0);
        bucket.tryTake(T0);
        // A long quiet time refills it to 2, not to 10 × the time.
        long later = T0 + 60 * SECOND;
        assertThat(bucket.tryTake(later)).isZero();
        assertThat(bucket.tryTake(later)).isZero();
        assertThat(bucket.tryTake(later)).isEqualTo(SECOND / 10);
        // A tenth of a second: one token back.
        assertThat(bucket.tryTake(later + SECOND / 10)).isZero();
        assertThat(bucket.tryTake(later + SECOND / 10)).isPositive();
    }

    @Test
    void aFullBucketCanBeForgottenAnEmptyingOneCannot() {
        TokenBucket bucket = new TokenBucket(5, 1, T0);
        assertThat(bucket.isFull(T0)).isTrue();
        bucket.tryTake(T0);
        assertThat(bucket.isFull(T0)).isFalse();
        assertThat(bucket.isFull(T0 + SECOND - 1)).isFalse();
        assertThat(bucket.isFull(T0 + SECOND)).isTrue();
    }

    @Test
    void anEarlierTimeThanTheLastCallGivesNothingBack() {
        // Calls from several threads may arrive with their times out of order: an older time must not refill,
        // nor move the bucket's clock back so that the same interval is counted twice.
        TokenBucket bucket = new TokenBucket(1, 1, T0);
        assertThat(bucket.tryTake(T0 + SECOND)).isZero();
        assertThat(bucket.tryTake(T0)).isEqualTo(SECOND);
        assertThat(bucket.tryTake(T0 + SECOND)).isEqualTo(SECOND);
        assertThat(bucket.tryTake(T0 + 2 * SECOND)).isZero();
    }
}
