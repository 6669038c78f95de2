package com.acme.incentives.payout.bank;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * The bank's transfer channel, the one part of payouts we cannot reach from here. The adapter shipped
 * ({@link HttpBankGateway}) speaks HTTP to the bank simulator's channel (bank-simulator module); a real bank's adapter
 * (EBICS, SFTP, the bank's API) implements the same two operations. Files and their state live in payout's database
 * (bank_file), never on a replica's disk: the adapter only hands over and fetches.
 */
public interface BankGateway {

    /**
     * One credit transfer of a file; {@code paymentId} is the end-to-end id the bank reports back. {@code bankCode},
     * {@code branchCode}, {@code accountType} and {@code accountHolderKana} route a Japanese (Zengin) or Korean
     * account (null otherwise).
     */
    record CreditTransfer(UUID paymentId, BigDecimal amount, String currency, String beneficiary, String accountKind,
            String account, String bic, String routingNumber, String bankCode, String branchCode, String accountType,
            String accountHolderKana, String bankCountry, String remittance) {
    }

    /** A pain.001 document to hand over: {@code messageId} is its GrpHdr/MsgId, on which the bank de-duplicates. */
    record BankFile(UUID id, String messageId, byte[] document, int transferCount) {
    }

    /** The bank took the file: {@code duplicate} when it had it already (handed over before a crash, say). */
    record Handover(boolean duplicate) {
    }

    /** A status report (pain.002 document) as the channel delivered it; {@code cursor} reads past it. */
    record ReceivedReport(String cursor, String messageId, byte[] document) {
    }

    /** Reports after a cursor, oldest first, and the cursor to continue from (unchanged when there were none). */
    record ReportBatch(List<ReceivedReport> reports, String next) {
    }

    /**
     * Hands a file over. Must be idempotent on the message id: handing over the same file again must not pay twice
     * (the sender may do so after a crash between the bank's answer and its own commit). Throws
     * {@link BankChannelException} when the bank did not take the file.
     */
    Handover submit(BankFile file);

    /** Status reports after {@code cursor} (null: from the first the channel still has), at most {@code limit}. */
    ReportBatch fetchStatusReports(String cursor, int limit);
}
