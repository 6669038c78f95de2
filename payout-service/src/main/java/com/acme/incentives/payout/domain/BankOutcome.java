package com.acme.incentives.payout.domain;

import java.util.Optional;

/**
 * What an ISO 20022 transaction status (pain.002 {@code TxSts}, ExternalPaymentTransactionStatus1Code) says about a
 * payment. A real bank adapter that also receives returns as pacs.004 or camt.054 reports them as REFUSED too: a
 * refusal after settlement is a return (PaymentStatus.afterBank).
 */
public enum BankOutcome {
    /** ACTC, ACCP, ACSP, ACWC: accepted (technically, by the customer profile, for settlement, with change). */
    ACCEPTED,
    /** ACSC, ACCC: settlement completed on the debtor's or the creditor's account. */
    SETTLED,
    /** RJCT: refused; before settlement a rejection, after it a return. */
    REFUSED,
    /**
     * Anything else the code list knows (RCVD, PDNG, ACFC, ACWP, ACIS, ACPD, PATC, PRES, BLCK; CANC answers a
     * cancellation request, which this service never sends): recorded in the report's summary, no state change.
     */
    PENDING;

    /** The outcome of a status code; empty for a code that is not in the ISO 20022 list. */
    public static Optional<BankOutcome> of(String transactionStatus) {
        return Optional.ofNullable(switch (transactionStatus) {
            case "ACTC", "ACCP", "ACSP", "ACWC" -> ACCEPTED;
            case "ACSC", "ACCC" -> SETTLED;
            case "RJCT" -> REFUSED;
            case "RCVD", "PDNG", "ACFC", "ACWP", "ACIS", "ACPD", "PATC", "PRES", "BLCK", "CANC" -> PENDING;
            default -> null;
        });
    }
}
