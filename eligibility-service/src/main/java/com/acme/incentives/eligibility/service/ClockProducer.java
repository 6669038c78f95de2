package com.acme.incentives.eligibility.service;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * The one clock of the service. Eligibility days are UTC days (an agreement valid to 2026-03-31 stops counting at
 * 2026-04-01T00:00Z). Tests replace this producer with a clock they can move, to pass date boundaries without sleeping.
 */
@Singleton
public class ClockProducer {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
