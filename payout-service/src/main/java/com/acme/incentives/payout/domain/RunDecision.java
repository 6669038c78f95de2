package com.acme.incentives.payout.domain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What a payout run does with one open payment (NEW or ON_HOLD), given its hold reasons now (docs/product.md
 * "Payout runs and payments", "Hold rules"): forfeit a held payment left without earnings, issue one with no reason,
 * forfeit one held longer than the forfeit period, hold the rest. Pure: the run reads the facts, PaymentLedger writes.
 *
 * @param forfeitReason why it is forfeited, null unless {@code next} is FORFEITED
 */
public record RunDecision(PaymentStatus from, PaymentStatus next, String note, ForfeitReason forfeitReason) {

    /** Why a run forfeits a payment (PaymentForfeited's {@code reason}). */
    public enum ForfeitReason {
        /** Every earning predates the enrolment's earnings start date. */
        BEFORE_EARNINGS_START,
        /** On hold longer than the forfeit period since first held. */
        HELD_TOO_LONG
    }

    private static final MathContext DIVISION = MathContext.DECIMAL128;

    /**
     * @param earningCount the earnings the payment holds after this run's claim (a held payment whose earnings all
     *     predated the earnings start date has none left: they were forfeited on their own payment)
     * @param reasons the hold reasons that apply now (HoldRules)
     * @param heldSince when the payment was first held, null if never
     */
    public static RunDecision decide(PaymentStatus from, int earningCount, List<String> reasons, Instant heldSince,
            Instant now, int forfeitAfterDays) {
        if (from != PaymentStatus.NEW && from != PaymentStatus.ON_HOLD) {
            // An issued payment may be held by an operator (UPCOMING → ON_HOLD), but a run never decides it again.
            throw new IllegalArgumentException("A run decides only NEW or ON_HOLD payments, not " + from);
        }
        if (from == PaymentStatus.ON_HOLD && earningCount == 0) {
            return new RunDecision(from, from.to(PaymentStatus.FORFEITED),
                    "forfeited: emptied, every earning it held predates the earnings start date",
                    ForfeitReason.BEFORE_EARNINGS_START);
        }
        if (reasons.isEmpty()) {
            return new RunDecision(from, from.to(PaymentStatus.UPCOMING),
                    from == PaymentStatus.ON_HOLD ? "released: every hold cleared" : "issued", null);
        }
        if (from == PaymentStatus.ON_HOLD && heldSince != null
                && heldSince.plus(Duration.ofDays(forfeitAfterDays)).isBefore(now)) {
            return new RunDecision(from, from.to(PaymentStatus.FORFEITED),
                    "forfeited after " + forfeitAfterDays + " days on hold", ForfeitReason.HELD_TOO_LONG);
        }
        return new RunDecision(from, from.to(PaymentStatus.ON_HOLD), from == PaymentStatus.NEW ? "held" : "still held",
                null);
    }

    /**
     * Whether the decision changes anything worth a history row and an update: a new state, other reasons, a new
     * payment, or (asked only when nothing else changed) a held payment that took in new earnings.
     */
    public boolean changes(List<String> reasons, List<String> previousReasons, BooleanSupplier amountChanged) {
        return next != from || !reasons.equals(previousReasons) || from == PaymentStatus.NEW
                || amountChanged.getAsBoolean();
    }

    /** When the payment was first held after this decision: a new hold starts now, an earlier one keeps its start. */
    public Instant heldSince(Instant heldSince, Instant now) {
        return next == PaymentStatus.ON_HOLD && heldSince == null ? now : heldSince;
    }

    /** Whether this decision releases a held payment (it then belongs to this run's bank file: released_by_run). */
    public boolean releases() {
        return from == PaymentStatus.ON_HOLD && next == PaymentStatus.UPCOMING;
    }

    /** What an issued payment pays, in the payout currency. */
    public record Payout(String currency, BigDecimal amount, BigDecimal exchangeRate) {
    }

    /**
     * An issued payment's payout: the amount as is in its own currency, else converted at the period's USD rates
     * (rate = earning currency's USD rate / payout currency's USD rate) to the payout currency's scale, HALF_EVEN.
     * The rate is kept to 10 places (the column's), the conversion uses it unrounded.
     */
    public static Payout payout(BigDecimal amount, String currency, BigDecimal usdRate, String payoutCurrency,
            BigDecimal payoutUsdRate) {
        BigDecimal rate = usdRate.divide(payoutUsdRate, DIVISION);
        BigDecimal paid = payoutCurrency.equals(currency) ? amount
                : amount.multiply(rate).setScale(Codes.scale(payoutCurrency), RoundingMode.HALF_EVEN);
        return new Payout(payoutCurrency, paid, rate.setScale(10, RoundingMode.HALF_EVEN));
    }
}
