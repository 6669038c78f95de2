package com.acme.incentives.payout.service;

import com.acme.incentives.payout.PayoutMessages;
import com.acme.incentives.payout.bank.Pain001Writer;
import com.acme.incentives.payout.bank.Pain002Reader;
import com.acme.incentives.payout.bank.Pain002Reader.StatusReport;
import com.acme.incentives.payout.bank.Pain002Reader.TransactionStatus;
import com.acme.incentives.payout.domain.BankOutcome;
import com.acme.incentives.payout.domain.BankProfileReason;
import com.acme.incentives.payout.domain.Codes;
import com.acme.incentives.payout.domain.PaymentStatus;
import com.acme.incentives.payout.events.PaymentEvents.PaymentPaid;
import com.acme.incentives.payout.events.PaymentEvents.PaymentRejectedOrReturned;
import com.acme.incentives.payout.events.PaymentEvents.PaymentSent;
import com.acme.incentives.platform.events.Outbox;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.ProblemType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Applies the bank's payment status reports (pain.002), whichever way they arrive: pushed by the bank connector
 * through {@code POST /api/v1/bank/status-reports}, or pulled through the bank channel (BankReportPoller). One report
 * is one transaction: every payment it names is known and handed to the bank, or nothing is applied (422 naming the
 * unknown end-to-end ids). A report is known by its message id: delivered again, by either path, it changes nothing
 * and answers the summary of its first delivery. Statuses never move a payment back (PaymentStatus.afterBank): PAID
 * then a late ACSP is "unchanged".
 */
@ApplicationScoped
public class BankStatusReports {

    private static final Logger LOG = Logger.getLogger(BankStatusReports.class);

    /** How a report arrived: pushed through the API, or pulled through the bank channel. */
    public static final String API = "API";
    public static final String CHANNEL = "CHANNEL";

    /**
     * ISO 20022 reason codes that say the creditor's account or bank details are wrong: sending again would fail
     * again. AC01 incorrect account number, AC03 invalid creditor account, AC04 closed, AC06 blocked, BE01
     * beneficiary inconsistent with the account, RC01 wrong bank identifier, MD07 beneficiary deceased.
     */
    static final Set<String> ACCOUNT_REASONS = Set.of("AC01", "AC03", "AC04", "AC06", "BE01", "RC01", "MD07");

    @Inject
    Jdbi jdbi;

    @Inject
    Outbox outbox;

    @Inject
    PaymentLedger ledger;

    @Inject
    ProfileStatusService profileStatuses;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    /** What one transaction status of the report did: {@code APPLIED} (the payment moved) or {@code UNCHANGED}. */
    @Schema(name = "BankTransactionResult", requiredProperties = { "endToEndId", "status", "result" })
    public record TransactionResult(String endToEndId, UUID paymentId,
            @Schema(description = "The ISO 20022 transaction status code (ACSC, RJCT, …)") String status,
            String reason,
            @Schema(type = SchemaType.STRING, enumeration = { "APPLIED", "UNCHANGED" }) String result,
            String paymentStatus) {
    }

    /** The answer to a report, kept with it and given again when the same report is delivered again. */
    @Schema(name = "BankStatusReportSummary", requiredProperties = { "messageId", "receivedAt", "applied", "unchanged",
            "transactions" })
    public record Summary(String messageId, String originalMessageId, String groupStatus, Instant receivedAt,
            int applied, int unchanged, List<TransactionResult> transactions) {
    }

    private record Payment(UUID id, PaymentStatus status, UUID organizationId, String partnerId, BigDecimal amount,
            String currency, String programId, String earningType, String period) {
    }

    /**
     * Applies a report. 400 (malformed-request) when it is not a readable pain.002, 422 when it names a payment this
     * service did not hand to the bank (member {@code unknownEndToEndIds}) or a status code ISO 20022 does not have
     * ({@code unknownStatusCodes}), 409 when its message id was received before with other content.
     */
    public Summary receive(byte[] document, String source) {
        // A transaction of its own, with room for a report on a 20,000-payment file; the poll calls this while it
        // holds the channel cursor in another transaction.
        return QuarkusTransaction.requiringNew().timeout(600).call(() -> apply(document, source));
    }

    private Summary apply(byte[] document, String source) {
        StatusReport report;
        try {
            report = Pain002Reader.read(document);
        } catch (Pain002Reader.MalformedReport e) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, e.key(), e.args());
        }
        String hash = Disbursement.sha256(document);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try (Handle h = jdbi.open()) {
            Summary earlier = claim(h, report, hash, source, now);
            if (earlier != null) {
                return earlier;
            }
            List<TransactionStatus> lines = lines(h, report);
            Map<String, UUID> paymentIds = new HashMap<>();
            Set<String> unknownCodes = new TreeSet<>();
            for (TransactionStatus line : lines) {
                Pain001Writer.paymentId(line.endToEndId()).ifPresent(id -> paymentIds.put(line.endToEndId(), id));
                if (BankOutcome.of(line.status()).isEmpty()) {
                    unknownCodes.add(line.status());
                }
            }
            Map<UUID, Payment> payments = lock(h, paymentIds.values());
            Set<String> unknown = new LinkedHashSet<>();
            for (TransactionStatus line : lines) {
                UUID id = paymentIds.get(line.endToEndId());
                Payment p = id == null ? null : payments.get(id);
                if (p == null || !PaymentStatus.AT_THE_BANK.contains(p.status())) {
                    unknown.add(line.endToEndId());
                }
            }
            if (!unknown.isEmpty()) {
                // Nothing of the report is applied (the transaction rolls back, the claim too): a report naming a
                // payment we never sent is not ours, or not all of it is, and a person has to look at it.
                throw ApiException.unprocessable(PayoutMessages.REPORT_UNKNOWN_PAYMENTS, unknown.size()).with("reportMessageId", report.messageId())
                        .with("unknownEndToEndIds", List.copyOf(unknown));
            }
            if (!unknownCodes.isEmpty()) {
                throw ApiException.unprocessable(PayoutMessages.REPORT_UNKNOWN_STATUS_CODES).with("reportMessageId", report.messageId())
                        .with("unknownStatusCodes", List.copyOf(unknownCodes));
            }
            List<TransactionResult> results = new ArrayList<>();
            int applied = 0;
            for (TransactionStatus line : lines) {
                Payment p = payments.get(paymentIds.get(line.endToEndId()));
                Optional<PaymentStatus> next = p.status().afterBank(BankOutcome.of(line.status()).orElseThrow());
                if (next.isPresent()) {
                    apply(h, p, next.get(), line, report.messageId(), now);
                    p = new Payment(p.id(), next.get(), p.organizationId(), p.partnerId(), p.amount(), p.currency(),
                            p.programId(), p.earningType(), p.period());
                    payments.put(p.id(), p);
                    applied++;
                }
                results.add(new TransactionResult(line.endToEndId(), p.id(), line.status(), line.reason(),
                        next.isPresent() ? "APPLIED" : "UNCHANGED", p.status().name()));
            }
            acknowledgeFile(h, report.originalMessageId(), now);
            Summary summary = new Summary(report.messageId(), report.originalMessageId(), report.groupStatus(), now,
                    applied, results.size() - applied, List.copyOf(results));
            h.createUpdate("UPDATE bank_status_report SET summary = :summary WHERE message_id = :messageId")
                    .bind("summary", json.writeValueAsString(summary))
                    .bind("messageId", report.messageId())
                    .execute();
            LOG.infof("Bank status report %s (%s, about %s): %d applied, %d unchanged", report.messageId(), source,
                    report.originalMessageId(), applied, results.size() - applied);
            return summary;
        } catch (JdbiException | JsonProcessingException e) {
            throw new IllegalStateException("Could not apply the bank status report", e);
        }
    }

    /**
     * Claims the report's message id before anything else: a second delivery running at the same time (push and
     * pull of one report) waits on the primary key until the first commits, then answers the first's summary.
     * Returns that earlier summary, or null when this delivery is the first.
     */
    private Summary claim(Handle h, StatusReport report, String hash, String source, Instant now)
            throws JsonProcessingException {
        int inserted = h.createUpdate("""
                INSERT INTO bank_status_report (message_id, content_sha256, original_message_id, source, received_at)
                VALUES (:messageId, :sha256, :originalMessageId, :source, :now) ON CONFLICT DO NOTHING""")
                .bind("messageId", report.messageId())
                .bind("sha256", hash)
                .bind("originalMessageId", report.originalMessageId())
                .bind("source", source)
                .bind("now", now)
                .execute();
        if (inserted == 1) {
            return null;
        }
        String[] stored = h.createQuery(
                "SELECT content_sha256, summary FROM bank_status_report WHERE message_id = :messageId")
                .bind("messageId", report.messageId())
                .map((rs, ctx) -> new String[] { rs.getString(1), rs.getString(2) })
                .one();
        if (!stored[0].equals(hash)) {
            throw ApiException.conflict(PayoutMessages.REPORT_RECEIVED_WITH_OTHER_CONTENT, report.messageId())
                    .with("reportMessageId", report.messageId());
        }
        return json.readValue(stored[1], Summary.class);
    }

    /**
     * The transaction statuses to apply. A report with only a group status (the bank's verdict on the whole message,
     * e.g. a file refused before any transfer was looked at) applies that status to every payment of the file it
     * names; such a report naming no file of ours is refused like an unknown payment.
     */
    private static List<TransactionStatus> lines(Handle h, StatusReport report) {
        if (!report.transactions().isEmpty()) {
            return report.transactions();
        }
        List<TransactionStatus> lines = h.createQuery("""
                SELECT p.id FROM payment p JOIN bank_file f ON f.id = p.bank_file_id
                WHERE f.message_id = :originalMessageId ORDER BY p.id""")
                .bind("originalMessageId", report.originalMessageId())
                .map((rs, ctx) -> new TransactionStatus(Pain001Writer.endToEndId(rs.getObject(1, UUID.class)),
                        report.groupStatus(), report.groupReason(), null))
                .list();
        if (lines.isEmpty()) {
            throw ApiException.unprocessable(PayoutMessages.REPORT_UNKNOWN_MESSAGE, report.originalMessageId())
                    .with("reportMessageId", report.messageId())
                    .with("unknownMessageIds", report.originalMessageId() == null ? List.of()
                            : List.of(report.originalMessageId()));
        }
        return lines;
    }

    /** Locks the named payments in id order (two reports on overlapping payments never deadlock). */
    private static Map<UUID, Payment> lock(Handle h, java.util.Collection<UUID> ids) {
        Map<UUID, Payment> payments = new HashMap<>();
        if (ids.isEmpty()) {
            return payments;
        }
        h.createQuery("""
                SELECT id, status, organization_id, partner_id, payout_amount, payout_currency, program_id,
                       earning_type, period
                FROM payment WHERE id = ANY(:ids) ORDER BY id FOR UPDATE""")
                .bindArray("ids", UUID.class, new TreeSet<>(ids))
                .map((rs, ctx) -> {
                    String currency = rs.getString(6);
                    return new Payment(rs.getObject(1, UUID.class), PaymentStatus.valueOf(rs.getString(2)),
                            rs.getObject(3, UUID.class), rs.getString(4), rs.getBigDecimal(5),
                            currency, rs.getString(7), rs.getString(8),
                            rs.getString(9));
                })
                .forEach(p -> payments.put(p.id(), p));
        return payments;
    }

    private void apply(Handle h, Payment p, PaymentStatus next, TransactionStatus line, String reportId,
            Instant now) {
        String note = "bank " + line.status() + (line.reason() == null ? "" : ": " + line.reason()) + " (report "
                + reportId + ")";
        ledger.transition(h, p.id(), p.status(), next, line.bankReference(), null, note, now);
        String amount = Codes.money(p.amount(), p.currency()).toPlainString();
        switch (next) {
            case SENT -> outbox.publish(p.partnerId(), "PaymentSent", new PaymentSent(p.id(), p.organizationId(),
                    p.partnerId(), amount, p.currency(), now, line.bankReference()));
            case PAID -> outbox.publish(p.partnerId(), "PaymentPaid", new PaymentPaid(p.id(), p.organizationId(),
                    p.partnerId(), amount, p.currency(), now, line.bankReference()));
            case REJECTED, RETURNED -> {
                // The partner got nothing (or got it back out): the earnings are owed again, paid by the next run.
                int returned = returnEarnings(h, p.id(), now);
                refuseAccount(h, p, line.reason());
                outbox.publish(p.partnerId(), next == PaymentStatus.REJECTED ? "PaymentRejected" : "PaymentReturned",
                        new PaymentRejectedOrReturned(p.id(), p.organizationId(), p.partnerId(), p.programId(),
                                p.earningType(), p.period(), amount, p.currency(), next.name(), line.reason(),
                                line.bankReference(), returned, now));
            }
            default -> throw new IllegalStateException("A bank status cannot make a payment " + next);
        }
    }

    /**
     * A report about a file is the bank's acknowledgement that it has it (and, if we did not know, took it). If the
     * sender still holds the file (the bank reported before answering the hand-over), this waits for its commit.
     */
    private static void acknowledgeFile(Handle h, String originalMessageId, Instant now) {
        if (originalMessageId == null) {
            return;
        }
        h.createUpdate("""
                UPDATE bank_file SET state = 'ACKNOWLEDGED', acknowledged_at = :now,
                    submitted_at = COALESCE(submitted_at, :now), last_error = NULL
                WHERE message_id = :originalMessageId AND state <> 'ACKNOWLEDGED'""")
                .bind("now", now)
                .bind("originalMessageId", originalMessageId)
                .execute();
    }

    /**
     * A refusal for the account itself moves the payment's bank profile to ACTION_REQUIRED with the bank's reason,
     * as a failed validation would: the next run then holds the earnings (BANK_PROFILE_NOT_APPROVED) instead of
     * sending them to the same account again, and PayoutProfileStatusChanged tells enrollment.
     */
    private void refuseAccount(Handle h, Payment p, String reason) {
        String code = reason == null ? "" : reason.split(":", 2)[0].trim();
        if (!ACCOUNT_REASONS.contains(code)) {
            return;
        }
        // Only the version the money went to: a refusal arriving after the partner corrected the account is
        // about the old account, and must not send the corrected one back to ACTION_REQUIRED.
        String[] values = { p.id().toString(), reason };
        int refused = h.createUpdate("""
                UPDATE bank_profile b SET status = 'ACTION_REQUIRED', status_reason = :reason,
                       status_reason_code = :reasonCode, status_reason_args = :reasonArgs
                FROM payment p
                WHERE p.id = :paymentId AND b.id = p.bank_profile_id AND b.status <> 'ACTION_REQUIRED'
                  AND p.bank_profile_version = b.version""")
                .bind("reason", BankProfileReason.BANK_REFUSED_ACCOUNT.text(Locale.ENGLISH, values))
                .bind("reasonCode", BankProfileReason.BANK_REFUSED_ACCOUNT.name())
                .bindArray("reasonArgs", String.class, values)
                .bind("paymentId", p.id())
                .execute();
        if (refused == 0) {
            return;
        }
        profileStatuses.refreshOrganization(p.organizationId());
    }

    /**
     * Gives a failed payment's earnings back to "unpaid" (their lots' one payment slot emptied) so that the next run
     * pays them again, under the holds that apply then; which earnings it carried stays in payment_returned_earning.
     * The lots take no new earnings (not accepting): their group and month may have an open lot already (V14).
     * Returns how many earnings went back.
     */
    private static int returnEarnings(Handle h, UUID paymentId, Instant now) {
        int returned = h.createUpdate("""
                INSERT INTO payment_returned_earning (payment_id, earning_id, returned_at)
                SELECT l.payment_id, e.earning_id, :now FROM earning_lot l JOIN earning e ON e.lot_id = l.id
                WHERE l.payment_id = :paymentId
                ON CONFLICT DO NOTHING""")
                .bind("now", now)
                .bind("paymentId", paymentId)
                .execute();
        h.createUpdate("UPDATE earning_lot SET payment_id = NULL, accepting = FALSE WHERE payment_id = :paymentId")
                .bind("paymentId", paymentId)
                .execute();
        return returned;
    }
}
