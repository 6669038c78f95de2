package com.acme.incentives.payout.service;

import com.acme.incentives.payout.domain.Codes;
import com.acme.incentives.payout.domain.HoldReason;
import com.acme.incentives.payout.domain.HoldRules;
import com.acme.incentives.payout.domain.PaymentStatus;
import com.acme.incentives.payout.domain.RunDecision;
import com.acme.incentives.payout.events.PaymentEvents.PaymentForfeited;
import com.acme.incentives.payout.events.PaymentEvents.PaymentHeld;
import com.acme.incentives.payout.events.PaymentEvents.PaymentIssued;
import com.acme.incentives.platform.concurrency.DaemonThreads;
import com.acme.incentives.platform.events.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Does a payout run's work, one chunk of locations per transaction, a few chunks at once (PayoutRunSettings.workers).
 * For each chunk, set-based in SQL: lock the chunk's matured unpaid lots of earnings (V14: a lot is one group's
 * earnings of one month), create the run's payments per (location, programme, earning type, currency) with their
 * amounts summed from those lots, where no held payment of that group is open, claim the lots (each lot's single
 * {@code payment_id} slot, set only when empty), and recompute each held payment's amount from its lots. So the run
 * writes per lot and per payment, never per earning, except to split the rare lot that straddles an earnings start
 * date. Then, per payment (not per earning), decide (domain/RunDecision): issue, hold with every reason, release, or
 * forfeit, written by PaymentLedger (state machine checked, with history) in one statement, with their events. The
 * chunk's locations are marked done in the same transaction, so a crash loses at most the chunks in flight, each of
 * which rolls back whole and is redone on resume.
 */
@ApplicationScoped
public class PayoutRunWorker {

    private static final Logger LOG = Logger.getLogger(PayoutRunWorker.class);

    @Inject
    Jdbi jdbi;

    @Inject
    Outbox outbox;

    @Inject
    ExchangeRateService exchangeRates;

    @Inject
    Disbursement disbursement;

    @Inject
    PaymentLedger ledger;

    @Inject
    Clock clock;

    @Inject
    PayoutRunSettings settings;

    record Run(UUID id, YearMonth period, String status) {
    }

    /** Chunks of the run this replica works on besides the calling thread's (PayoutRunSettings.workers). */
    private final ExecutorService helpers = Executors.newCachedThreadPool(DaemonThreads.named("payout-run-chunks"));

    @PreDestroy
    void stop() {
        helpers.shutdownNow();
    }

    /**
     * Runs a run to its end: {@code workers} loops take chunks until none is left (the calling thread's and helpers'),
     * then the bank file is written once all of them stopped. Safe to call for a run another worker abandoned, or
     * that another replica is working on: chunks are claimed with SKIP LOCKED. When a loop fails, the others still
     * finish their chunks, the run is not finished here, and it stays RUNNING until the janitor resumes it.
     */
    public void complete(UUID runId) {
        // Which replica works on a run (the fault tests read it to kill that one; an operator, to find its log).
        LOG.infof("Payout run %s: working on it", runId);
        List<Future<?>> others = new ArrayList<>();
        for (int i = 1; i < settings.workers(); i++) {
            others.add(helpers.submit(() -> workChunks(runId)));
        }
        RuntimeException failure = null;
        try {
            workChunks(runId);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> other : others) {
            try {
                other.get();
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
                        : new IllegalStateException(e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while the run's chunks were worked on", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        finish(runId);
    }

    private void workChunks(UUID runId) {
        while (processChunk(runId)) {
            // next chunk
        }
    }

    /** Processes one chunk; false when no location is left. Public so a test can stop a run half way (a crash). */
    public boolean processChunk(UUID runId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Handle h = jdbi.open()) {
                Run run = lockRun(h, runId);
                if (run == null || !run.status().equals("RUNNING")) {
                    return false;
                }
                String[] partners = nextChunk(h, runId);
                if (partners.length == 0) {
                    return false;
                }
                Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
                Map<String, BigDecimal> rates = exchangeRates.rates(run.period());
                Counts counts = processLocations(h, run, partners, rates, now);
                h.createUpdate(
                        "UPDATE payout_run_location SET done = TRUE WHERE run_id = :runId AND partner_id = ANY(:chunk)")
                        .bind("runId", runId)
                        .bindArray("chunk", String.class, partners)
                        .execute();
                h.createUpdate("""
                        UPDATE payout_run SET locations_done = locations_done + :locations,
                            lease_until = clock_timestamp() + make_interval(secs => :leaseSeconds),
                            payments_issued = payments_issued + :issued, payments_held = payments_held + :held,
                            payments_released = payments_released + :released,
                            payments_forfeited = payments_forfeited + :forfeited
                        WHERE id = :runId""")
                        .bind("locations", partners.length)
                        .bind("leaseSeconds", settings.lease().toMillis() / 1000.0)
                        .bind("issued", counts.issued)
                        .bind("held", counts.held)
                        .bind("released", counts.released)
                        .bind("forfeited", counts.forfeited)
                        .bind("runId", runId)
                        .execute();
                return true;
            }
        });
    }

    private static Run lockRun(Handle h, UUID runId) {
        // Key share: chunks of one run go in parallel, and each one's counter update at its end (a no-key update,
        // which this lock does not block) waits only for another chunk's commit. FOR SHARE would make two chunks
        // deadlock there. The run still cannot complete under a chunk: finish() completes it only when every
        // location is done, and a chunk's locations are done only when it commits.
        return h.createQuery("SELECT id, period, status FROM payout_run WHERE id = :runId FOR KEY SHARE")
                .bind("runId", runId)
                .map((rs, ctx) -> new Run(runId, YearMonth.parse(rs.getString(2)), rs.getString(3)))
                .findFirst()
                .orElse(null);
    }

    private String[] nextChunk(Handle h, UUID runId) {
        return h.createQuery("""
                SELECT partner_id FROM payout_run_location WHERE run_id = :runId AND NOT done
                ORDER BY partner_id LIMIT :limit FOR UPDATE SKIP LOCKED""")
                .bind("runId", runId)
                .bind("limit", settings.chunkLocations())
                .map((rs, ctx) -> rs.getString(1))
                .list()
                .toArray(String[]::new);
    }

    static final class Counts {
        int issued;
        int held;
        int released;
        int forfeited;
    }

    private Counts processLocations(Handle h, Run run, String[] chunk, Map<String, BigDecimal> rates,
            Instant now) {
        LocalDate periodEnd = run.period().atEndOfMonth();
        UUID[] locked = lockUnclaimedLots(h, chunk, periodEnd);
        // First, so that the payments below are built only from earnings that can be paid.
        splitLotsAtEarningsStart(h, chunk, locked, periodEnd);
        int forfeitedBeforeStart = forfeitBeforeEarningsStart(h, run, chunk, locked, periodEnd, now);
        // What this chunk pays: its settled lots left unclaimed, read once as one list (and locked) so that the sums
        // below and the claim see the same lots, even if a payment's return frees more lots meanwhile: those wait
        // for the next run.
        UUID[] payable = h.createQuery("""
                SELECT l.id FROM earning_lot l
                WHERE l.partner_id = ANY(:chunk) AND l.payment_id IS NULL AND l.month <= :periodEnd AND %s
                ORDER BY l.id FOR UPDATE""".formatted(SETTLED))
                .bindArray("chunk", String.class, chunk)
                .bindArray("locked", UUID.class, (Object[]) locked)
                .bind("periodEnd", periodEnd)
                .mapTo(UUID.class)
                .list()
                .toArray(UUID[]::new);
        // A new payment is created with its amount: the sum of the payable lots of its group, which the claim
        // below gives it, read lot by lot through earning_in_lot (which carries the amount; a join would let the
        // planner scan every earning for a chunk's lots, measured 0.5 s a chunk). Summed per payment key, not per
        // organization, so that a location whose organization changed still gets one payment of all its lots.
        // A group with a held payment gets no new one: its lots go to the held payment, recomputed after the claim.
        h.createUpdate("""
                WITH lots AS (
                    SELECT l.id, l.organization_id, l.partner_id, l.program_id, l.earning_type, l.currency
                    FROM unnest(:payable::uuid[]) AS x(id) JOIN earning_lot l ON l.id = x.id),
                sums AS (
                    SELECT l.partner_id, l.program_id, l.earning_type, l.currency, sum(e.total) AS total,
                           sum(e.n) AS n
                    FROM lots l CROSS JOIN LATERAL (SELECT sum(amount) AS total, count(*) AS n FROM earning
                                                    WHERE lot_id = l.id) e
                    GROUP BY l.partner_id, l.program_id, l.earning_type, l.currency)
                INSERT INTO payment (id, payment_key, payout_run_id, period, organization_id, partner_id, program_id,
                    earning_type, currency, amount, earning_count, status, created_at, updated_at)
                SELECT gen_random_uuid(),
                       :runKey::text || '|' || g.partner_id || '|' || g.program_id || '|' || g.earning_type || '|'
                           || g.currency,
                       :runId, :period, g.organization_id, g.partner_id, g.program_id, g.earning_type, g.currency,
                       COALESCE(s.total, 0), COALESCE(s.n, 0), 'NEW', :at, :at
                FROM (SELECT DISTINCT organization_id, partner_id, program_id, earning_type, currency FROM lots) g
                LEFT JOIN sums s ON s.partner_id = g.partner_id AND s.program_id = g.program_id
                     AND s.earning_type = g.earning_type AND s.currency = g.currency
                WHERE NOT EXISTS (SELECT 1 FROM payment h WHERE h.status = 'ON_HOLD' AND h.partner_id = g.partner_id
                      AND h.program_id = g.program_id AND h.earning_type = g.earning_type AND h.currency = g.currency)
                ON CONFLICT (payment_key) DO NOTHING""")
                .bindArray("payable", UUID.class, (Object[]) payable)
                .bind("runKey", run.id().toString())
                .bind("runId", run.id())
                .bind("period", run.period())
                .bind("at", now)
                .execute();
        // The claim. The partial unique index allows one open (NEW or ON_HOLD) payment per group, so each lot
        // matches at most one payment, and "payment_id IS NULL" makes a claimed lot unclaimable. The lots are
        // joined from the list by primary key: "id = ANY(list)" let the planner test every lot against the list.
        h.createUpdate("""
                UPDATE earning_lot l SET payment_id = p.id FROM unnest(:payable::uuid[]) AS x(id), payment p
                WHERE l.id = x.id AND l.payment_id IS NULL
                  AND p.status IN ('NEW', 'ON_HOLD') AND p.partner_id = l.partner_id AND p.program_id = l.program_id
                  AND p.earning_type = l.earning_type AND p.currency = l.currency""")
                .bindArray("payable", UUID.class, (Object[]) payable)
                .execute();
        // A held payment's amount comes from all its lots, those of earlier runs and any it just took: never a
        // separate sum, so it equals its lots' earnings by construction (no ingest can add to a locked lot). One left
        // with no earning (all of them predated the earnings start date) gets 0 and 0.
        h.createUpdate("""
                UPDATE payment p SET amount = COALESCE(s.total, 0), earning_count = COALESCE(s.n, 0)
                FROM payment o
                LEFT JOIN (SELECT l.payment_id, sum(e.amount) AS total, count(*) AS n
                           FROM earning_lot l JOIN earning e ON e.lot_id = l.id
                           WHERE l.payment_id IN (SELECT id FROM payment WHERE partner_id = ANY(:chunk)
                                                  AND status = 'ON_HOLD')
                           GROUP BY l.payment_id) s ON s.payment_id = o.id
                WHERE p.id = o.id AND o.partner_id = ANY(:chunk) AND o.status = 'ON_HOLD'""")
                .bindArray("chunk", String.class, chunk)
                .execute();
        Counts counts = decide(h, run, chunk, rates, now);
        counts.forfeited += forfeitedBeforeStart;
        return counts;
    }

    /**
     * Locks the chunk's unclaimed lots of the period or before that take new earnings, in the order of their key, the
     * order in which an ingest share-locks them (EarningService.insert), before anything below reads or claims them:
     * an ingest adding to one of them either committed before (its earnings are all summed here) or waits for this
     * chunk (and then adds to a new lot). Later months' lots, which the feed is filling, are left alone. Answers the
     * locked lots' ids.
     */
    private static UUID[] lockUnclaimedLots(Handle h, String[] chunk, LocalDate periodEnd) {
        return h.createQuery("""
                SELECT id FROM earning_lot WHERE partner_id = ANY(:chunk) AND payment_id IS NULL AND accepting
                  AND month <= :periodEnd
                ORDER BY organization_id, partner_id, program_id, earning_type, currency, month
                FOR UPDATE""")
                .bindArray("chunk", String.class, chunk)
                .bind("periodEnd", periodEnd)
                .mapTo(UUID.class)
                .list()
                .toArray(UUID[]::new);
    }

    /**
     * An unclaimed lot (alias {@code l}) this chunk may pay, move or split: one it locked above, or one that takes no
     * new earnings (returned, or split off). Not a lot made after the lock: an ingest may still be adding to it
     * (its share lock does not stop a claim's update), so it waits for the next run.
     */
    private static final String SETTLED = "(l.id = ANY(:locked) OR NOT l.accepting)";

    /**
     * The chunk's lots still to be paid: unclaimed and settled (SETTLED), or claimed by an open (NEW or ON_HOLD)
     * payment (no ingest adds to a claimed lot). Through the indexes the run already uses (earning_lot_unclaimed;
     * payment_partner then earning_lot_payment), never a scan of a location's paid lots.
     */
    private static final String OPEN_LOTS = """
            SELECT l.id FROM earning_lot l WHERE l.partner_id = ANY(:chunk) AND l.payment_id IS NULL AND %s
            UNION ALL
            SELECT o.id FROM earning_lot o JOIN payment op ON op.id = o.payment_id
            WHERE op.partner_id = ANY(:chunk) AND op.status IN ('NEW', 'ON_HOLD')""".formatted(SETTLED);

    /**
     * A lot holds one month of dates, and an earnings start date may fall inside that month (a migrated enrolment
     * keeps its own date). Before the forfeit below, which works on whole lots, each such lot still to be paid that
     * holds earnings dated before the start is marked as wholly before that date ({@code before_date}), taking no new
     * earnings: itself when all its earnings are, otherwise a new lot of the same group and payment to which those
     * earnings move. No lot is left empty. The only place a run writes earning rows, and only those.
     */
    private static void splitLotsAtEarningsStart(Handle h, String[] chunk, UUID[] locked, LocalDate periodEnd) {
        h.createUpdate("""
                WITH straddling AS MATERIALIZED (
                    SELECT l.id, gen_random_uuid() AS new_id, en.earnings_start_date AS start,
                           EXISTS (SELECT 1 FROM earning y WHERE y.lot_id = l.id
                                   AND y.transaction_date >= en.earnings_start_date) AS keeps_some
                    FROM earning_lot l JOIN location_enrollment en
                         ON en.partner_id = l.partner_id AND en.program_id = l.program_id
                    WHERE l.month < en.earnings_start_date
                      AND en.earnings_start_date < COALESCE(l.before_date, (l.month + INTERVAL '1 month')::date)
                      AND l.month <= :periodEnd AND l.id IN (%s)
                      AND EXISTS (SELECT 1 FROM earning x WHERE x.lot_id = l.id
                                  AND x.transaction_date < en.earnings_start_date)),
                marked AS (
                    UPDATE earning_lot l SET before_date = s.start, accepting = FALSE
                    FROM straddling s WHERE l.id = s.id AND NOT s.keeps_some),
                added AS (
                    INSERT INTO earning_lot (id, organization_id, partner_id, program_id, earning_type, currency,
                        month, before_date, payment_id, accepting)
                    SELECT s.new_id, l.organization_id, l.partner_id, l.program_id, l.earning_type, l.currency,
                        l.month, s.start, l.payment_id, FALSE
                    FROM straddling s JOIN earning_lot l ON l.id = s.id
                    WHERE s.keeps_some)
                UPDATE earning e SET lot_id = s.new_id FROM straddling s
                WHERE s.keeps_some AND e.lot_id = s.id AND e.transaction_date < s.start""".formatted(OPEN_LOTS))
                .bindArray("chunk", String.class, chunk)
                .bindArray("locked", UUID.class, (Object[]) locked)
                .bind("periodEnd", periodEnd)
                .execute();
    }

    /**
     * docs/product.md "Invitations and enrolments": earnings count from the enrolment's earnings start date (the first
     * day of the month in which every requirement was met). Earlier earnings are never payable, so they are not left
     * "unpaid" for ever: they go to a FORFEITED payment of this run per group (key
     * {@code run|location|programme|type|currency|BEFORE_START}), with a history row and a PaymentForfeited event,
     * whether they were still unclaimed or sat in a held payment (held while the location was not enrolled yet). Each
     * lot keeps the one payment id that closed it.
     */
    private int forfeitBeforeEarningsStart(Handle h, Run run, String[] chunk, UUID[] locked, LocalDate periodEnd,
            Instant now) {
        // Whole lots: splitLotsAtEarningsStart has left no lot with earnings on both sides of the start date.
        String preStart = """
                FROM earning_lot e JOIN location_enrollment en
                     ON en.partner_id = e.partner_id AND en.program_id = e.program_id
                WHERE en.earnings_start_date IS NOT NULL
                  AND COALESCE(e.before_date, (e.month + INTERVAL '1 month')::date) <= en.earnings_start_date
                  AND e.month <= :periodEnd
                  AND e.id IN (%s)""".formatted(OPEN_LOTS);
        String key = ":runKey::text || '|' || e.partner_id || '|' || e.program_id || '|' || e.earning_type"
                + " || '|' || e.currency || '|BEFORE_START'";
        List<PaymentLedger.NewPayment> groups = h.createQuery("""
                SELECT DISTINCT %s AS k, e.organization_id, e.partner_id, e.program_id, e.earning_type, e.currency
                %s""".formatted(key, preStart))
                .bind("runKey", run.id().toString())
                .bind("periodEnd", periodEnd)
                .bindArray("chunk", String.class, chunk)
                .bindArray("locked", UUID.class, (Object[]) locked)
                .map((rs, ctx) -> new PaymentLedger.NewPayment(rs.getString(1), rs.getObject(2, UUID.class),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)))
                .list();
        List<Outbox.NewEvent> events = new ArrayList<>();
        List<PaymentLedger.Forfeited> forfeited = ledger.createForfeited(h, run.id(), run.period(), groups,
                "forfeited: earnings dated before the enrolment's earnings start date", now,
                created -> fillForfeited(h, run, periodEnd, chunk, locked, key, preStart, created, now, events));
        outbox.publishAll(events);
        return forfeited.size();
    }

    /**
     * Moves the pre-start lots to the forfeited payments just created, and sets each one's amount to the sum of
     * what it took. Moving a lot out of a held payment is safe: a held payment has paid nothing, and its amount
     * is recomputed from its remaining lots right after.
     */
    private static List<PaymentLedger.Forfeited> fillForfeited(Handle h, Run run, LocalDate periodEnd,
            String[] chunk, UUID[] locked, String key, String preStart, List<UUID> created, Instant now,
            List<Outbox.NewEvent> events) {
        h.createUpdate("""
                UPDATE earning_lot t SET payment_id = f.id
                FROM (SELECT e.id, %s AS k %s) pre
                JOIN payment f ON f.payment_key = pre.k
                WHERE t.id = pre.id""".formatted(key, preStart))
                .bind("runKey", run.id().toString())
                .bind("periodEnd", periodEnd)
                .bindArray("chunk", String.class, chunk)
                .bindArray("locked", UUID.class, (Object[]) locked)
                .execute();
        List<PaymentLedger.Forfeited> forfeited = new ArrayList<>();
        h.createQuery("""
                UPDATE payment p SET amount = s.total, earning_count = s.n
                FROM (SELECT l.payment_id, sum(e.amount) AS total, count(*) AS n
                      FROM earning_lot l JOIN earning e ON e.lot_id = l.id
                      WHERE l.payment_id = ANY(:created) GROUP BY l.payment_id) s
                WHERE p.id = s.payment_id
                RETURNING p.id, p.amount, p.currency, p.partner_id, p.program_id, p.earning_type,
                          p.organization_id""")
                .bindArray("created", UUID.class, created)
                .map((rs, ctx) -> {
                    UUID id = rs.getObject(1, UUID.class);
                    String currency = rs.getString(3);
                    String partnerId = rs.getString(4);
                    events.add(new Outbox.NewEvent(partnerId, "PaymentForfeited", new PaymentForfeited(id, run.id(),
                            rs.getObject(7, UUID.class), partnerId, rs.getString(5), rs.getString(6), run.period().toString(),
                            Codes.money(rs.getBigDecimal(2), currency).toPlainString(), currency, now,
                            PaymentForfeited.BEFORE_EARNINGS_START, List.of(), null)));
                    return new PaymentLedger.Forfeited(id, rs.getBigDecimal(2));
                })
                .forEach(forfeited::add);
        return forfeited;
    }

    private record Open(UUID id, PaymentStatus status, BigDecimal amount, String currency, List<String> reasons,
            Instant heldSince, String partnerId, String programId, String earningType, UUID organizationId,
            String period, UUID createdByRun, HoldRules.Facts facts, UUID bankProfileId, String payoutCurrency,
            int earningCount) {
    }

    private Counts decide(Handle h, Run run, String[] chunk, Map<String, BigDecimal> rates, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        // The chunk's open payments are locked already (the new ones are this transaction's own, the held ones by
        // their amounts update above): an operator's hold or release (OperatorHolds, which locks the payment)
        // committed before is read here, and one that comes later waits for this chunk and then sees what it decided.
        // FOR SHARE OF b: a bank profile's correction (which locks the profile for update, then refuses while a
        // payment to it is UPCOMING) either commits before this read, so the new PENDING_VALIDATION status holds
        // the payment, or waits until this run's payments are UPCOMING and is refused. Without it a correction
        // committed between this read and the update below would leave an UPCOMING payment whose bank file
        // carries the corrected, not yet validated, account.
        List<Open> open = h.createQuery("""
                SELECT p.id, p.status, p.amount, p.currency, p.hold_reasons, p.held_since, p.partner_id, p.program_id,
                       p.earning_type, p.organization_id, p.period, p.payout_run_id,
                       en.status, tp.id IS NOT NULL, tp.expires_on, bp.id, bp.status, pa.hold_requested,
                       COALESCE(pa.currency, bp.currency, p.currency), p.earning_count,
                       p.operator_hold_by IS NOT NULL
                FROM payment p
                LEFT JOIN location_enrollment en ON en.partner_id = p.partner_id AND en.program_id = p.program_id
                LEFT JOIN payout_assignment pa ON pa.partner_id = p.partner_id AND pa.program_id = p.program_id
                LEFT JOIN LATERAL (SELECT t.id, t.expires_on FROM tax_profile t
                                   WHERE (pa.tax_profile_id IS NOT NULL AND t.id = pa.tax_profile_id)
                                      OR (pa.tax_profile_id IS NULL AND t.partner_id = p.partner_id)
                                   ORDER BY t.created_at DESC LIMIT 1) tp ON TRUE
                LEFT JOIN LATERAL (SELECT b.id, b.status, b.currency FROM bank_profile b
                                   WHERE (pa.bank_profile_id IS NOT NULL AND b.id = pa.bank_profile_id)
                                      OR (pa.bank_profile_id IS NULL AND b.organization_id = p.organization_id)
                                   ORDER BY b.created_at DESC LIMIT 1 FOR SHARE OF b) bp ON TRUE
                WHERE p.partner_id = ANY(:chunk) AND p.status IN ('NEW', 'ON_HOLD')
                ORDER BY p.partner_id, p.program_id, p.earning_type, p.currency""")
                .bindArray("chunk", String.class, chunk)
                .map((rs, ctx) -> {
                    String currency = rs.getString(4);
                    BigDecimal amount = rs.getBigDecimal(3);
                    BigDecimal usdRate = rates.get(currency);
                    if (usdRate == null) {
                        // The run refuses to start without every needed rate; one missing here was deleted since.
                        throw new IllegalStateException("No " + run.period() + " exchange rate for " + currency);
                    }
                    HoldRules.Facts facts = new HoldRules.Facts(rs.getString(13), rs.getBoolean(14),
                            rs.getObject(15, LocalDate.class), rs.getObject(16) != null, rs.getString(17),
                            rs.getBoolean(18), amount, usdRate, settings.thresholdUsd(), today, rs.getBoolean(21));
                    Timestamp held = rs.getTimestamp(6);
                    return new Open(rs.getObject(1, UUID.class), PaymentStatus.valueOf(rs.getString(2)), amount,
                            currency, Arrays.asList((String[]) rs.getArray(5).getArray()),
                            held == null ? null : held.toInstant(), rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getObject(10, UUID.class), rs.getString(11), rs.getObject(12, UUID.class),
                            facts, rs.getObject(16, UUID.class), rs.getString(19), rs.getInt(20));
                })
                .list();
        Counts counts = new Counts();
        List<Outbox.NewEvent> events = new ArrayList<>();
        PaymentLedger.Decisions decisions = ledger.decisions(h, run.id(), now);
        for (Open p : open) {
            List<String> reasons = HoldRules.reasons(p.facts()).stream().map(HoldReason::name).toList();
            RunDecision decision = RunDecision.decide(p.status(), p.earningCount(), reasons, p.heldSince(), now,
                    settings.forfeitAfterDays());
            PaymentStatus next = decision.next();
            if (!decision.changes(reasons, p.reasons(), () -> amountChanged(h, p))) {
                continue;
            }
            RunDecision.Payout payout = null;
            if (next == PaymentStatus.UPCOMING) {
                BigDecimal to = rates.get(p.payoutCurrency());
                if (to == null) {
                    throw new IllegalStateException("No " + run.period() + " exchange rate for " + p.payoutCurrency());
                }
                payout = RunDecision.payout(p.amount(), p.currency(), p.facts().usdRate(), p.payoutCurrency(), to);
            }
            Instant heldSince = decision.heldSince(p.heldSince(), now);
            decisions.add(new PaymentLedger.Decision(p.id(), p.status(), next, p.amount(), reasons, heldSince,
                    decision.releases() ? run.id() : null, payout == null ? null : payout.currency(),
                    payout == null ? null : payout.amount(), payout == null ? null : payout.exchangeRate(),
                    p.bankProfileId(), decision.note()));
            String amount = Codes.money(p.amount(), p.currency()).toPlainString();
            if (next == PaymentStatus.UPCOMING) {
                if (p.status() == PaymentStatus.ON_HOLD) {
                    counts.released++;
                } else {
                    counts.issued++;
                }
                events.add(new Outbox.NewEvent(p.partnerId(), "PaymentIssued", new PaymentIssued(p.id(), run.id(),
                        p.organizationId(), p.partnerId(), p.programId(), p.earningType(), p.period(), amount,
                        p.currency(), now, Codes.money(payout.amount(), payout.currency()).toPlainString(),
                        payout.currency())));
            } else if (next == PaymentStatus.ON_HOLD) {
                if (p.status() == PaymentStatus.NEW) {
                    counts.held++;
                }
                if (!reasons.equals(p.reasons())) {
                    events.add(new Outbox.NewEvent(p.partnerId(), "PaymentHeld", new PaymentHeld(p.id(), run.id(),
                            p.organizationId(), p.partnerId(), p.programId(), p.earningType(), p.period(), amount,
                            p.currency(), now, reasons, heldSince,
                            heldSince.plus(Duration.ofDays(settings.forfeitAfterDays())))));
                }
            } else if (next == PaymentStatus.FORFEITED) {
                counts.forfeited++;
                events.add(new Outbox.NewEvent(p.partnerId(), "PaymentForfeited", new PaymentForfeited(p.id(),
                        run.id(), p.organizationId(), p.partnerId(), p.programId(), p.earningType(), p.period(),
                        amount, p.currency(), now, decision.forfeitReason().name(), reasons, p.heldSince())));
            }
        }
        decisions.write();
        if (!events.isEmpty()) {
            outbox.publishAll(events);
        }
        return counts;
    }

    /** A held payment that took in new earnings changed, even with the same reasons: its history shows the amount. */
    private boolean amountChanged(Handle h, Open p) {
        try {
            BigDecimal recorded = ledger.lastRecordedAmount(h, p.id());
            return recorded == null || recorded.compareTo(p.amount()) != 0;
        } catch (JdbiException e) {
            // Asked from inside RunDecision.changes (a plain supplier); the chunk's transaction rolls back on it.
            throw new IllegalStateException(e);
        }
    }

    /** After the last chunk: put the issued payments in the run's bank file, then mark the run completed (once). */
    void finish(UUID runId) {
        QuarkusTransaction.requiringNew().run(() -> disbursement.disburse(runId));
        QuarkusTransaction.requiringNew().run(() -> {
            try (Handle h = jdbi.open()) {
                int completed = h.createUpdate("""
                        UPDATE payout_run SET status = 'COMPLETED', completed_at = now()
                        WHERE id = :runId AND status = 'RUNNING'
                          AND NOT EXISTS (SELECT 1 FROM payout_run_location WHERE run_id = :runId AND NOT done)""")
                        .bind("runId", runId)
                        .execute();
                if (completed == 1) {
                    LOG.infof("Payout run %s completed", runId);
                }
            } catch (JdbiException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
