package com.acme.incentives.payout.service;

import com.acme.incentives.payout.encryption.FieldEncryption;
import com.acme.incentives.payout.bank.BankGateway.CreditTransfer;
import com.acme.incentives.payout.bank.Pain001Writer;
import com.acme.incentives.payout.domain.Codes;
import com.acme.incentives.payout.domain.PaymentStatus;
import com.acme.incentives.payout.events.PaymentEvents.PaymentSent;
import com.acme.incentives.platform.concurrency.DaemonThreads;
import com.acme.incentives.platform.events.Outbox;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Puts a run's issued payments in a bank file: the pain.001 document is written to the database (bank_file, sealed)
 * in the same transaction as the payments' UPCOMING → IN_PROGRESS, so a file exists exactly when its payments say
 * so. Handing the file to the bank is the sender's job (BankFileSender), and what the bank reports back is applied
 * by BankStatusReports. A credit note needs no bank: it is SENT when issued.
 */
@ApplicationScoped
public class Disbursement {

    @Inject
    Jdbi jdbi;

    @Inject
    Pain001Writer pain001;

    @Inject
    FieldEncryption encryption;

    @Inject
    Clock clock;

    @Inject
    Outbox outbox;

    @Inject
    PaymentLedger ledger;

    /** Writes bank files' documents beside the transaction that moves their payments (one thread per file). */
    private final ExecutorService documentWriters =
            Executors.newCachedThreadPool(DaemonThreads.named("bank-file-document"));

    @PreDestroy
    void stop() {
        documentWriters.shutdownNow();
    }

    private record Issued(UUID id, UUID organizationId, String partnerId, String programId, BigDecimal amount,
            String currency, String method, String beneficiary, String accountKind, String ciphertext, String bic,
            String routing, String bankCode, String branchCode, String accountType, String accountHolderKana,
            String bankCountry, String period, String earningType) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void disburse(UUID runId) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try (Handle h = jdbi.open()) {
            // FOR SHARE OF b: a correction of the bank profile (which locks it) waits until the file is written,
            // or has committed before and then refused itself while this payment was UPCOMING; the account in
            // the file is therefore always the version recorded on the payment below.
            // Only this run's payments (issued or released by it): the file is the run's message, and another
            // run's UPCOMING payment belongs in that run's file (its resume sends it), never in two files.
            List<Issued> issued = h.createQuery("""
                    SELECT p.id, p.organization_id, p.partner_id, p.program_id, p.payout_amount, p.payout_currency,
                           b.method, b.beneficiary, b.account_kind, b.account_ciphertext, b.bic, b.routing_number,
                           b.bank_code, b.branch_code, b.account_type, b.account_holder_kana,
                           b.bank_country, p.period, p.earning_type
                    FROM payment p JOIN bank_profile b ON b.id = p.bank_profile_id
                    WHERE p.status = 'UPCOMING' AND (p.payout_run_id = :runId OR p.released_by_run = :runId)
                    ORDER BY p.id FOR UPDATE OF p SKIP LOCKED FOR SHARE OF b""")
                    .bind("runId", runId)
                    .map((rs, ctx) -> new Issued(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getString(3), rs.getString(4), rs.getBigDecimal(5), rs.getString(6),
                            rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                            rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15),
                            rs.getString(16), rs.getString(17), rs.getString(18), rs.getString(19)))
                    .list();
            List<CreditTransfer> transfers = new ArrayList<>();
            // An organization's one bank profile usually pays all its locations: each account is decrypted once.
            Map<String, String> accounts = new HashMap<>();
            List<Issued> creditNotes = new ArrayList<>();
            for (Issued p : issued) {
                if ("CREDIT_NOTE".equals(p.method())) {
                    creditNotes.add(p);
                    continue;
                }
                transfers.add(new CreditTransfer(p.id(), Codes.money(p.amount(), p.currency()), p.currency(),
                        p.beneficiary(), p.accountKind(),
                        accounts.computeIfAbsent(p.ciphertext(), encryption::decrypt), p.bic(), p.routing(),
                        p.bankCode(), p.branchCode(), p.accountType(), p.accountHolderKana(), p.bankCountry(),
                        "Partner incentives " + p.programId() + " " + p.earningType() + " " + p.period()
                                + " location " + p.partnerId()));
            }
            if (!transfers.isEmpty()) {
                // Its message id is the file's own id (a run that is resumed after a crash may put the rest of its
                // payments in a second file, which must not share the first one's MsgId).
                UUID fileId = UUID.randomUUID();
                String messageId = Pain001Writer.endToEndId(fileId);
                // The document is written and sealed on another thread while the payments move into the file here:
                // the one is this JVM's work, the other PostgreSQL's, and each takes about half a second for 20,000
                // payments (bench/payout-run). The payments name the file before its row exists, so that reference
                // is checked at commit (V15).
                CompletableFuture<Document> document = CompletableFuture.supplyAsync(
                        () -> document(messageId, now, transfers), documentWriters);
                h.execute("SET CONSTRAINTS payment_bank_file_id_fkey DEFERRED");
                ledger.intoBankFile(h, transfers.stream().map(CreditTransfer::paymentId).toList(), fileId, runId,
                        "in bank file " + messageId, now);
                insertFile(h, fileId, messageId, runId, transfers, document.join(), now);
            }
            for (Issued p : creditNotes) {
                String reference = "CREDIT-NOTE-" + p.id().toString().substring(0, 8).toUpperCase();
                ledger.transition(h, p.id(), PaymentStatus.UPCOMING, PaymentStatus.IN_PROGRESS, null, runId,
                        "credit note issued", now);
                ledger.transition(h, p.id(), PaymentStatus.IN_PROGRESS, PaymentStatus.SENT, reference, runId,
                        "credit note issued", now);
                outbox.publish(p.partnerId(), "PaymentSent", new PaymentSent(p.id(), p.organizationId(),
                        p.partnerId(), Codes.money(p.amount(), p.currency()).toPlainString(), p.currency(), now,
                        reference));
            }
        } catch (JdbiException e) {
            throw new IllegalStateException("Could not disburse payments", e);
        }
    }

    /** A bank file's pain.001 document, sealed for storage, and the digest of its plain text. */
    private record Document(byte[] sealed, String sha256) {
    }

    private Document document(String messageId, Instant now, List<CreditTransfer> transfers) {
        byte[] document = pain001.write(messageId, now, transfers);
        return new Document(encryption.seal(document), sha256(document));
    }

    /** The run's bank file, READY for the sender, with its totals per currency. */
    private static void insertFile(Handle h, UUID fileId, String messageId, UUID runId,
            List<CreditTransfer> transfers, Document document, Instant now) {
        Map<String, BigDecimal> sums = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (CreditTransfer t : transfers) {
            sums.merge(t.currency(), t.amount(), BigDecimal::add);
            counts.merge(t.currency(), 1, Integer::sum);
        }
        h.createUpdate("""
                INSERT INTO bank_file (id, message_id, payout_run_id, content, content_sha256, transfer_count, state,
                    next_attempt_at, created_at)
                VALUES (:id, :messageId, :runId, :content, :sha256, :transfers, 'READY', :now, :now)""")
                .bind("id", fileId)
                .bind("messageId", messageId)
                .bind("runId", runId)
                .bind("content", document.sealed())
                .bind("sha256", document.sha256())
                .bind("transfers", transfers.size())
                .bind("now", now)
                .execute();
        try (PreparedBatch total = h.prepareBatch("""
                INSERT INTO bank_file_total (bank_file_id, currency, transfer_count, control_sum)
                VALUES (:fileId, :currency, :transfers, :controlSum)""")) {
            for (var sum : sums.entrySet()) {
                total.bind("fileId", fileId)
                        .bind("currency", sum.getKey())
                        .bind("transfers", (int) counts.get(sum.getKey()))
                        .bind("controlSum", sum.getValue())
                        .add();
            }
            total.execute();
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
