package com.acme.incentives.payout.service;

import com.acme.incentives.payout.domain.PaymentStatus;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The only code that changes a payment's status or writes its history (payment_history is append-only, one row per
 * step). Every change is checked against the state machine ({@link PaymentStatus#to}) before anything is written, and
 * its history row is written by the same method, on the caller's connection, so both commit or roll back with the
 * caller's transaction. Callers decide (the run, the bank file, the bank's reports, an operator); the ledger records.
 *
 * <p>Plain JDBC on the caller's {@link Connection} (docs/conventions.md "Persistence"): the callers are set-based SQL
 * work that already holds its rows locked in a chosen order, and the ledger must write inside that work, not beside it.
 *
 * <p>{@code NEW} exists only inside the run transaction that builds a payment, so history never shows it: a step
 * from NEW is recorded with no {@code from_status} ({@link #shownFrom}).
 */
@ApplicationScoped
public class PaymentLedger {

    private static final String HISTORY = """
            INSERT INTO payment_history (payment_id, from_status, to_status, amount, hold_reasons, payout_run_id,
                note, changed_at, changed_by, action, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /** The history's {@code from_status} of a step from this state: NEW, which no reader ever sees, is none. */
    static String shownFrom(PaymentStatus from) {
        return from == PaymentStatus.NEW ? null : from.name();
    }

    /**
     * One step of a payment already at the bank or on its way there (bank file, credit note, bank status report):
     * applied only from the expected state, with its history row carrying the payment's amount and hold reasons.
     * Throws when the state machine refuses the step or the payment is no longer in {@code from}; nothing is written
     * then.
     *
     * @param bankReference kept when null (only the bank's reports name one)
     * @param runId the run that made the step, null for the bank's
     */
    public void transition(Connection c, UUID paymentId, PaymentStatus from, PaymentStatus to, String bankReference,
            UUID runId, String note, Instant now) throws SQLException {
        from.to(to);
        try (PreparedStatement u = c.prepareStatement("""
                UPDATE payment SET status = ?, bank_reference = COALESCE(?, bank_reference), updated_at = ?
                WHERE id = ? AND status = ? RETURNING amount, hold_reasons""");
                PreparedStatement h = c.prepareStatement(HISTORY)) {
            u.setString(1, to.name());
            u.setString(2, bankReference);
            u.setTimestamp(3, Timestamp.from(now));
            u.setObject(4, paymentId);
            u.setString(5, from.name());
            try (ResultSet rs = u.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("Payment " + paymentId + " is no longer " + from);
                }
                bindHistory(h, paymentId, from, to, rs.getBigDecimal(1), rs.getArray(2), runId, note, now, null,
                        null, null);
                h.executeUpdate();
            }
        }
    }

    /** A run's decision on one open payment (NEW or ON_HOLD): the columns the run sets with the status. */
    public record Decision(UUID paymentId, PaymentStatus from, PaymentStatus to, BigDecimal amount,
            List<String> holdReasons, Instant heldSince, UUID releasedByRun, String payoutCurrency,
            BigDecimal payoutAmount, BigDecimal exchangeRate, UUID bankProfileId, String note) {

        public Decision {
            Objects.requireNonNull(paymentId);
            // Checked when the decision is made, so a refused one is never queued beside accepted ones.
            from.to(to);
            holdReasons = List.copyOf(holdReasons);
        }
    }

    /**
     * A run's decisions on its chunk's open payments, written as two JDBC batches (payments, then their history) when
     * {@link Decisions#write()} is called. The payments are locked already by the run's amounts update, in its order.
     */
    public Decisions decisions(Connection c, UUID runId, Instant now) {
        return new Decisions(c, runId, now);
    }

    public static final class Decisions {
        private final Connection c;
        private final UUID runId;
        private final Instant now;
        private final List<Decision> decisions = new ArrayList<>();

        private Decisions(Connection c, UUID runId, Instant now) {
            this.c = c;
            this.runId = runId;
            this.now = now;
        }

        public void add(Decision decision) {
            decisions.add(decision);
        }

        public void write() throws SQLException {
            if (decisions.isEmpty()) {
                return;
            }
            Timestamp at = Timestamp.from(now);
            try (PreparedStatement update = c.prepareStatement("""
                    UPDATE payment SET status = ?, hold_reasons = ?, held_since = ?, released_by_run = ?,
                        payout_currency = ?, payout_amount = ?, exchange_rate = ?, bank_profile_id = ?, updated_at = ?
                    WHERE id = ? AND status = ?""");
                    PreparedStatement history = c.prepareStatement(HISTORY)) {
                for (Decision d : decisions) {
                    Array reasons = c.createArrayOf("text", d.holdReasons().toArray());
                    update.setString(1, d.to().name());
                    update.setArray(2, reasons);
                    update.setTimestamp(3, d.heldSince() == null ? null : Timestamp.from(d.heldSince()));
                    update.setObject(4, d.releasedByRun());
                    update.setString(5, d.payoutCurrency());
                    update.setBigDecimal(6, d.payoutAmount());
                    update.setBigDecimal(7, d.exchangeRate());
                    update.setObject(8, d.bankProfileId());
                    update.setTimestamp(9, at);
                    update.setObject(10, d.paymentId());
                    update.setString(11, d.from().name());
                    update.addBatch();
                    bindHistory(history, d.paymentId(), d.from(), d.to(), d.amount(), reasons, runId, d.note(), now,
                            null, null, null);
                    history.addBatch();
                }
                int[] updated = update.executeBatch();
                for (int i = 0; i < updated.length; i++) {
                    // The run read these rows under its lock; one that moved since is a bug, never a silent skip.
                    if (updated[i] == 0) {
                        throw new IllegalStateException("Payment " + decisions.get(i).paymentId() + " is no longer "
                                + decisions.get(i).from());
                    }
                }
                history.executeBatch();
            }
            decisions.clear();
        }
    }

    /**
     * Payments a run creates already decided: NEW → FORFEITED inside the statement that creates them (earnings dated
     * before the enrolment's earnings start date are never payable). The partial unique index allows one open (NEW or
     * ON_HOLD) payment per group, and such a group may have a held one, so these cannot be inserted NEW first.
     * They are created with amount 0; {@code fill} then moves their earnings to them and answers what each came to,
     * and their history rows are written with those amounts (one batch), all in the caller's transaction.
     *
     * @return what {@code fill} answered; empty, without calling it, when no payment was created (a key that exists
     *     already creates none)
     */
    public List<Forfeited> createForfeited(Connection c, UUID runId, String period, List<NewPayment> payments,
            String note, Instant now, Fill fill) throws SQLException {
        PaymentStatus status = PaymentStatus.NEW.to(PaymentStatus.FORFEITED);
        if (payments.isEmpty()) {
            return List.of();
        }
        Timestamp at = Timestamp.from(now);
        List<UUID> created = new ArrayList<>();
        try (PreparedStatement create = c.prepareStatement("""
                INSERT INTO payment (id, payment_key, payout_run_id, period, organization_id, partner_id, program_id,
                    earning_type, currency, amount, status, hold_reasons, created_at, updated_at)
                SELECT gen_random_uuid(), g.k, ?, ?, g.o, g.p, g.pr, g.t, g.c, 0, ?, '{}', ?, ?
                FROM unnest(?::text[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[]) AS g(k, o, p, pr, t, c)
                ON CONFLICT (payment_key) DO NOTHING RETURNING id""")) {
            create.setObject(1, runId);
            create.setString(2, period);
            create.setString(3, status.name());
            create.setTimestamp(4, at);
            create.setTimestamp(5, at);
            create.setArray(6, c.createArrayOf("text", payments.stream().map(NewPayment::paymentKey).toArray()));
            create.setArray(7, c.createArrayOf("uuid", payments.stream().map(NewPayment::organizationId).toArray()));
            create.setArray(8, c.createArrayOf("text", payments.stream().map(NewPayment::partnerId).toArray()));
            create.setArray(9, c.createArrayOf("text", payments.stream().map(NewPayment::programId).toArray()));
            create.setArray(10, c.createArrayOf("text", payments.stream().map(NewPayment::earningType).toArray()));
            create.setArray(11, c.createArrayOf("text", payments.stream().map(NewPayment::currency).toArray()));
            try (ResultSet rs = create.executeQuery()) {
                while (rs.next()) {
                    created.add(rs.getObject(1, UUID.class));
                }
            }
        }
        if (created.isEmpty()) {
            return List.of();
        }
        List<Forfeited> filled = fill.fill(List.copyOf(created));
        try (PreparedStatement history = c.prepareStatement(HISTORY)) {
            Array none = c.createArrayOf("text", new Object[0]);
            for (Forfeited p : filled) {
                bindHistory(history, p.paymentId(), PaymentStatus.NEW, status, p.amount(), none, runId, note, now,
                        null, null, null);
                history.addBatch();
            }
            history.executeBatch();
        }
        return filled;
    }

    /** A payment a run creates: its key and group. */
    public record NewPayment(String paymentKey, UUID organizationId, String partnerId, String programId,
            String earningType, String currency) {
    }

    /** Puts the earnings on payments just created and answers what each came to. */
    @FunctionalInterface
    public interface Fill {
        List<Forfeited> fill(List<UUID> created) throws SQLException;
    }

    /** A payment created forfeited, with the amount of the earnings moved to it. */
    public record Forfeited(UUID paymentId, BigDecimal amount) {
    }

    /** An operator's step on a payment: who, what (the history's {@code action}) and why, in their words. */
    public record OperatorStep(String operator, String action, String reason, String note) {
    }

    /**
     * An operator holds a payment not yet in a bank file (UPCOMING or ON_HOLD → ON_HOLD): the new hold reasons and
     * hold start, the operator's hold fact (which every later run turns into OPERATOR_HOLD), any pending release
     * request and an issued payment's payout amounts cleared. The payment is locked by the caller.
     *
     * @return the payment's new status
     */
    public PaymentStatus operatorHold(Connection c, UUID paymentId, PaymentStatus from, BigDecimal amount,
            List<String> reasons, Instant heldSince, OperatorStep step, Instant now) throws SQLException {
        PaymentStatus to = from.to(PaymentStatus.ON_HOLD);
        Array reasonArray = c.createArrayOf("text", reasons.toArray());
        try (PreparedStatement u = c.prepareStatement("""
                UPDATE payment SET status = ?, hold_reasons = ?, held_since = ?, operator_hold_by = ?,
                    operator_hold_at = ?, operator_hold_reason = ?, release_requested_by = NULL,
                    release_requested_at = NULL, release_request_reason = NULL, payout_currency = NULL,
                    payout_amount = NULL, exchange_rate = NULL, updated_at = ?
                WHERE id = ? AND status = ?""")) {
            u.setString(1, to.name());
            u.setArray(2, reasonArray);
            u.setTimestamp(3, Timestamp.from(heldSince));
            u.setString(4, step.operator());
            u.setTimestamp(5, Timestamp.from(now));
            u.setString(6, step.reason());
            u.setTimestamp(7, Timestamp.from(now));
            u.setObject(8, paymentId);
            u.setString(9, from.name());
            if (u.executeUpdate() == 0) {
                throw new IllegalStateException("Payment " + paymentId + " is no longer " + from);
            }
        }
        operatorHistory(c, paymentId, from, to, amount, reasonArray, step, now);
        return to;
    }

    /**
     * An operator's release of their hold: the OPERATOR_HOLD reason and the hold fact (and any release request) go;
     * the payment stays ON_HOLD, and the next run issues it if no other reason remains (only a run issues).
     */
    public void operatorRelease(Connection c, UUID paymentId, BigDecimal amount, List<String> reasons,
            OperatorStep step, Instant now) throws SQLException {
        PaymentStatus held = PaymentStatus.ON_HOLD.to(PaymentStatus.ON_HOLD);
        Array reasonArray = c.createArrayOf("text", reasons.toArray());
        try (PreparedStatement u = c.prepareStatement("""
                UPDATE payment SET hold_reasons = ?, operator_hold_by = NULL, operator_hold_at = NULL,
                    operator_hold_reason = NULL, release_requested_by = NULL, release_requested_at = NULL,
                    release_request_reason = NULL, updated_at = ?
                WHERE id = ? AND status = ?""")) {
            u.setArray(1, reasonArray);
            u.setTimestamp(2, Timestamp.from(now));
            u.setObject(3, paymentId);
            u.setString(4, held.name());
            if (u.executeUpdate() == 0) {
                throw new IllegalStateException("Payment " + paymentId + " is no longer " + held);
            }
        }
        operatorHistory(c, paymentId, held, held, amount, reasonArray, step, now);
    }

    /**
     * The first operator's release of a payment that needs two (four eyes): recorded on the payment and in its
     * history; the payment stays ON_HOLD with its reasons until another operator releases it.
     */
    public void operatorReleaseRequest(Connection c, UUID paymentId, BigDecimal amount, List<String> reasons,
            OperatorStep step, Instant now) throws SQLException {
        PaymentStatus held = PaymentStatus.ON_HOLD.to(PaymentStatus.ON_HOLD);
        try (PreparedStatement u = c.prepareStatement("""
                UPDATE payment SET release_requested_by = ?, release_requested_at = ?,
                    release_request_reason = ?, updated_at = ?
                WHERE id = ? AND status = ?""")) {
            u.setString(1, step.operator());
            u.setTimestamp(2, Timestamp.from(now));
            u.setString(3, step.reason());
            u.setTimestamp(4, Timestamp.from(now));
            u.setObject(5, paymentId);
            u.setString(6, held.name());
            if (u.executeUpdate() == 0) {
                throw new IllegalStateException("Payment " + paymentId + " is no longer " + held);
            }
        }
        operatorHistory(c, paymentId, held, held, amount, c.createArrayOf("text", reasons.toArray()), step, now);
    }

    /**
     * An operator's step that changes nothing on the payment but stays on its record (a refused release): one
     * history row, the payment ON_HOLD as it was.
     */
    public void operatorRefusal(Connection c, UUID paymentId, BigDecimal amount, List<String> reasons,
            OperatorStep step, Instant now) throws SQLException {
        PaymentStatus held = PaymentStatus.ON_HOLD.to(PaymentStatus.ON_HOLD);
        operatorHistory(c, paymentId, held, held, amount, c.createArrayOf("text", reasons.toArray()), step, now);
    }

    /**
     * The amount of a payment's last history row, null when it has none: a held payment whose amount differs took in
     * new earnings and has changed, even with the same reasons.
     */
    public BigDecimal lastRecordedAmount(Connection c, UUID paymentId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT amount FROM payment_history WHERE payment_id = ? ORDER BY id DESC LIMIT 1""")) {
            s.setObject(1, paymentId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getBigDecimal(1) : null;
            }
        }
    }

    private static void operatorHistory(Connection c, UUID paymentId, PaymentStatus from, PaymentStatus to,
            BigDecimal amount, Array reasons, OperatorStep step, Instant now) throws SQLException {
        try (PreparedStatement h = c.prepareStatement(HISTORY)) {
            bindHistory(h, paymentId, from, to, amount, reasons, null, step.note(), now, step.operator(),
                    step.action(), step.reason());
            h.executeUpdate();
        }
    }

    private static void bindHistory(PreparedStatement h, UUID paymentId, PaymentStatus from, PaymentStatus to,
            BigDecimal amount, Array reasons, UUID runId, String note, Instant now, String changedBy, String action,
            String reason) throws SQLException {
        h.setObject(1, paymentId);
        h.setString(2, shownFrom(from));
        h.setString(3, to.name());
        h.setBigDecimal(4, amount);
        h.setArray(5, reasons);
        h.setObject(6, runId);
        h.setString(7, note);
        h.setTimestamp(8, Timestamp.from(now));
        h.setString(9, changedBy);
        h.setString(10, action);
        h.setString(11, reason);
    }
}
