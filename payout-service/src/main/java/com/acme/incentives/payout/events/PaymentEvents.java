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

    public record PaymentHeld(UUID paymentId, UUID payoutRunId, UUID organizationId, String partnerId,
            String programId, String earningType, String period, String amount, String currency, Instant issuedAt,
            List<String> holdReasons) {
    }

    public record PaymentSent(UUID paymentId, UUID organizationId, String partnerId, String amount, String currency,
            Instant sentAt, String bankReference) {
    }
}
