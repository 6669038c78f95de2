package com.acme.incentives.payout.service;

import com.acme.incentives.payout.domain.PaymentStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.time.YearMonth;

/**
 * The only code that changes a payment's status or writes its history (payment_history is append-only, one row per
 * step). Every change is checked against the state machine ({@link PaymentStatus#to}) before anything is written, and
 * its history row is written by the same method, on the caller's connection, so both commit or roll back with the
 * caller's transaction. Callers decide (the run, the bank file, the bank's reports, an operator); the ledger records.
 *
 * <p>SQL on the caller's Jdbi {@link Handle} (docs/conventions.md "Persistence"): the callers are set-based SQL work
 * that already holds its rows locked in a chosen order, and the ledger must write inside that work, not beside it.
 *
 * <p>{@code NEW} exists only inside the run transaction that builds a payment, so history never shows it: a step
 * from NEW is recorded with no {@code from_status} ({@link #shownFrom}).
 */
@ApplicationScoped
public class PaymentLedger {

    private static final String HISTORY = """
            INSERT INTO payment_history (payment_id, from_status, to_status, amount, hold_reasons, payout_run_id,
                note, changed_at, changed_by, action, reason) VALUES (:paymentId, :fromStatus, :toStatus, :amount,
                :holdReasons, :runId, :note, :changedAt, :changedBy, :action, :reason)""";

    /** The history's {@code from_status} of a step from this state: NEW, which no reader ever sees, is none. */
    static String shownFrom(PaymentStatus from) {
        return from == PaymentStatus.NEW ? null : from.name();
    }

    /**
     * One step of a payment already at the bank or on its way there (credit note, bank status report): applied only
     * from the expected state, with its history row carrying the payment's amount and hold reasons. Throws when the
     * state machine refuses the step or the payment is no longer in {@code from}; nothing is written then.
     *
     * @param bankReference kept when null (only the bank's reports name one)
     * @param runId the run that made the step, null for the bank's
     */
    public void transition(Handle h, UUID paymentId, PaymentStatus from, PaymentStatus to, String bankReference,
            UUID runId, String note, Instant now) {
        step(h, List.of(paymentId), from, to, bankReference, null, runId, note, now);
    }

    /**
     * A run's bank file takes its transfers: every payment UPCOMING → IN_PROGRESS, with the file's id and the version
     * of the bank profile the file carries, in one statement with their history rows (never two per payment). All or
     * nothing: throws when any of them is no longer UPCOMING, and the caller's transaction then writes none of them.
     */
    public void intoBankFile(Handle h, List<UUID> paymentIds, UUID bankFileId, UUID runId, String note, Instant now) {
        step(h, paymentIds, PaymentStatus.UPCOMING, PaymentStatus.IN_PROGRESS, null, Objects.requireNonNull(bankFileId),
                runId, note, now);
    }

    /**
     * The same step for many payments, set-based: the update and the history rows (in the order of the ids) are one
     * statement, so its cost does not grow with a round trip or a bound row per payment.
     *
     * @param bankFileId when not null, the payments go into this bank file: recorded with their bank profile's version
     */
    private static void step(Handle h, List<UUID> paymentIds, PaymentStatus from, PaymentStatus to,
            String bankReference, UUID bankFileId, UUID runId, String note, Instant now) {
        from.to(to);
        Set<UUID> stepped = new HashSet<>(h.createQuery("""
                WITH stepped AS (
                    UPDATE payment p SET status = :to, bank_reference = COALESCE(:bankReference, p.bank_reference),
                        bank_file_id = COALESCE(:bankFileId::uuid, p.bank_file_id),
                        bank_profile_version = CASE WHEN :bankFileId::uuid IS NULL THEN p.bank_profile_version
                            ELSE (SELECT b.version FROM bank_profile b WHERE b.id = p.bank_profile_id) END,
                        updated_at = :now
                    WHERE p.id = ANY(:paymentIds::uuid[]) AND p.status = :from
                    RETURNING p.id, p.amount, p.hold_reasons),
                history AS (
                    INSERT INTO payment_history (payment_id, from_status, to_status, amount, hold_reasons,
                        payout_run_id, note, changed_at)
                    SELECT s.id, :shownFrom::text, :to, s.amount, s.hold_reasons, :runId::uuid, :note::text,
                        :now::timestamptz
                    FROM unnest(:paymentIds::uuid[]) WITH ORDINALITY AS i(id, n) JOIN stepped s ON s.id = i.id
                    ORDER BY i.n)
                SELECT id FROM stepped""")
                .bind("to", to.name())
                .bind("bankReference", bankReference)
                .bind("bankFileId", bankFileId)
                .bind("now", now)
                .bindArray("paymentIds", String.class, paymentIds.stream().map(UUID::toString).toList())
                .bind("from", from.name())
                .bind("shownFrom", shownFrom(from))
                .bind("runId", runId)
                .bind("note", note)
                .mapTo(UUID.class)
                .list());
        if (stepped.size() != paymentIds.size()) {
            UUID moved = paymentIds.stream().filter(id -> !stepped.contains(id)).findFirst().orElseThrow();
            throw new IllegalStateException("Payment " + moved + " is no longer " + from);
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
    public Decisions decisions(Handle h, UUID runId, Instant now) {
        return new Decisions(h, runId, now);
    }

    public static final class Decisions {
        private final Handle h;
        private final UUID runId;
        private final Instant now;
        private final List<Decision> decisions = new ArrayList<>();

        private Decisions(Handle h, UUID runId, Instant now) {
            this.h = h;
            this.runId = runId;
            this.now = now;
        }

        public void add(Decision decision) {
            decisions.add(decision);
        }

        /**
         * One statement for all of them: each payment's update and its history row (in the order decided), from
         * columns bound as arrays (text, cast in SQL, as the earnings ingest binds its lines).
         */
        public void write() {
            if (decisions.isEmpty()) {
                return;
            }
            int n = decisions.size();
            String[] ids = new String[n];
            String[] froms = new String[n];
            String[] shownFroms = new String[n];
            String[] tos = new String[n];
            String[] amounts = new String[n];
            String[] reasons = new String[n];
            String[] heldSince = new String[n];
            String[] releasedByRun = new String[n];
            String[] payoutCurrencies = new String[n];
            String[] payoutAmounts = new String[n];
            String[] exchangeRates = new String[n];
            String[] bankProfileIds = new String[n];
            String[] notes = new String[n];
            for (int i = 0; i < n; i++) {
                Decision d = decisions.get(i);
                ids[i] = d.paymentId().toString();
                froms[i] = d.from().name();
                shownFroms[i] = shownFrom(d.from());
                tos[i] = d.to().name();
                amounts[i] = d.amount().toPlainString();
                // Hold reasons are enum names (no commas): one text per payment, split in SQL, since unnest cannot
                // take an array of arrays of differing lengths.
                reasons[i] = String.join(",", d.holdReasons());
                heldSince[i] = text(d.heldSince());
                releasedByRun[i] = text(d.releasedByRun());
                payoutCurrencies[i] = d.payoutCurrency();
                payoutAmounts[i] = d.payoutAmount() == null ? null : d.payoutAmount().toPlainString();
                exchangeRates[i] = d.exchangeRate() == null ? null : d.exchangeRate().toPlainString();
                bankProfileIds[i] = text(d.bankProfileId());
                notes[i] = d.note();
            }
            Set<UUID> decided = new HashSet<>(h.createQuery("""
                    WITH d AS (
                        SELECT * FROM unnest(:ids::uuid[], :froms::text[], :shownFroms::text[], :tos::text[],
                            :amounts::numeric[], :reasons::text[], :heldSince::timestamptz[], :releasedByRun::uuid[],
                            :payoutCurrencies::text[], :payoutAmounts::numeric[], :exchangeRates::numeric[],
                            :bankProfileIds::uuid[], :notes::text[]) WITH ORDINALITY
                            AS d(id, from_status, shown_from, to_status, amount, reasons, held_since, released_by_run,
                                 payout_currency, payout_amount, exchange_rate, bank_profile_id, note, n)),
                    decided AS (
                        UPDATE payment p SET status = d.to_status, hold_reasons = string_to_array(d.reasons, ','),
                            held_since = d.held_since, released_by_run = d.released_by_run,
                            payout_currency = d.payout_currency, payout_amount = d.payout_amount,
                            exchange_rate = d.exchange_rate, bank_profile_id = d.bank_profile_id, updated_at = :now
                        FROM d WHERE p.id = d.id AND p.status = d.from_status
                        RETURNING p.id),
                    history AS (
                        INSERT INTO payment_history (payment_id, from_status, to_status, amount, hold_reasons,
                            payout_run_id, note, changed_at)
                        SELECT d.id, d.shown_from, d.to_status, d.amount, string_to_array(d.reasons, ','),
                            :runId::uuid, d.note, :now::timestamptz
                        FROM d JOIN decided USING (id) ORDER BY d.n)
                    SELECT id FROM decided""")
                    .bindArray("ids", String.class, (Object[]) ids)
                    .bindArray("froms", String.class, (Object[]) froms)
                    .bindArray("shownFroms", String.class, (Object[]) shownFroms)
                    .bindArray("tos", String.class, (Object[]) tos)
                    .bindArray("amounts", String.class, (Object[]) amounts)
                    .bindArray("reasons", String.class, (Object[]) reasons)
                    .bindArray("heldSince", String.class, (Object[]) heldSince)
                    .bindArray("releasedByRun", String.class, (Object[]) releasedByRun)
                    .bindArray("payoutCurrencies", String.class, (Object[]) payoutCurrencies)
                    .bindArray("payoutAmounts", String.class, (Object[]) payoutAmounts)
                    .bindArray("exchangeRates", String.class, (Object[]) exchangeRates)
                    .bindArray("bankProfileIds", String.class, (Object[]) bankProfileIds)
                    .bindArray("notes", String.class, (Object[]) notes)
                    .bind("now", now)
                    .bind("runId", runId)
                    .mapTo(UUID.class)
                    .list());
            // The run read these rows under its lock; one that moved since is a bug, never a silent skip.
            for (Decision d : decisions) {
                if (!decided.contains(d.paymentId())) {
                    throw new IllegalStateException("Payment " + d.paymentId() + " is no longer " + d.from());
                }
            }
            decisions.clear();
        }

        private static String text(Object value) {
            return value == null ? null : value.toString();
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
    public List<Forfeited> createForfeited(Handle h, UUID runId, YearMonth period, List<NewPayment> payments,
            String note, Instant now, Fill fill) {
        PaymentStatus status = PaymentStatus.NEW.to(PaymentStatus.FORFEITED);
        if (payments.isEmpty()) {
            return List.of();
        }
        List<UUID> created = h.createQuery("""
                INSERT INTO payment (id, payment_key, payout_run_id, period, organization_id, partner_id, program_id,
                    earning_type, currency, amount, status, hold_reasons, created_at, updated_at)
                SELECT gen_random_uuid(), g.k, :runId, :period, g.o, g.p, g.pr, g.t, g.c, 0, :status, '{}', :now, :now
                FROM unnest(:keys::text[], :organizationIds::uuid[], :partnerIds::text[], :programIds::text[],
                            :earningTypes::text[], :currencies::text[]) AS g(k, o, p, pr, t, c)
                ON CONFLICT (payment_key) DO NOTHING RETURNING id""")
                .bind("runId", runId)
                .bind("period", period)
                .bind("status", status.name())
                .bind("now", now)
                .bindArray("keys", String.class, payments.stream().map(NewPayment::paymentKey).toList())
                .bindArray("organizationIds", UUID.class, payments.stream().map(NewPayment::organizationId).toList())
                .bindArray("partnerIds", String.class, payments.stream().map(NewPayment::partnerId).toList())
                .bindArray("programIds", String.class, payments.stream().map(NewPayment::programId).toList())
                .bindArray("earningTypes", String.class, payments.stream().map(NewPayment::earningType).toList())
                .bindArray("currencies", String.class, payments.stream().map(NewPayment::currency).toList())
                .map((rs, ctx) -> rs.getObject(1, UUID.class))
                .list();
        if (created.isEmpty()) {
            return List.of();
        }
        List<Forfeited> filled = fill.fill(List.copyOf(created));
        try (PreparedBatch history = h.prepareBatch(HISTORY)) {
            for (Forfeited p : filled) {
                bindHistory(history, p.paymentId(), PaymentStatus.NEW, status, p.amount(), List.of(), runId, note,
                        now, null, null, null).add();
            }
            history.execute();
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
        List<Forfeited> fill(List<UUID> created);
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
    public PaymentStatus operatorHold(Handle h, UUID paymentId, PaymentStatus from, BigDecimal amount,
            List<String> reasons, Instant heldSince, OperatorStep step, Instant now) {
        PaymentStatus to = from.to(PaymentStatus.ON_HOLD);
        int updated = h.createUpdate("""
                UPDATE payment SET status = :to, hold_reasons = :holdReasons, held_since = :heldSince,
                    operator_hold_by = :operator, operator_hold_at = :now, operator_hold_reason = :reason,
                    release_requested_by = NULL, release_requested_at = NULL, release_request_reason = NULL,
                    payout_currency = NULL, payout_amount = NULL, exchange_rate = NULL, updated_at = :now
                WHERE id = :paymentId AND status = :from""")
                .bind("to", to.name())
                .bindArray("holdReasons", String.class, reasons)
                .bind("heldSince", heldSince)
                .bind("operator", step.operator())
                .bind("now", now)
                .bind("reason", step.reason())
                .bind("paymentId", paymentId)
                .bind("from", from.name())
                .execute();
        if (updated == 0) {
            throw new IllegalStateException("Payment " + paymentId + " is no longer " + from);
        }
        operatorHistory(h, paymentId, from, to, amount, reasons, step, now);
        return to;
    }

    /**
     * An operator's release of their hold: the OPERATOR_HOLD reason and the hold fact (and any release request) go;
     * the payment stays ON_HOLD, and the next run issues it if no other reason remains (only a run issues).
     */
    public void operatorRelease(Handle h, UUID paymentId, BigDecimal amount, List<String> reasons,
            OperatorStep step, Instant now) {
        PaymentStatus held = PaymentStatus.ON_HOLD.to(PaymentStatus.ON_HOLD);
        int updated = h.createUpdate("""
                UPDATE payment SET hold_reasons = :holdReasons, operator_hold_by = NULL, operator_hold_at = NULL,
                    operator_hold_reason = NULL, release_requested_by = NULL, release_requested_at = NULL,
                    release_request_reason = NULL, updated_at = :now
                WHERE id = :paymentId AND status = :status""")
                .bindArray("holdReasons", String.class, reasons)
                .bind("now", now)
                .bind("paymentId", paymentId)
                .bind("status", held.name())
                .execute();
        if (updated == 0) {
            throw new IllegalStateException("Payment " + paymentId + " is no longer " + held);
        }
        operatorHistory(h, paymentId, held, held, amount, reasons, step, now);
    }

    /**
     * The first operator's release of a payment that needs two (four eyes): recorded on the payment and in its
     * history; the payment stays ON_HOLD with its reasons until another operator releases it.
     */
    public void operatorReleaseRequest(Handle h, UUID paymentId, BigDecimal amount, List<String> reasons,
            OperatorStep step, Instant now) {
        PaymentStatus held = PaymentStatus.ON_HOLD.to(PaymentStatus.ON_HOLD);
        int updated = h.createUpdate("""
                UPDATE payment SET release_requested_by = :operator, release_requested_at = :now,
                    release_request_reason = :reason, updated_at = :now
                WHERE id = :paymentId AND status = :status""")
                .bind("operator", step.operator())
                .bind("now", now)
                .bind("reason", step.reason())
                .bind("paymentId", paymentId)
                .bind("status", held.name())
                .execute();
        if (updated == 0) {
            throw new IllegalStateException("Payment " + paymentId + " is no longer " + held);
        }
        operatorHistory(h, paymentId, held, held, amount, reasons, step, now);
    }

    /**
     * An operator's step that changes nothing on the payment but stays on its record (a refused release): one
     * history row, the payment ON_HOLD as it was.
     */
    public void operatorRefusal(Handle h, UUID paymentId, BigDecimal amount, List<String> reasons,
            OperatorStep step, Instant now) {
        PaymentStatus held = PaymentStatus.ON_HOLD.to(PaymentStatus.ON_HOLD);
        operatorHistory(h, paymentId, held, held, amount, reasons, step, now);
    }

    /**
     * The amount of a payment's last history row, null when it has none: a held payment whose amount differs took in
     * new earnings and has changed, even with the same reasons.
     */
    public BigDecimal lastRecordedAmount(Handle h, UUID paymentId) {
        return h.createQuery("""
                SELECT amount FROM payment_history WHERE payment_id = :paymentId ORDER BY id DESC LIMIT 1""")
                .bind("paymentId", paymentId)
                .map((rs, ctx) -> rs.getBigDecimal(1))
                .findFirst()
                .orElse(null);
    }

    private static void operatorHistory(Handle h, UUID paymentId, PaymentStatus from, PaymentStatus to,
            BigDecimal amount, List<String> reasons, OperatorStep step, Instant now) {
        bindHistory(h.createUpdate(HISTORY), paymentId, from, to, amount, reasons, null, step.note(), now,
                step.operator(), step.action(), step.reason()).execute();
    }

    private static <S extends SqlStatement<S>> S bindHistory(S h, UUID paymentId, PaymentStatus from,
            PaymentStatus to, BigDecimal amount, List<String> reasons, UUID runId, String note, Instant now,
            String changedBy, String action, String reason) {
        return h.bind("paymentId", paymentId)
                .bind("fromStatus", shownFrom(from))
                .bind("toStatus", to.name())
                .bind("amount", amount)
                .bindArray("holdReasons", String.class, reasons)
                .bind("runId", runId)
                .bind("note", note)
                .bind("changedAt", now)
                .bind("changedBy", changedBy)
                .bind("action", action)
                .bind("reason", reason);
    }
}
