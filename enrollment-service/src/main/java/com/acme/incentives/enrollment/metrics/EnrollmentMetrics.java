package com.acme.incentives.enrollment.metrics;

import com.acme.incentives.enrollment.domain.MigrationStatus;
import com.acme.incentives.platform.transactions.AfterCommit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The enrolment figures an operator watches (docs/observability.md "Business"):
 * <ul>
 * <li>{@code enrollment.invitations.issued{program}}: a counter, incremented after the transaction that wrote the
 * invitation (and its InvitationIssued event) commits, so a rolled-back transaction, or one retried by the inbox,
 * counts nothing. The programmes already known are registered at startup with 0, so the first invitation after a
 * restart is a visible increase, not the birth of a series.</li>
 * <li>{@code enrollment.migrations{state}}: organizations per migration state, read from the database by one
 * {@code GROUP BY} every {@code enrollment.metrics.refresh-every} (a scrape never queries), so every replica reports
 * the same, right figure.</li>
 * </ul>
 */
@Startup
@ApplicationScoped
public class EnrollmentMetrics {

    private static final Logger LOG = Logger.getLogger(EnrollmentMetrics.class);
    static final String INVITATIONS_ISSUED = "enrollment.invitations.issued";

    @Inject
    MeterRegistry registry;

    @Inject
    Jdbi jdbi;

    @Inject
    AfterCommit afterCommit;

    private final AtomicReference<Map<MigrationStatus, Long>> migrations = new AtomicReference<>(Map.of());

    @PostConstruct
    void register() {
        try (Handle h = jdbi.open()) {
            h.createQuery("SELECT DISTINCT program_id FROM location_program")
                    .mapTo(String.class)
                    .forEach(this::invitationsIssued);
        } catch (JdbiException e) {
            throw new IllegalStateException("Could not read the programmes", e);
        }
        for (MigrationStatus state : MigrationStatus.values()) {
            Gauge.builder("enrollment.migrations", migrations, m -> m.get().getOrDefault(state, 0L))
                    .tag("state", state.name())
                    .description("Organizations in this migration state (from the database, refreshed periodically)")
                    .register(registry);
        }
    }

    /** Counts an invitation once the current transaction commits (call it where the invitation is written). */
    public void invitationIssued(String programId) {
        afterCommit.run(() -> invitationsIssued(programId).increment());
    }

    private Counter invitationsIssued(String programId) {
        return Counter.builder(INVITATIONS_ISSUED).tag("program", programId)
                .description("Invitations issued (counted after commit)").register(registry);
    }

    @Scheduled(every = "${enrollment.metrics.refresh-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledRefresh() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // The gauges keep the last values read; the next refresh tries again.
            LOG.warnf("Could not refresh the migration metrics: %s", e.getMessage());
        }
    }

    /** Reads the figures from the database now (the schedule calls it; tests call it to avoid waiting). */
    public void refresh() {
        Map<MigrationStatus, Long> counts = new EnumMap<>(MigrationStatus.class);
        try (Handle h = jdbi.open()) {
            h.createQuery("SELECT status, count(*) FROM wave_organization GROUP BY status")
                    .map((rs, ctx) -> Map.entry(MigrationStatus.valueOf(rs.getString(1)), rs.getLong(2)))
                    .forEach(count -> counts.put(count.getKey(), count.getValue()));
        } catch (JdbiException e) {
            throw new IllegalStateException("Could not read the migration figures", e);
        }
        migrations.set(counts);
    }
}
