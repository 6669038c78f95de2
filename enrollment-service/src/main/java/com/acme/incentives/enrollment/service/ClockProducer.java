package com.acme.incentives.enrollment.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/** The one clock of the service: injected wherever "now" decides something (expiry, earnings start), so a test or
 * a replacement bean can move time instead of waiting for it. */
@ApplicationScoped
public class ClockProducer {

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }
}
