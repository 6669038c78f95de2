package com.acme.incentives.payout.events;

import java.time.Instant;
import java.util.UUID;

/** Data of the payout.events profile events (docs/events.md). */
public final class ProfileEvents {

    private ProfileEvents() {
    }

    /**
     * An operator rejected a bank (payment) profile in review: {@code reason} is the operator's words, which the
     * partner reads; {@code version} the version rejected.
     */
    public record BankProfileRejected(UUID organizationId, UUID profileId, String name, int version, String reason,
            Instant rejectedAt) {
    }
}
