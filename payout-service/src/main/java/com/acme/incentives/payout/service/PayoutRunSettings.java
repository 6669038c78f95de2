package com.acme.incentives.payout.service;

import io.smallrye.config.ConfigMapping;

import java.math.BigDecimal;
import java.time.Duration;

/** {@code payout.run.*}: how payout runs decide and how they are worked (README "Payout runs"; application.properties). */
@ConfigMapping(prefix = "payout.run")
public interface PayoutRunSettings {

    /** A payment below this many USD (at the period's rate) is held (BELOW_THRESHOLD) and carried to the next run. */
    BigDecimal thresholdUsd();

    /** Locations per chunk: one transaction, one lease renewal. */
    int chunkLocations();

    /**
     * Chunks a replica works on at once for one run, each in its own transaction and connection. Most of a chunk's
     * time is PostgreSQL's, on one backend: two let the database use two cores (bench/payout-run).
     */
    int workers();

    /** How long a run is its worker's: a worker that dies leaves it to the janitor (or the next request) after this. */
    Duration lease();

    /** How often the janitor looks for runs whose lease ran out (its {@code @Scheduled} reads the same key). */
    Duration janitorEvery();

    /** A payment on hold this many days is forfeited by the next run. */
    int forfeitAfterDays();

    /** The monthly run's cron, UTC, or {@code off} (its {@code @Scheduled} reads the same key). */
    String schedule();
}
