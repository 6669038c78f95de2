package com.acme.incentives.platform.transactions;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.jboss.logging.Logger;

/**
 * Runs an action once the current transaction has committed, and never if it rolls back: for effects outside the
 * database that must not run for a change that did not happen (waking a worker to send what was just written,
 * counting what was just stored). The action runs on the committing thread, after the commit, so it must be quick.
 * An exception it throws is caught and logged here: the change is committed by then, so the caller must not see a
 * failure, and the next action registered on the same transaction must still run (without this catch, the transaction
 * manager stopped at the first action that threw and ran none after it; AfterCommitTest failed that way when written).
 */
@ApplicationScoped
public class AfterCommit {

    private static final Logger LOG = Logger.getLogger(AfterCommit.class);

    @Inject
    TransactionSynchronizationRegistry synchronizations;

    /** Must be called inside an active transaction (the registry refuses otherwise). */
    public void run(Runnable action) {
        synchronizations.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status != Status.STATUS_COMMITTED) {
                    return;
                }
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.warnf("An action after a commit failed (%s); the committed change stands", e.toString());
                }
            }
        });
    }
}
