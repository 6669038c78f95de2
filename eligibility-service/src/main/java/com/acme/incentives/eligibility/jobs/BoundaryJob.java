package com.acme.incentives.eligibility.jobs;

import com.acme.incentives.eligibility.service.EligibilityEvaluator;
import com.acme.incentives.eligibility.service.FactStore;
import com.acme.incentives.platform.concurrency.DaemonThreads;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Re-evaluates, without any new input, the locations whose facts crossed a date boundary (an agreement expired at
 * midnight, a competency became valid) and those a programme change marked. Only locations whose
 * {@code next_evaluation_on} has come are read (partial index), in chunks, each chunk in its own transaction so a
 * large run never holds locks or an enormous transaction.
 */
@ApplicationScoped
public class BoundaryJob {

    private static final Logger LOG = Logger.getLogger(BoundaryJob.class);

    @Inject
    FactStore facts;

    @Inject
    EligibilityEvaluator evaluator;

    @Inject
    Jdbi jdbi;

    @Inject
    Clock clock;

    @ConfigProperty(name = "eligibility.boundary-job.chunk-size", defaultValue = "500")
    int chunkSize;

    private final ExecutorService wakeUps =
            Executors.newSingleThreadExecutor(DaemonThreads.named("eligibility-boundary-job"));

    // Runs often: a day boundary must take effect soon after midnight UTC, and the query is an index probe.
    @Scheduled(every = "${eligibility.boundary-job.every:60s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        runDue();
    }

    /** Asks for a run soon, e.g. after a programme changed (called after its transaction committed). */
    public void wakeUp() {
        wakeUps.submit(() -> {
            try {
                runDue();
            } catch (RuntimeException e) {
                LOG.warn("Boundary run after a wake-up failed; the scheduled run will retry", e);
            }
        });
    }

    /**
     * Evaluates every due location; returns how many outcome changes were published. Safe to run concurrently, here
     * (a wake-up during a scheduled run) as on several replicas: the locations' advisory locks serialize the writers,
     * and a location re-evaluated after another run's commit finds its outcome unchanged and publishes nothing.
     */
    public int runDue() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        int events = 0;
        while (true) {
            int[] result = QuarkusTransaction.requiringNew().call(() -> {
                List<String> due = due(today);
                if (due.isEmpty()) {
                    return new int[] { 0, 0 };
                }
                facts.lock(due);
                return new int[] { due.size(), evaluator.reevaluate(due, "DATE_BOUNDARY").published() };
            });
            events += result[1];
            if (result[0] < chunkSize) {
                break;
            }
        }
        if (events > 0) {
            LOG.infof("Date boundary run for %s published %d eligibility changes", today, events);
        }
        return events;
    }

    private List<String> due(LocalDate today) {
        try (Handle h = jdbi.open()) {
            return h.createQuery("""
                    SELECT partner_id FROM partner_location WHERE next_evaluation_on <= :today
                    ORDER BY next_evaluation_on, partner_id LIMIT :limit""")
                    .bind("today", today)
                    .bind("limit", chunkSize)
                    .mapTo(String.class)
                    .list();
        } catch (JdbiException e) {
            throw new IllegalStateException("Eligibility statement failed", e);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        wakeUps.shutdownNow();
    }
}
