package com.acme.incentives.platform.inbox;

import com.acme.incentives.platform.events.EventEnvelope;

/** Applies one event; runs inside the transaction that also records the event id as consumed. */
@FunctionalInterface
public interface EventHandler {
    void apply(EventEnvelope event);
}
