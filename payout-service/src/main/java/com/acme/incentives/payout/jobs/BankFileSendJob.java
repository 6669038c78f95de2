package com.acme.incentives.payout.jobs;

import com.acme.incentives.payout.service.BankFileSender;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Hands the due bank files to the bank's channel every {@code payout.bank.send-every} ({@link BankFileSender}). */
@ApplicationScoped
public class BankFileSendJob {

    private static final Logger LOG = Logger.getLogger(BankFileSendJob.class);

    @Inject
    BankFileSender sender;

    @Scheduled(every = "${payout.bank.send-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            sender.sendDue();
        } catch (RuntimeException e) {
            // The database is away, say: the files stay READY and the next tick tries again.
            LOG.warnf("Bank files not sent this time: %s", e.toString());
        }
    }
}
