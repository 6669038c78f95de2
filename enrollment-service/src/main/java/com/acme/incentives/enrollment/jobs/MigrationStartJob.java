package com.acme.incentives.enrollment.jobs;

import com.acme.incentives.enrollment.service.MigrationService;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;

/**
 * Starts due migrations: each batch is one transaction over rows locked with SKIP LOCKED (replicas take different
 * organizations; a crash loses at most the batch in flight, which the next pass takes again).
 */
@ApplicationScoped
public class MigrationStartJob {

    @Inject
    MigrationService migrations;

    @Inject
    Clock clock;

    @ConfigProperty(name = "enrollment.migration.batch", defaultValue = "50")
    int batch;

    @Scheduled(every = "${enrollment.migration.start-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void run() {
        while (migrations.startDue(clock.instant(), batch) == batch) {
            // a full batch: there may be more
        }
    }
}
