package com.acme.incentives.platform.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code platform.outbox.*}: where a service's events go and how its relay sends them (docs/conventions.md, "Events"). */
@ConfigMapping(prefix = "platform.outbox")
public interface OutboxSettings {

    /** The service's own events topic ({@code ${incentives.instance}.<service>.events}). */
    String topic();

    /** Whether this process relays the outbox to Kafka at all (off for a process that only writes it). */
    @WithDefault("true")
    boolean enabled();

    /** Events per Kafka transaction. */
    @WithDefault("500")
    int batchSize();

    /** The relay's wait for new events when the last batch was not full (a commit wakes it earlier). */
    @WithDefault("PT1S")
    Duration pollInterval();

    /**
     * How soon a relay asks again when another replica was publishing. A commit wakes only its own replica's relay:
     * if that one then found the other's turn in progress, the new rows would otherwise wait for the poll.
     */
    @WithDefault("PT0.05S")
    Duration busyRetry();

    /** The longest wait between two attempts while Kafka refuses (doubling from 200 ms). */
    @WithDefault("PT5S")
    Duration maxBackoff();
}
