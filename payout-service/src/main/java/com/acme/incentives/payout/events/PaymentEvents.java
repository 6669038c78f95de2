package com.acme.incentives.payout.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Data of the payout.events payment events (docs/events.md); money as strings with the currency's scale. */
public final class PaymentEvents {

    private PaymentEvents() {
    }

    public record PaymentIssued(UUID paymentId, UUID payoutRunId, UUID organizationId, String partnerId,
            String programId, String earningType, String period, String amount, String currency, Instant issuedAt,
            String payoutAmount, String payoutCurrency) {
    }

    /**
     * {@code heldSince}: when the payment was first held; {@code forfeitsAt}: when a run forfeits it if it is still on
     * hold (heldSince + payout.run.forfeit-after-days), what a partner must be told before it happens.
     */
    public record PaymentHeld(UUID paymentId, UUID payoutRunId, UUID organizationId, String partnerId,
            String programId, String earningType, String period, String amount, String currency, Instant issuedAt,
            List<String> holdReasons, Instant heldSince, Instant forfeitsAt) {
    }

    public record PaymentSent(UUID paymentId, UUID organizationId, String partnerId, String amount, String currency,
            Instant sentAt, String bankReference) {
    }

    /**
     * A payment closed without paying: {@code reason} {@code HELD_TOO_LONG} (on hold longer than
     * payout.run.forfeit-after-days; {@code holdReasons} are the reasons still open, {@code heldSince} when it was
     * first held) or {@code BEFORE_EARNINGS_START} (its earnings predate the enrolment's earnings start date).
     */
    public record PaymentForfeited(UUID paymentId, UUID payoutRunId, UUID organizationId, String partnerId,
            String programId, String earningType, String period, String amount, String currency, Instant forfeitedAt,
            String reason, List<String> holdReasons, Instant heldSince) {
        public static final String HELD_TOO_LONG = "HELD_TOO_LONG";
        public static final String BEFORE_EARNINGS_START = "BEFORE_EARNINGS_START";
    }

    /** The bank reports the settlement completed (ACSC on our account, ACCC on the creditor's): the payment is PAID. */
    public record PaymentPaid(UUID paymentId, UUID organizationId, String partnerId, String amount, String currency,
            Instant paidAt, String bankReference) {
    }

    /**
     * Data of PaymentRejected (the bank refused the transfer before settlement: {@code status} REJECTED) and
     * PaymentReturned (the money came back after it was paid: RETURNED). {@code earningsReturned} earnings went back
     * to unpaid.
     */
    public record PaymentRejectedOrReturned(UUID paymentId, UUID organizationId, String partnerId, String programId,
            String earningType, String period, String amount, String currency, String status, String reason,
            String bankReference, int earningsReturned, Instant at) {
    }
}
