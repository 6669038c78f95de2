package com.acme.incentives.payout.service;

import com.acme.incentives.platform.concurrency.AdvisoryLocks;
import com.acme.incentives.platform.concurrency.DaemonThreads;
import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.payout.PayoutMessages;
import com.acme.incentives.payout.domain.Codes;
import com.acme.incentives.platform.openapi.DecimalString;
import com.acme.incentives.platform.paging.Page;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts, resumes and reports payout runs. One run is RUNNING at a time (a unique index), because a run's holds,
 * releases and roll-forwards build on the previous run's. Asking again for the period of the running run returns it
 * (and resumes it when its worker is gone); a run whose lease ran out is also resumed by the janitor.
 */
@ApplicationScoped
public class PayoutRunService {

    private static final Logger LOG = Logger.getLogger(PayoutRunService.class);

    @Inject
    Jdbi jdbi;

    @Inject
    PayoutRunWorker worker;

    @Inject
    ExchangeRateService exchangeRates;

    @Inject
    BankFiles bankFiles;

    @Inject
    Clock clock;

    @Inject
    PayoutRunSettings settings;

    private final ExecutorService executor = Executors.newFixedThreadPool(2, DaemonThreads.named("payout-run"));

    /**
     * {@code bankFiles}: the run's pain.001 files by id and state (download: GET .../bank-files/{fileId});
     * {@code totals}: its payments as they stand now (GET .../{id}/payments lists them).
     */
    @Schema(name = "PayoutRun", requiredProperties = { "id", "period", "trigger", "status", "startedAt", "locationsTotal",
            "locationsDone", "paymentsIssued", "paymentsHeld", "paymentsReleased", "paymentsForfeited", "bankFiles",
            "totals" })
    public record RunView(UUID id, String period,
            @Schema(description = "OPERATOR or SCHEDULE") String trigger,
            @Schema(description = "RUNNING, then COMPLETED") String status, String requestedBy,
            Instant startedAt, Instant completedAt, List<String> scope, int locationsTotal, int locationsDone,
            int paymentsIssued, int paymentsHeld, int paymentsReleased, int paymentsForfeited,
            List<BankFiles.BankFileView> bankFiles,
            @Schema(description = "Per currency and current status of its payments (those it issued, held or not,"
                    + " and the held ones it released): how many and their sum, in the payments' own currency;"
                    + " what went to the bank per currency is each bank file's controlSums") List<RunTotal> totals) {

        RunView with(List<BankFiles.BankFileView> files, List<RunTotal> runTotals) {
            return new RunView(id, period, trigger, status, requestedBy, startedAt, completedAt, scope,
                    locationsTotal, locationsDone, paymentsIssued, paymentsHeld, paymentsReleased, paymentsForfeited,
                    files, runTotals);
        }
    }

    /** One line of a run's totals: its payments in one currency and one status. */
    @Schema(name = "PayoutRunTotal", requiredProperties = { "currency", "status", "count", "amount" })
    public record RunTotal(String currency,
            @Schema(type = SchemaType.STRING, enumeration = { "UPCOMING", "IN_PROGRESS", "SENT", "PAID", "ON_HOLD",
                    "FAILED", "REJECTED", "RETURNED", "FORFEITED" }) String status,
            long count, @Schema(implementation = DecimalString.class) String amount) {
    }

    /** The columns of the fields the runs list can be sorted by (PayoutRunResource's @Sortable). */
    private static final Map<String, String> SORT_COLUMNS = Map.of("startedAt", "r.started_at", "completedAt",
            "r.completed_at", "period", "r.period");

    private static final String RUN_COLUMNS = """
            r.id, r.period, r.trigger, r.status, r.requested_by, r.started_at, r.completed_at, r.scope,
            r.locations_total, r.locations_done, r.payments_issued, r.payments_held, r.payments_released,
            r.payments_forfeited""";

    public record Started(RunView run, boolean created) {
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    public Started start(YearMonth period, List<String> scope, String trigger, String requestedBy) {
        if (period.isAfter(YearMonth.now(clock))) {
            throw ApiException.unprocessable(PayoutMessages.PERIOD_NOT_STARTED, period);
        }
        String[] scoped = scope == null || scope.isEmpty() ? null : new TreeSet<>(scope).toArray(String[]::new);
        Decision decision = QuarkusTransaction.requiringNew().call(() -> open(period, scoped, trigger, requestedBy));
        if (decision.work) {
            submit(decision.runId);
        }
        return new Started(get(decision.runId), decision.created);
    }

    private record Decision(UUID runId, boolean created, boolean work) {
    }

    /** The RUNNING run, as {@link #open} finds it. */
    private record Running(UUID id, YearMonth period, String[] scope, boolean abandoned) {
    }

    private Decision open(YearMonth period, String[] scope, String trigger, String requestedBy) {
        try (Handle h = jdbi.open()) {
            // Serializes starts: two operators pressing the button at once get the same run.
            AdvisoryLocks.PAYOUT_RUN_START.lock(h.getConnection());
            Optional<Running> running = h.createQuery(
                    "SELECT id, period, scope, lease_until < now() FROM payout_run WHERE status = 'RUNNING'")
                    .map((rs, ctx) -> new Running(rs.getObject(1, UUID.class), YearMonth.parse(rs.getString(2)),
                            rs.getArray(3) == null ? null : (String[]) rs.getArray(3).getArray(), rs.getBoolean(4)))
                    .findFirst();
            if (running.isPresent()) {
                Running r = running.get();
                if (!r.period().equals(period) || !Arrays.equals(r.scope(), scope)) {
                    throw ApiException.conflict(PayoutMessages.PAYOUT_RUN_IN_PROGRESS, r.id(), r.period())
                            .with("runId", r.id());
                }
                boolean takenOver = r.abandoned() && !takeOverAbandoned(h, r.id()).isEmpty();
                return new Decision(r.id(), false, takenOver);
            }
            if (scope != null) {
                requireKnownLocations(h, scope);
            }
            requireRates(h, period, scope);
            UUID id = UUID.randomUUID();
            h.createUpdate("""
                    INSERT INTO payout_run (id, period, trigger, status, requested_by, started_at, lease_until, scope)
                    VALUES (:id, :period, :trigger, 'RUNNING', :requestedBy, now(),
                            clock_timestamp() + make_interval(secs => :leaseSeconds), :scope)""")
                    .bind("id", id)
                    .bind("period", period)
                    .bind("trigger", trigger)
                    .bind("requestedBy", requestedBy)
                    .bind("leaseSeconds", settings.lease().toMillis() / 1000.0)
                    .bindByType("scope", scope, String[].class)
                    .execute();
            // The work list: every location with matured unpaid earnings or a held payment to re-examine.
            h.createUpdate("""
                    INSERT INTO payout_run_location (run_id, partner_id)
                    SELECT :runId, partner_id FROM (
                        SELECT DISTINCT partner_id FROM earning_lot
                        WHERE payment_id IS NULL AND month <= :periodEnd
                          AND (:scope::text[] IS NULL OR partner_id = ANY(:scope))
                        UNION
                        SELECT DISTINCT partner_id FROM payment
                        WHERE status = 'ON_HOLD' AND (:scope::text[] IS NULL OR partner_id = ANY(:scope))) w""")
                    .bind("runId", id)
                    .bind("periodEnd", period.atEndOfMonth())
                    .bindByType("scope", scope, String[].class)
                    .execute();
            h.createUpdate("""
                    UPDATE payout_run SET locations_total = (SELECT count(*) FROM payout_run_location
                    WHERE run_id = :runId) WHERE id = :runId""")
                    .bind("runId", id)
                    .execute();
            return new Decision(id, true, true);
        }
    }

    private static void requireKnownLocations(Handle h, String[] scope) {
        // A set: a run may name 10,000 locations, and a list's contains() made this check quadratic (bench/ profile).
        java.util.Set<String> known = new java.util.HashSet<>(h.createQuery(
                "SELECT partner_id FROM partner_location WHERE partner_id = ANY(:scope)")
                .bindByType("scope", scope, String[].class)
                .map((rs, ctx) -> rs.getString(1))
                .list());
        List<FieldViolation> errors = new ArrayList<>();
        for (int i = 0; i < scope.length; i++) {
            if (!known.contains(scope[i])) {
                errors.add(FieldViolation.of("partnerIds[" + i + "]", PlatformMessages.UNKNOWN_LOCATION));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    /** Thresholds and conversions need the period's rate of every currency involved; refuse before doing anything. */
    private void requireRates(Handle h, YearMonth period, String[] scope) {
        TreeSet<String> needed = new TreeSet<>(h.createQuery("""
                WITH scope AS (
                    SELECT DISTINCT organization_id, partner_id, currency FROM earning_lot
                    WHERE payment_id IS NULL AND month <= :periodEnd
                      AND (:scope::text[] IS NULL OR partner_id = ANY(:scope))
                    UNION
                    SELECT DISTINCT organization_id, partner_id, currency FROM payment
                    WHERE status = 'ON_HOLD' AND (:scope::text[] IS NULL OR partner_id = ANY(:scope)))
                SELECT currency FROM scope
                UNION SELECT a.currency FROM payout_assignment a
                      WHERE a.currency IS NOT NULL AND a.partner_id IN (SELECT partner_id FROM scope)
                UNION SELECT b.currency FROM bank_profile b
                      WHERE b.organization_id IN (SELECT organization_id FROM scope)""")
                .bind("periodEnd", period.atEndOfMonth())
                .bindByType("scope", scope, String[].class)
                .map((rs, ctx) -> rs.getString(1))
                .list());
        Map<String, BigDecimal> rates = exchangeRates.rates(period);
        needed.removeAll(rates.keySet());
        if (!needed.isEmpty()) {
            throw ApiException.unprocessable(PayoutMessages.EXCHANGE_RATES_MISSING, period, String.join(", ", needed)).with("missingCurrencies", needed);
        }
    }

    /**
     * Gives the RUNNING runs whose lease ran out (or the one named, when {@code id} is not null) a fresh lease, and
     * answers their ids: this replica now works on them. Not a run with a chunk in flight, however long that chunk
     * takes: each chunk holds its run's row FOR KEY SHARE, which FOR UPDATE SKIP LOCKED skips, so a live run is never
     * worked on twice (nor its bank file written while a chunk still adds payments).
     *
     * <p>Leases are timeouts between replicas, compared with the database's {@code now()} ({@code lease_until <
     * now()}), so the database computes their end too, on its own clock ({@code clock_timestamp()}: when the
     * statement runs, not when its transaction began, so a long chunk does not shorten the lease it renews); never on
     * a replica's clock, nor on the injected {@link Clock}, which a test moves and which must not make a live run look
     * abandoned, nor an abandoned one live. Every statement that sets {@code lease_until} (here and in
     * {@link PayoutRunWorker}) binds {@code leaseSeconds} from {@code settings.lease()}.
     */
    private List<UUID> takeOverAbandoned(Handle h, UUID id) {
        return h.createQuery("""
                UPDATE payout_run SET lease_until = clock_timestamp() + make_interval(secs => :leaseSeconds)
                WHERE id IN (SELECT id FROM payout_run
                             WHERE status = 'RUNNING' AND lease_until < now() AND (:id::uuid IS NULL OR id = :id::uuid)
                             FOR UPDATE SKIP LOCKED)
                RETURNING id""")
                .bind("leaseSeconds", settings.lease().toMillis() / 1000.0)
                .bind("id", id)
                .mapTo(UUID.class)
                .list();
    }

    private void submit(UUID runId) {
        executor.submit(() -> {
            try {
                worker.complete(runId);
            } catch (Throwable e) {
                // The run stays RUNNING; once its lease runs out the janitor (or the next request) resumes it.
                LOG.errorf(e, "Payout run %s stopped; it will be resumed", runId);
            }
        });
    }

    /** Kill Bill's janitor: resume runs whose worker died (crash, redeploy) once their lease ran out. */
    public void resumeAbandoned() {
        List<UUID> abandoned = QuarkusTransaction.requiringNew().call(() -> {
            try (Handle h = jdbi.open()) {
                return takeOverAbandoned(h, null);
            }
        });
        for (UUID id : abandoned) {
            LOG.infof("Resuming abandoned payout run %s", id);
            submit(id);
        }
    }

    /** The monthly schedule pays the month that just ended (a refused start is logged, not thrown: nobody waits). */
    public void startForLastMonth() {
        YearMonth period = YearMonth.now(clock).minusMonths(1);
        try {
            start(period, null, "SCHEDULE", "schedule");
        } catch (ApiException e) {
            LOG.errorf("Scheduled payout run for %s not started: %s", period, e.getMessage());
        }
    }

    /** For tests and operators' tools: creates the run and its work list without starting a worker. */
    public UUID openWithoutWorker(YearMonth period, List<String> scope, String requestedBy) {
        String[] scoped = scope == null || scope.isEmpty() ? null : new TreeSet<>(scope).toArray(String[]::new);
        return QuarkusTransaction.requiringNew().call(() -> open(period, scoped, "OPERATOR", requestedBy))
                .runId();
    }

    public RunView get(UUID id) {
        try (Handle h = jdbi.open()) {
            RunView run = h.createQuery("SELECT " + RUN_COLUMNS + " FROM payout_run r WHERE r.id = :id")
                    .bind("id", id)
                    .map((rs, ctx) -> view(rs))
                    .findFirst()
                    .orElseThrow(() -> ApiException.notFound(PayoutMessages.PAYOUT_RUN_NOT_FOUND, id));
            return run.with(bankFiles.ofRun(id), totals(h, List.of(id)).getOrDefault(id, List.of()));
        } catch (JdbiException e) {
            throw new IllegalStateException("Could not read the payout run", e);
        }
    }

    /** 404 unless the run exists. */
    public void requireRun(UUID id) {
        boolean exists;
        try (Handle h = jdbi.open()) {
            exists = h.createQuery("SELECT 1 FROM payout_run WHERE id = :id")
                    .bind("id", id)
                    .map((rs, ctx) -> true)
                    .findFirst()
                    .isPresent();
        } catch (JdbiException e) {
            throw new IllegalStateException("Could not read the payout run", e);
        }
        if (!exists) {
            throw ApiException.notFound(PayoutMessages.PAYOUT_RUN_NOT_FOUND, id);
        }
    }

    /** One page of runs, newest first unless sorted otherwise; {@code status} and {@code period} null: any. */
    public Page<RunView> page(String status, YearMonth period, PageRequest page) {
        Map<String, Object> params = new HashMap<>();
        StringBuilder where = new StringBuilder(" WHERE TRUE");
        if (status != null) {
            where.append(" AND r.status = :status");
            params.put("status", status);
        }
        if (period != null) {
            where.append(" AND r.period = :period");
            params.put("period", period);
        }
        try (Handle h = jdbi.open()) {
            long total = h.createQuery("SELECT count(*) FROM payout_run r" + where)
                    .bindMap(params)
                    .map((rs, ctx) -> rs.getLong(1))
                    .one();
            List<RunView> rows = h.createQuery("SELECT " + RUN_COLUMNS + " FROM payout_run r" + where
                    + " ORDER BY " + page.orderBy(SORT_COLUMNS, "r.started_at desc, r.id desc")
                    + " LIMIT :limit OFFSET :offset")
                    .bindMap(params)
                    .bind("limit", page.size)
                    .bind("offset", page.offset())
                    .map((rs, ctx) -> view(rs))
                    .list();
            List<UUID> ids = rows.stream().map(RunView::id).toList();
            Map<UUID, List<BankFiles.BankFileView>> files = bankFiles.ofRuns(ids);
            Map<UUID, List<RunTotal>> totals = totals(h, ids);
            return Page.of(rows.stream().map(r -> r.with(files.get(r.id()), totals.getOrDefault(r.id(), List.of())))
                    .toList(), page, total);
        } catch (JdbiException e) {
            throw new IllegalStateException("Could not read the payout runs", e);
        }
    }

    /** A run as its row says, without its bank files and totals (added with {@link RunView#with}). */
    private static RunView view(ResultSet rs) throws SQLException {
        Timestamp completed = rs.getTimestamp(7);
        return new RunView(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getTimestamp(6).toInstant(), completed == null ? null : completed.toInstant(),
                rs.getArray(8) == null ? null : List.of((String[]) rs.getArray(8).getArray()), rs.getInt(9),
                rs.getInt(10), rs.getInt(11), rs.getInt(12), rs.getInt(13), rs.getInt(14), List.of(), List.of());
    }

    /**
     * Each run's payments (issued by it, held or not, and released by it; the same ones as
     * {@link PaymentQueries}' run filter) by currency and current status, in that order.
     */
    private static Map<UUID, List<RunTotal>> totals(Handle h, List<UUID> runIds) {
        Map<UUID, List<RunTotal>> result = new HashMap<>();
        if (runIds.isEmpty()) {
            return result;
        }
        h.createQuery("""
                SELECT run_id, currency, status, count(*), sum(amount) FROM (
                    SELECT payout_run_id AS run_id, currency, status, amount FROM payment
                    WHERE payout_run_id = ANY(:runIds) AND status <> 'NEW'
                    UNION ALL
                    SELECT released_by_run, currency, status, amount FROM payment
                    WHERE released_by_run = ANY(:runIds) AND status <> 'NEW' AND released_by_run <> payout_run_id) p
                GROUP BY run_id, currency, status ORDER BY run_id, currency, status""")
                .bindArray("runIds", UUID.class, runIds)
                .map((rs, ctx) -> {
                    String currency = rs.getString(2);
                    return Map.entry(rs.getObject(1, UUID.class), new RunTotal(currency, rs.getString(3),
                            rs.getLong(4), Codes.money(rs.getBigDecimal(5), currency).toPlainString()));
                })
                .forEach(t -> result.computeIfAbsent(t.getKey(), k -> new ArrayList<>()).add(t.getValue()));
        return result;
    }
}
