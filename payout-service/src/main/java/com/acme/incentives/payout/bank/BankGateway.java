package com.acme.incentives.payout.bank;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * The bank, the one part of payouts we cannot reach from here. A real adapter sends credit transfers (and reads the
 * bank's reports) over the bank's channel (EBICS, SFTP, an API); the adapter shipped writes and reads ISO 20022 files
 * in a folder such a channel would pick up.
 */
public interface BankGateway {

    /** One credit transfer; {@code paymentId} is the end-to-end id the bank reports back. */
    record CreditTransfer(UUID paymentId, BigDecimal amount, String currency, String beneficiary, String accountKind,
            String account, String bic, String routingNumber, String bankCountry, String remittance) {
    }

    /** What the bank said about one payment. */
    record StatusUpdate(UUID paymentId, Outcome outcome, String bankReference, String reason) {
    }

    enum Outcome { ACCEPTED, REJECTED, RETURNED }

    /**
     * Hands over a run's transfers as one message identified by {@code messageId}; handing over the same message
     * again must not pay twice (banks de-duplicate on the message id). Returns where the message went.
     */
    String submit(String messageId, List<CreditTransfer> transfers);

    /** Reports received since the last call; each is returned once. */
    List<StatusUpdate> fetchStatusUpdates();
}
