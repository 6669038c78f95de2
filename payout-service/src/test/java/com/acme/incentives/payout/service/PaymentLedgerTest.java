package com.acme.incentives.payout.service;

import com.acme.incentives.payout.domain.PaymentStatus;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ledger against the real payout database: a step the state machine allows writes the payment's status and
 * exactly one history row; one it refuses, or one from a state the payment is no longer in, writes nothing.
 */
@QuarkusTest
class PaymentLedgerTest {

    @Inject
    PaymentLedger ledger;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Jdbi jdbi;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

    record Row(String status, String bankReference, List<HistoryRow> history) {
    }

    record HistoryRow(String from, String to, BigDecimal amount, List<String> reasons, UUID runId, String note,
            Instant changedAt) {
    }

    @Test
    void aLegalStepWritesTheStatusAndOneHistoryRow() {
        UUID run = newRun();
        UUID payment = newPayment(run, PaymentStatus.UPCOMING);

        QuarkusTransaction.requiringNew().run(() -> db(h -> ledger.transition(h, payment, PaymentStatus.UPCOMING,
                PaymentStatus.IN_PROGRESS, null, run, "in bank file X", now)));

        Row row = read(payment);
        assertThat(row.status()).isEqualTo("IN_PROGRESS");
        assertThat(row.bankReference()).isNull();
        assertThat(row.history()).containsExactly(new HistoryRow("UPCOMING", "IN_PROGRESS",
                new BigDecimal("125.5000"), List.of("PARTNER_HOLD"), run, "in bank file X", now));

        QuarkusTransaction.requiringNew().run(() -> db(h -> ledger.transition(h, payment, PaymentStatus.IN_PROGRESS,
                PaymentStatus.SENT, "BANK-REF-1", null, "bank ACSP", now)));
        Row sent = read(payment);
        assertThat(sent.status()).isEqualTo("SENT");
        assertThat(sent.bankReference()).isEqualTo("BANK-REF-1");
        assertThat(sent.history()).hasSize(2);
        assertThat(sent.history().get(1).from()).isEqualTo("IN_PROGRESS");
        assertThat(sent.history().get(1).runId()).isNull();
    }

    @Test
    void aStepTheStateMachineRefusesWritesNothing() {
        UUID run = newRun();
        UUID payment = newPayment(run, PaymentStatus.UPCOMING);

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> db(h -> ledger.transition(h, payment,
                PaymentStatus.UPCOMING, PaymentStatus.PAID, "REF", run, "never", now))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("UPCOMING to PAID");

        Row row = read(payment);
        assertThat(row.status()).isEqualTo("UPCOMING");
        assertThat(row.bankReference()).isNull();
        assertThat(row.history()).isEmpty();
    }

    @Test
    void aStepFromAStateThePaymentLeftWritesNothing() {
        UUID run = newRun();
        UUID payment = newPayment(run, PaymentStatus.ON_HOLD);

        // UPCOMING → IN_PROGRESS is allowed, but this payment is not UPCOMING (an operator held it meanwhile).
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> db(h -> ledger.transition(h, payment,
                PaymentStatus.UPCOMING, PaymentStatus.IN_PROGRESS, null, run, "in bank file X", now))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is no longer UPCOMING");

        Row row = read(payment);
        assertThat(row.status()).isEqualTo("ON_HOLD");
        assertThat(row.history()).isEmpty();
    }

    @Test
    void aRunsDecisionsAreWrittenTogetherWithTheirHistory() {
        UUID run = newRun();
        UUID issued = newPayment(run, PaymentStatus.NEW);
        UUID stillHeld = newPayment(run, PaymentStatus.ON_HOLD);
        Instant heldSince = now.minus(3, ChronoUnit.DAYS);

        QuarkusTransaction.requiringNew().run(() -> db(h -> {
            PaymentLedger.Decisions decisions = ledger.decisions(h, run, now);
            decisions.add(new PaymentLedger.Decision(issued, PaymentStatus.NEW, PaymentStatus.UPCOMING,
                    new BigDecimal("125.5000"), List.of(), null, null, "EUR", new BigDecimal("125.50"),
                    BigDecimal.ONE, null, "issued"));
            decisions.add(new PaymentLedger.Decision(stillHeld, PaymentStatus.ON_HOLD, PaymentStatus.ON_HOLD,
                    new BigDecimal("125.5000"), List.of("TAX_PROFILE_MISSING", "PARTNER_HOLD"), heldSince, null,
                    null, null, null, null, "still held"));
            decisions.write();
        }));

        Row up = read(issued);
        assertThat(up.status()).isEqualTo("UPCOMING");
        // NEW never shows in history: the issue is recorded as coming from nowhere.
        assertThat(up.history()).containsExactly(new HistoryRow(null, "UPCOMING", new BigDecimal("125.5000"),
                List.of(), run, "issued", now));
        Row held = read(stillHeld);
        assertThat(held.status()).isEqualTo("ON_HOLD");
        assertThat(held.history()).containsExactly(new HistoryRow("ON_HOLD", "ON_HOLD", new BigDecimal("125.5000"),
                List.of("TAX_PROFILE_MISSING", "PARTNER_HOLD"), run, "still held", now));
    }

    @Test
    void aDecisionOnAPaymentThatMovedRollsTheWholeBatchBack() {
        UUID run = newRun();
        UUID fine = newPayment(run, PaymentStatus.NEW);
        UUID moved = newPayment(run, PaymentStatus.UPCOMING);

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> db(h -> {
            PaymentLedger.Decisions decisions = ledger.decisions(h, run, now);
            decisions.add(new PaymentLedger.Decision(fine, PaymentStatus.NEW, PaymentStatus.ON_HOLD,
                    new BigDecimal("125.5000"), List.of("PARTNER_HOLD"), now, null, null, null, null, null, "held"));
            decisions.add(new PaymentLedger.Decision(moved, PaymentStatus.NEW, PaymentStatus.ON_HOLD,
                    new BigDecimal("125.5000"), List.of("PARTNER_HOLD"), now, null, null, null, null, null, "held"));
            decisions.write();
        }))).isInstanceOf(IllegalStateException.class).hasMessageContaining("is no longer NEW");

        assertThat(read(fine).status()).isEqualTo("NEW");
        assertThat(read(fine).history()).isEmpty();
        assertThat(read(moved).status()).isEqualTo("UPCOMING");
        assertThat(read(moved).history()).isEmpty();
    }

    interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    /** The ledger's own work, on a Jdbi handle opened in the caller's transaction as the stores open theirs. */
    private void db(Consumer<Handle> work) {
        try (Handle h = jdbi.open()) {
            work.accept(h);
        }
    }

    private void sql(SqlWork work) {
        try (Connection c = dataSource.getConnection()) {
            work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A completed run of a period no other test uses, so the payments below never meet a real run's. */
    private UUID newRun() {
        UUID run = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> sql(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO payout_run (id, period, trigger, status, requested_by, started_at, completed_at,
                        lease_until) VALUES (?, '1999-01', 'OPERATOR', 'COMPLETED', 'payment-ledger-test', ?, ?, ?)""")) {
                s.setObject(1, run);
                s.setTimestamp(2, Timestamp.from(now));
                s.setTimestamp(3, Timestamp.from(now));
                s.setTimestamp(4, Timestamp.from(now));
                s.executeUpdate();
            }
        }));
        return run;
    }

    /** A payment of its own location (so no other open payment shares its group), in the given state. */
    private UUID newPayment(UUID run, PaymentStatus status) {
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> sql(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO payment (id, payment_key, payout_run_id, period, organization_id, partner_id,
                        program_id, earning_type, currency, amount, earning_count, status, hold_reasons, created_at,
                        updated_at)
                    VALUES (?, ?, ?, '1999-01', ?, ?, 'csp-direct-bill', 'REBATE', 'EUR', 125.5, 1, ?,
                        '{PARTNER_HOLD}', ?, ?)""")) {
                s.setObject(1, id);
                s.setString(2, "ledger-test|" + id);
                s.setObject(3, run);
                s.setObject(4, UUID.randomUUID());
                s.setString(5, "LT" + id.toString().substring(0, 8));
                s.setString(6, status.name());
                s.setTimestamp(7, Timestamp.from(now));
                s.setTimestamp(8, Timestamp.from(now));
                s.executeUpdate();
            }
        }));
        return id;
    }

    private Row read(UUID payment) {
        String[] status = new String[2];
        List<HistoryRow> history = new ArrayList<>();
        sql(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT status, bank_reference FROM payment WHERE id = ?");
                    PreparedStatement h = c.prepareStatement("""
                            SELECT from_status, to_status, amount, hold_reasons, payout_run_id, note, changed_at
                            FROM payment_history WHERE payment_id = ? ORDER BY id""")) {
                s.setObject(1, payment);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    status[0] = rs.getString(1);
                    status[1] = rs.getString(2);
                }
                h.setObject(1, payment);
                try (ResultSet rs = h.executeQuery()) {
                    while (rs.next()) {
                        history.add(new HistoryRow(rs.getString(1), rs.getString(2), rs.getBigDecimal(3),
                                Arrays.asList((String[]) rs.getArray(4).getArray()), rs.getObject(5, UUID.class),
                                rs.getString(6), rs.getTimestamp(7).toInstant()));
                    }
                }
            }
        });
        return new Row(status[0], status[1], history);
    }
}
