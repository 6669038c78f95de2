package com.acme.incentives.payout.jobs;

import com.acme.incentives.payout.service.BankReportPoller;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Pulls and applies the bank's status reports every {@code payout.bank.poll-every} ({@link BankReportPoller}). */
@ApplicationScoped
public class BankReportPollJob {

    private static final Logger LOG = Logger.getLogger(BankReportPollJob.class);

    @Inject
    BankReportPoller poller;

    @Scheduled(every = "${payout.bank.poll-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            poller.poll();
        } catch (RuntimeException e) {
            LOG.warnf("Bank status reports not pulled this time: %s", e.getMessage());
        }
    }
}
