package com.acme.incentives.payout.service;

import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.payout.PayoutMessages;
import com.acme.incentives.payout.domain.Codes;
import com.acme.incentives.payout.domain.Periods;
import com.acme.incentives.platform.openapi.DecimalString;
import com.acme.incentives.platform.paging.Page;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    AgroalDataSource dataSource;

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

    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "payout-run");
        t.setDaemon(true);
        return t;
    });

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

    public Started start(String period, List<String> scope, String trigger, String requestedBy) {
        YearMonth month = Periods.parse(period)
                .orElseThrow(() -> ApiException.invalidField("period", PlatformMessages.MONTH_FORMAT));
        if (month.isAfter(YearMonth.now(clock))) {
            throw ApiException.unprocessable(PayoutMessages.PERIOD_NOT_STARTED, period);
        }
        String[] scoped = scope == null || scope.isEmpty() ? null : new TreeSet<>(scope).toArray(String[]::new);
        Decision decision = QuarkusTransaction.requiringNew().call(() -> open(period, month, scoped, trigger,
                requestedBy));
        if (decision.work) {
            submit(decision.runId);
        }
        return new Started(get(decision.runId), decision.created);
    }

    private record Decision(UUID runId, boolean created, boolean work) {
    }

    private Decision open(String period, YearMonth month, String[] scope, String trigger, String requestedBy)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            // Serializes starts: two operators pressing the button at once get the same run.
            com.acme.incentives.platform.concurrency.AdvisoryLocks.PAYOUT_RUN_START.lock(c);
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT id, period, scope, lease_until < now() FROM payout_run WHERE status = 'RUNNING'")) {
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        UUID id = rs.getObject(1, UUID.class);
                        String[] runningScope = rs.getArray(3) == null ? null : (String[]) rs.getArray(3).getArray();
                        if (!rs.getString(2).trim().equals(period) || !Arrays.equals(runningScope, scope)) {
                            throw ApiException.conflict(PayoutMessages.PAYOUT_RUN_IN_PROGRESS, id,
                                    rs.getString(2).trim()).with("runId", id);
                        }
                        boolean abandoned = rs.getBoolean(4);
                        if (abandoned) {
                            renewLease(c, id);
                        }
                        return new Decision(id, false, abandoned);
                    }
                }
            }
            if (scope != null) {
                requireKnownLocations(c, scope);
            }
            requireRates(c, period, month, scope);
            UUID id = UUID.randomUUID();
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO payout_run (id, period, trigger, status, requested_by, started_at, lease_until, scope)
                    VALUES (?, ?, ?, 'RUNNING', ?, now(), ?, ?)""")) {
                insert.setObject(1, id);
                insert.setString(2, period);
                insert.setString(3, trigger);
                insert.setString(4, requestedBy);
                insert.setTimestamp(5, leaseUntil(settings.lease()));
                insert.setArray(6, scope == null ? null : c.createArrayOf("text", scope));
                insert.executeUpdate();
            }
            // The work list: every location with matured unpaid earnings or a held payment to re-examine.
            try (PreparedStatement work = c.prepareStatement("""
                    INSERT INTO payout_run_location (run_id, partner_id)
                    SELECT ?, partner_id FROM (
                        SELECT DISTINCT partner_id FROM earning
                        WHERE payment_id IS NULL AND transaction_date <= ? AND (?::text[] IS NULL OR partner_id = ANY(?))
                        UNION
                        SELECT DISTINCT partner_id FROM payment
                        WHERE status = 'ON_HOLD' AND (?::text[] IS NULL OR partner_id = ANY(?))) w""");
                    PreparedStatement total = c.prepareStatement("""
                            UPDATE payout_run SET locations_total = (SELECT count(*) FROM payout_run_location
                            WHERE run_id = ?) WHERE id = ?""")) {
                java.sql.Array array = scope == null ? null : c.createArrayOf("text", scope);
                work.setObject(1, id);
                work.setObject(2, month.atEndOfMonth());
                work.setArray(3, array);
                work.setArray(4, array);
                work.setArray(5, array);
                work.setArray(6, array);
                work.executeUpdate();
                total.setObject(1, id);
                total.setObject(2, id);
                total.executeUpdate();
            }
            return new Decision(id, true, true);
        }
    }

    private static void requireKnownLocations(Connection c, String[] scope) throws SQLException {
        // A set: a run may name 10,000 locations, and a list's contains() made this check quadratic (bench/ profile).
        java.util.Set<String> known = new java.util.HashSet<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT partner_id FROM partner_location WHERE partner_id = ANY(?)")) {
            s.setArray(1, c.createArrayOf("text", scope));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    known.add(rs.getString(1));
                }
            }
        }
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
    private void requireRates(Connection c, String period, YearMonth month, String[] scope) throws SQLException {
        TreeSet<String> needed = new TreeSet<>();
        try (PreparedStatement s = c.prepareStatement("""
                WITH scope AS (
                    SELECT DISTINCT organization_id, partner_id, currency FROM earning
                    WHERE payment_id IS NULL AND transaction_date <= ? AND (?::text[] IS NULL OR partner_id = ANY(?))
                    UNION
                    SELECT DISTINCT organization_id, partner_id, currency FROM payment
                    WHERE status = 'ON_HOLD' AND (?::text[] IS NULL OR partner_id = ANY(?)))
                SELECT currency FROM scope
                UNION SELECT a.currency FROM payout_assignment a
                      WHERE a.currency IS NOT NULL AND a.partner_id IN (SELECT partner_id FROM scope)
                UNION SELECT b.currency FROM bank_profile b
                      WHERE b.organization_id IN (SELECT organization_id FROM scope)""")) {
            java.sql.Array array = scope == null ? null : c.createArrayOf("text", scope);
            s.setObject(1, month.atEndOfMonth());
            s.setArray(2, array);
            s.setArray(3, array);
            s.setArray(4, array);
            s.setArray(5, array);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    needed.add(rs.getString(1).trim());
                }
            }
        }
        Map<String, BigDecimal> rates = exchangeRates.rates(period);
        needed.removeAll(rates.keySet());
        if (!needed.isEmpty()) {
            throw ApiException.unprocessable(PayoutMessages.EXCHANGE_RATES_MISSING, period, String.join(", ", needed)).with("missingCurrencies", needed);
        }
    }

    /**
     * The end of a lease starting now. Leases are timeouts between replicas, compared with the database's
     * {@code now()} ({@code lease_until < now()}), so they are on the wall clock and deliberately not on the injected
     * {@link Clock}: a clock moved by a test must not make a live run look abandoned, nor an abandoned one live.
     */
    static Timestamp leaseUntil(Duration lease) {
        return Timestamp.from(Instant.now().plus(lease));
    }

    private void renewLease(Connection c, UUID id) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE payout_run SET lease_until = ? WHERE id = ?")) {
            u.setTimestamp(1, leaseUntil(settings.lease()));
            u.setObject(2, id);
            u.executeUpdate();
        }
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
    @Scheduled(every = "${payout.run.janitor-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resumeAbandoned() {
        List<UUID> abandoned = QuarkusTransaction.requiringNew().call(() -> {
            List<UUID> ids = new ArrayList<>();
            try (Connection c = dataSource.getConnection();
                    PreparedStatement u = c.prepareStatement("""
                            UPDATE payout_run SET lease_until = ? WHERE status = 'RUNNING' AND lease_until < now()
                            RETURNING id""")) {
                u.setTimestamp(1, leaseUntil(settings.lease()));
                try (ResultSet rs = u.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            return ids;
        });
        for (UUID id : abandoned) {
            LOG.infof("Resuming abandoned payout run %s", id);
            submit(id);
        }
    }

    /** The monthly schedule pays the month that just ended. */
    @Scheduled(cron = "${payout.run.schedule}", timeZone = "UTC")
    void monthly() {
        String period = YearMonth.now(clock).minusMonths(1).toString();
        try {
            start(period, null, "SCHEDULE", "schedule");
        } catch (ApiException e) {
            LOG.errorf("Scheduled payout run for %s not started: %s", period, e.getMessage());
        }
    }

    /** For tests and operators' tools: creates the run and its work list without starting a worker. */
    public UUID openWithoutWorker(String period, List<String> scope, String requestedBy) {
        YearMonth month = Periods.parse(period).orElseThrow();
        String[] scoped = scope == null || scope.isEmpty() ? null : new TreeSet<>(scope).toArray(String[]::new);
        return QuarkusTransaction.requiringNew().call(() -> open(period, month, scoped, "OPERATOR", requestedBy))
                .runId();
    }

    public RunView get(UUID id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT " + RUN_COLUMNS + " FROM payout_run r WHERE r.id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound(PayoutMessages.PAYOUT_RUN_NOT_FOUND, id);
                }
                return view(rs).with(bankFiles.ofRun(id), totals(c, List.of(id)).getOrDefault(id, List.of()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the payout run", e);
        }
    }

    /** 404 unless the run exists. */
    public void requireRun(UUID id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT 1 FROM payout_run WHERE id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound(PayoutMessages.PAYOUT_RUN_NOT_FOUND, id);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the payout run", e);
        }
    }

    /** One page of runs, newest first unless sorted otherwise; {@code status} and {@code period} null: any. */
    public Page<RunView> page(String status, String period, PageRequest page) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE TRUE");
        if (status != null) {
            where.append(" AND r.status = ?");
            params.add(status);
        }
        if (period != null) {
            where.append(" AND r.period = ?");
            params.add(period);
        }
        try (Connection c = dataSource.getConnection()) {
            long total;
            try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM payout_run r" + where)) {
                for (int i = 0; i < params.size(); i++) {
                    count.setObject(i + 1, params.get(i));
                }
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<UUID> ids = new ArrayList<>();
            List<RunView> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM payout_run r" + where
                    + " ORDER BY " + page.orderBy(SORT_COLUMNS, "r.started_at desc, r.id desc")
                    + " LIMIT ? OFFSET ?")) {
                for (int i = 0; i < params.size(); i++) {
                    s.setObject(i + 1, params.get(i));
                }
                s.setInt(params.size() + 1, page.size);
                s.setLong(params.size() + 2, page.offset());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        RunView row = view(rs);
                        ids.add(row.id());
                        rows.add(row);
                    }
                }
            }
            Map<UUID, List<BankFiles.BankFileView>> files = bankFiles.ofRuns(ids);
            Map<UUID, List<RunTotal>> totals = totals(c, ids);
            return Page.of(rows.stream().map(r -> r.with(files.get(r.id()), totals.getOrDefault(r.id(), List.of())))
                    .toList(), page, total);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the payout runs", e);
        }
    }

    /** A run as its row says, without its bank files and totals (added with {@link RunView#with}). */
    private static RunView view(ResultSet rs) throws SQLException {
        Timestamp completed = rs.getTimestamp(7);
        return new RunView(rs.getObject(1, UUID.class), rs.getString(2).trim(), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getTimestamp(6).toInstant(), completed == null ? null : completed.toInstant(),
                rs.getArray(8) == null ? null : List.of((String[]) rs.getArray(8).getArray()), rs.getInt(9),
                rs.getInt(10), rs.getInt(11), rs.getInt(12), rs.getInt(13), rs.getInt(14), List.of(), List.of());
    }

    /**
     * Each run's payments (issued by it, held or not, and released by it; the same ones as
     * {@link PaymentQueries}' run filter) by currency and current status, in that order.
     */
    private static Map<UUID, List<RunTotal>> totals(Connection c, List<UUID> runIds) throws SQLException {
        Map<UUID, List<RunTotal>> result = new HashMap<>();
        if (runIds.isEmpty()) {
            return result;
        }
        try (PreparedStatement s = c.prepareStatement("""
                SELECT run_id, currency, status, count(*), sum(amount) FROM (
                    SELECT payout_run_id AS run_id, currency, status, amount FROM payment
                    WHERE payout_run_id = ANY(?) AND status <> 'NEW'
                    UNION ALL
                    SELECT released_by_run, currency, status, amount FROM payment
                    WHERE released_by_run = ANY(?) AND status <> 'NEW' AND released_by_run <> payout_run_id) p
                GROUP BY run_id, currency, status ORDER BY run_id, currency, status""")) {
            java.sql.Array ids = c.createArrayOf("uuid", runIds.toArray());
            s.setArray(1, ids);
            s.setArray(2, ids);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String currency = rs.getString(2).trim();
                    result.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(new RunTotal(
                            currency, rs.getString(3), rs.getLong(4),
                            Codes.money(rs.getBigDecimal(5), currency).toPlainString()));
                }
            }
        }
        return result;
    }
}
