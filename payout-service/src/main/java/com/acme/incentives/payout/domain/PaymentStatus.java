package com.acme.incentives.payout.domain;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The payment state machine: every allowed transition is written here and nowhere else. {@code NEW} exists only
 * inside the run transaction that builds the payment (it is decided before that transaction commits).
 *
 * <p>With the bank: UPCOMING → IN_PROGRESS when the payment is in a bank file; then the bank's status reports move it
 * to SENT (accepted), PAID (settled), REJECTED (refused before settlement) or, after PAID, RETURNED (the money came
 * back). A credit note needs no bank: it goes to SENT when issued and stays there.
 */
public enum PaymentStatus {
    NEW, UPCOMING, IN_PROGRESS, SENT, PAID, ON_HOLD, FAILED, REJECTED, RETURNED, FORFEITED;

    private static final Map<PaymentStatus, Set<PaymentStatus>> ALLOWED = new EnumMap<>(PaymentStatus.class);

    static {
        // NEW → FORFEITED: earnings dated before the enrolment's earnings start date are never payable.
        ALLOWED.put(NEW, EnumSet.of(UPCOMING, ON_HOLD, FORFEITED));
        ALLOWED.put(ON_HOLD, EnumSet.of(ON_HOLD, UPCOMING, FORFEITED));
        // UPCOMING → ON_HOLD: an operator holds a payment before its run puts it in a bank file.
        ALLOWED.put(UPCOMING, EnumSet.of(IN_PROGRESS, FAILED, ON_HOLD));
        // A bank may report settlement without reporting acceptance first: IN_PROGRESS → PAID directly.
        ALLOWED.put(IN_PROGRESS, EnumSet.of(SENT, PAID, REJECTED, FAILED));
        ALLOWED.put(SENT, EnumSet.of(PAID, REJECTED));
        ALLOWED.put(PAID, EnumSet.of(RETURNED));
        ALLOWED.put(FAILED, EnumSet.noneOf(PaymentStatus.class));
        ALLOWED.put(REJECTED, EnumSet.noneOf(PaymentStatus.class));
        ALLOWED.put(RETURNED, EnumSet.noneOf(PaymentStatus.class));
        ALLOWED.put(FORFEITED, EnumSet.noneOf(PaymentStatus.class));
    }

    /** Whether a list of payments may be filtered by this name: any state but NEW, which no list shows. */
    public static boolean isListed(String name) {
        return !NEW.name().equals(name) && Arrays.stream(values()).anyMatch(s -> s.name().equals(name));
    }

    /** States of a payment that was handed to the bank: the only ones a bank status report may be about. */
    public static final Set<PaymentStatus> AT_THE_BANK = EnumSet.of(IN_PROGRESS, SENT, PAID, FAILED, REJECTED,
            RETURNED);

    public boolean canBecome(PaymentStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    /** Throws when the transition is not allowed: a bug, never silently applied. */
    public PaymentStatus to(PaymentStatus next) {
        if (!canBecome(next)) {
            throw new IllegalStateException("Payment cannot go from " + this + " to " + next);
        }
        return next;
    }

    /**
     * Where a bank status moves a payment in this state; empty when it changes nothing: the same report read again,
     * or a report that arrives after a later one (PAID, then a late ACSP), which must never move a payment back.
     * A refusal is a rejection before settlement and a return after it.
     */
    public Optional<PaymentStatus> afterBank(BankOutcome outcome) {
        PaymentStatus next = switch (outcome) {
            case ACCEPTED -> this == IN_PROGRESS ? SENT : null;
            case SETTLED -> this == IN_PROGRESS || this == SENT ? PAID : null;
            case REFUSED -> this == IN_PROGRESS || this == SENT ? REJECTED : this == PAID ? RETURNED : null;
            case PENDING -> null;
        };
        return Optional.ofNullable(next).map(this::to);
    }
}
