package com.acme.incentives.platform.time;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * The one clock of every service: injected wherever "now" is written down or decides something (a row's timestamps,
 * an expiry, a lease, today's date), so a test can move time instead of waiting for it or back-dating rows with SQL.
 * Days are UTC days (an agreement valid to 2026-03-31 stops counting at 2026-04-01T00:00Z).
 *
 * <p>{@link DefaultBean}: a test (eligibility's {@code MovableClock}) or a replacement bean producing a {@link Clock}
 * takes its place without an alternative priority. Elapsed time (back-off, throttles, metrics) is measured with
 * {@link System#nanoTime()}, not with this clock: moving the clock must not change how long anything waits.
 */
@Singleton
public class ClockProducer {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
