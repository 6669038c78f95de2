package com.acme.incentives.payout.jobs;

import com.acme.incentives.payout.service.PayoutRunService;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Every {@code payout.run.janitor-every}: resumes the runs whose worker died, once their lease ran out. */
@ApplicationScoped
public class PayoutRunJanitorJob {

    @Inject
    PayoutRunService runs;

    @Scheduled(every = "${payout.run.janitor-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        runs.resumeAbandoned();
    }
}
