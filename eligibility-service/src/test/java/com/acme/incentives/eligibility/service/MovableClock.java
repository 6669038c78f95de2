package com.acme.incentives.eligibility.service;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Replaces the service's clock in tests: real time plus an offset that a test moves forward to pass a date boundary
 * (an agreement expiring at midnight) without sleeping. Only ever moves forward, so tests running after a move see a
 * consistent "today" if they read it from here.
 */
@Singleton
@Typed(MovableClock.class)
public class MovableClock extends Clock {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    Clock clock() {
        return this;
    }

    public void advance(Duration by) {
        offset.updateAndGet(current -> current.plus(by));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("The service works in UTC days");
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }
}
