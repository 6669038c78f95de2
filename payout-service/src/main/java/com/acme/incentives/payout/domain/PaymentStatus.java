package com.acme.incentives.payout.domain;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The payment state machine: every allowed transition is written here and nowhere else. {@code NEW} exists only
 * inside the run transaction that builds the payment (it is decided before that transaction commits).
 */
public enum PaymentStatus {
    NEW, UPCOMING, IN_PROGRESS, SENT, ON_HOLD, FAILED, REJECTED, REVERSED, FORFEITED;

    private static final Map<PaymentStatus, Set<PaymentStatus>> ALLOWED = Map.of(
            // NEW → FORFEITED: earnings dated before the enrolment's earnings start date are never payable.
            NEW, EnumSet.of(UPCOMING, ON_HOLD, FORFEITED),
            ON_HOLD, EnumSet.of(ON_HOLD, UPCOMING, FORFEITED),
            UPCOMING, EnumSet.of(IN_PROGRESS, FAILED),
            IN_PROGRESS, EnumSet.of(SENT, REJECTED, FAILED),
            SENT, EnumSet.of(REVERSED),
            FAILED, EnumSet.noneOf(PaymentStatus.class),
            REJECTED, EnumSet.noneOf(PaymentStatus.class),
            REVERSED, EnumSet.noneOf(PaymentStatus.class),
            FORFEITED, EnumSet.noneOf(PaymentStatus.class));

    public boolean canBecome(PaymentStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    /** Throws when the transition is not allowed: a bug or a bank report out of order, never silently applied. */
    public PaymentStatus to(PaymentStatus next) {
        if (!canBecome(next)) {
            throw new IllegalStateException("Payment cannot go from " + this + " to " + next);
        }
        return next;
    }
}
