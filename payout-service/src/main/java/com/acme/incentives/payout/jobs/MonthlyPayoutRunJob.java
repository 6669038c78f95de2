package com.acme.incentives.payout.jobs;

import com.acme.incentives.payout.service.PayoutRunService;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Starts the payout run of the month that just ended, on {@code payout.run.schedule} (a cron, UTC, or off). */
@ApplicationScoped
public class MonthlyPayoutRunJob {

    @Inject
    PayoutRunService runs;

    @Scheduled(cron = "${payout.run.schedule}", timeZone = "UTC",
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        runs.startForLastMonth();
    }
}
