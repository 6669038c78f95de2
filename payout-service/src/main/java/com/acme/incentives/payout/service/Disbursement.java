package com.acme.incentives.payout.service;

import com.acme.incentives.payout.bank.BankGateway;
import com.acme.incentives.payout.bank.BankGateway.CreditTransfer;
import com.acme.incentives.payout.bank.BankGateway.StatusUpdate;
import com.acme.incentives.payout.domain.Codes;
import com.acme.incentives.payout.domain.PaymentStatus;
import com.acme.incentives.payout.events.PaymentEvents.PaymentReturned;
import com.acme.incentives.payout.events.PaymentEvents.PaymentSent;
import com.acme.incentives.platform.events.Outbox;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Moves issued payments to the bank and applies what the bank reports back, each change through the state machine
 * with a history row. A bank transfer goes UPCOMING → IN_PROGRESS when its file is handed over, then SENT, REJECTED
 * or (after SENT) REVERSED from the status report; a credit note needs no bank and is SENT when issued.
 */
@ApplicationScoped
public class Disbursement {

    private static final Logger LOG = Logger.getLogger(Disbursement.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    BankGateway bank;

    @Inject
    FieldEncryption encryption;

    @Inject
    Outbox outbox;

    @Inject
    ProfileStatusService profileStatuses;

    private record Issued(UUID id, UUID organizationId, String partnerId, String programId, BigDecimal amount,
            String currency, String method, String beneficiary, String accountKind, String ciphertext, String bic,
            String routing, String bankCountry, String period, String earningType) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void disburse(UUID runId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (Connection c = dataSource.getConnection()) {
            List<Issued> issued = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT p.id, p.organization_id, p.partner_id, p.program_id, p.payout_amount, p.payout_currency,
                           b.method, b.beneficiary, b.account_kind, b.account_ciphertext, b.bic, b.routing_number,
                           b.bank_country, p.period, p.earning_type
                    FROM payment p JOIN bank_profile b ON b.id = p.bank_profile_id
                    WHERE p.status = 'UPCOMING' AND (p.payout_run_id = ? OR p.released_by_run = ?)
                    ORDER BY p.id FOR UPDATE OF p SKIP LOCKED""")) {
                // Only this run's payments (issued or released by it): the file is the run's message, and another
                // run's UPCOMING payment belongs in that run's file (its resume sends it), never in two files.
                s.setObject(1, runId);
                s.setObject(2, runId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        issued.add(new Issued(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                                rs.getString(3), rs.getString(4), rs.getBigDecimal(5), rs.getString(6).trim(),
                                rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                                rs.getString(12), rs.getString(13), rs.getString(14).trim(), rs.getString(15)));
                    }
                }
            }
            List<CreditTransfer> transfers = new ArrayList<>();
            List<Issued> creditNotes = new ArrayList<>();
            for (Issued p : issued) {
                if ("CREDIT_NOTE".equals(p.method())) {
                    creditNotes.add(p);
                    continue;
                }
                transfers.add(new CreditTransfer(p.id(), Codes.money(p.amount(), p.currency()), p.currency(),
                        p.beneficiary(), p.accountKind(), encryption.decrypt(p.ciphertext()), p.bic(), p.routing(),
                        p.bankCountry(), "Partner incentives " + p.programId() + " " + p.earningType() + " "
                                + p.period() + " location " + p.partnerId()));
            }
            if (!transfers.isEmpty()) {
                // Written before the status changes commit: if the commit fails, the same message (same id, same
                // payments) is written again on resume, and the bank de-duplicates on the message id.
                String file = bank.submit(runId.toString(), transfers);
                for (CreditTransfer t : transfers) {
                    transition(c, t.paymentId(), PaymentStatus.UPCOMING, PaymentStatus.IN_PROGRESS, null, runId,
                            "handed to the bank", now);
                }
                try (PreparedStatement u = c.prepareStatement("UPDATE payout_run SET bank_file = ? WHERE id = ?")) {
                    u.setString(1, file);
                    u.setObject(2, runId);
                    u.executeUpdate();
                }
            }
            for (Issued p : creditNotes) {
                String reference = "CREDIT-NOTE-" + p.id().toString().substring(0, 8).toUpperCase();
                transition(c, p.id(), PaymentStatus.UPCOMING, PaymentStatus.IN_PROGRESS, null, runId,
                        "credit note issued", now);
                transition(c, p.id(), PaymentStatus.IN_PROGRESS, PaymentStatus.SENT, reference, runId,
                        "credit note issued", now);
                outbox.publish(p.partnerId(), "PaymentSent", new PaymentSent(p.id(), p.organizationId(),
                        p.partnerId(), Codes.money(p.amount(), p.currency()).toPlainString(), p.currency(), now,
                        reference));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not disburse payments", e);
        }
    }

    @Scheduled(every = "${payout.bank.poll-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        applyStatusReports();
    }

    /** Reads the bank's reports and applies each update in its own transaction; returns how many were applied. */
    public int applyStatusReports() {
        int applied = 0;
        for (StatusUpdate update : bank.fetchStatusUpdates()) {
            try {
                if (QuarkusTransaction.requiringNew().call(() -> apply(update))) {
                    applied++;
                }
            } catch (RuntimeException e) {
                LOG.errorf("Bank status for payment %s not applied: %s", update.paymentId(), e.getMessage());
            }
        }
        return applied;
    }

    private boolean apply(StatusUpdate update) throws SQLException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (Connection c = dataSource.getConnection()) {
            PaymentStatus current;
            String partnerId;
            UUID organizationId;
            BigDecimal amount;
            String currency;
            String programId;
            String earningType;
            String period;
            try (PreparedStatement s = c.prepareStatement("SELECT status, partner_id, organization_id, payout_amount,"
                    + " payout_currency, program_id, earning_type, period FROM payment WHERE id = ? FOR UPDATE")) {
                s.setObject(1, update.paymentId());
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        LOG.warnf("Bank reported on unknown payment %s", update.paymentId());
                        return false;
                    }
                    current = PaymentStatus.valueOf(rs.getString(1));
                    partnerId = rs.getString(2);
                    organizationId = rs.getObject(3, UUID.class);
                    amount = rs.getBigDecimal(4);
                    currency = rs.getString(5).trim();
                    programId = rs.getString(6);
                    earningType = rs.getString(7);
                    period = rs.getString(8).trim();
                }
            }
            PaymentStatus next = switch (update.outcome()) {
                case ACCEPTED -> PaymentStatus.SENT;
                // A refusal after SENT is a reversal; read again after the reversal it is the same report.
                case REJECTED -> current == PaymentStatus.SENT || current == PaymentStatus.REVERSED
                        ? PaymentStatus.REVERSED : PaymentStatus.REJECTED;
                case RETURNED -> PaymentStatus.REVERSED;
            };
            if (next == current) {
                return false; // the same report read twice
            }
            transition(c, update.paymentId(), current, next, update.bankReference(), null,
                    update.reason() == null ? "bank status report" : "bank: " + update.reason(), now);
            if (next == PaymentStatus.SENT) {
                outbox.publish(partnerId, "PaymentSent", new PaymentSent(update.paymentId(), organizationId,
                        partnerId, Codes.money(amount, currency).toPlainString(), currency, now,
                        update.bankReference()));
            } else {
                // REJECTED or REVERSED: the partner got nothing (or got it back out), so the earnings are owed again.
                int returned = returnEarnings(c, update.paymentId(), now);
                refuseAccount(c, update, organizationId);
                outbox.publish(partnerId, next == PaymentStatus.REJECTED ? "PaymentRejected" : "PaymentReversed",
                        new PaymentReturned(update.paymentId(), organizationId, partnerId, programId, earningType,
                                period, Codes.money(amount, currency).toPlainString(), currency, next.name(),
                                update.reason(), update.bankReference(), returned, now));
            }
            return true;
        }
    }

    /**
     * ISO 20022 reason codes that say the creditor's account or bank details are wrong: sending again would fail
     * again. AC01 incorrect account number, AC03 invalid creditor account, AC04 closed, AC06 blocked, BE01
     * beneficiary inconsistent with the account, RC01 wrong bank identifier, MD07 beneficiary deceased.
     */
    static final Set<String> ACCOUNT_REASONS = Set.of("AC01", "AC03", "AC04", "AC06", "BE01", "RC01", "MD07");

    /**
     * A rejection for the account itself moves the payment's bank profile to ACTION_REQUIRED with the bank's reason,
     * as a failed validation would: the next run then holds the earnings (BANK_PROFILE_NOT_APPROVED) instead of
     * sending them to the same account again, and PayoutProfileStatusChanged tells enrollment.
     */
    private void refuseAccount(Connection c, StatusUpdate update, UUID organizationId) throws SQLException {
        String code = update.reason() == null ? "" : update.reason().split(":", 2)[0].trim();
        if (!ACCOUNT_REASONS.contains(code)) {
            return;
        }
        try (PreparedStatement u = c.prepareStatement("""
                UPDATE bank_profile SET status = 'ACTION_REQUIRED', status_reason = ?
                WHERE id = (SELECT bank_profile_id FROM payment WHERE id = ?) AND status <> 'ACTION_REQUIRED'""")) {
            u.setString(1, "The bank refused payment " + update.paymentId() + " (" + update.reason()
                    + "): correct the account details");
            u.setObject(2, update.paymentId());
            if (u.executeUpdate() == 0) {
                return;
            }
        }
        profileStatuses.refreshOrganization(organizationId);
    }

    /**
     * Gives a failed payment's earnings back to "unpaid" (their one payment slot emptied) so that the next run pays
     * them again, under the holds that apply then; which earnings it carried stays in payment_returned_earning.
     */
    private static int returnEarnings(Connection c, UUID paymentId, Instant now) throws SQLException {
        try (PreparedStatement keep = c.prepareStatement("""
                INSERT INTO payment_returned_earning (payment_id, earning_id, returned_at)
                SELECT payment_id, earning_id, ? FROM earning WHERE payment_id = ?
                ON CONFLICT DO NOTHING""");
                PreparedStatement release = c.prepareStatement(
                        "UPDATE earning SET payment_id = NULL WHERE payment_id = ?")) {
            keep.setTimestamp(1, Timestamp.from(now));
            keep.setObject(2, paymentId);
            keep.executeUpdate();
            release.setObject(1, paymentId);
            return release.executeUpdate();
        }
    }

    /** One state change: checked against the state machine, applied only from the expected state, with history. */
    static void transition(Connection c, UUID paymentId, PaymentStatus from, PaymentStatus to, String bankReference,
            UUID runId, String note, Instant now) throws SQLException {
        from.to(to);
        try (PreparedStatement u = c.prepareStatement("""
                UPDATE payment SET status = ?, bank_reference = COALESCE(?, bank_reference), updated_at = ?
                WHERE id = ? AND status = ? RETURNING amount, hold_reasons""");
                PreparedStatement h = c.prepareStatement("""
                        INSERT INTO payment_history (payment_id, from_status, to_status, amount, hold_reasons,
                            payout_run_id, note, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            u.setString(1, to.name());
            u.setString(2, bankReference);
            u.setTimestamp(3, Timestamp.from(now));
            u.setObject(4, paymentId);
            u.setString(5, from.name());
            try (ResultSet rs = u.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("Payment " + paymentId + " is no longer " + from);
                }
                h.setObject(1, paymentId);
                h.setString(2, from.name());
                h.setString(3, to.name());
                h.setBigDecimal(4, rs.getBigDecimal(1));
                h.setArray(5, rs.getArray(2));
                h.setObject(6, runId);
                h.setString(7, note);
                h.setTimestamp(8, Timestamp.from(now));
                h.executeUpdate();
            }
        }
    }
}
