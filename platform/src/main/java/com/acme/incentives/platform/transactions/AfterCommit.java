package com.acme.incentives.platform.transactions;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Runs an action once the current transaction has committed, and never if it rolls back: for effects outside the
 * database that must not run for a change that did not happen (waking a worker to send what was just written,
 * counting what was just stored). The action runs on the committing thread, after the commit, so it must be quick;
 * an exception it throws is logged by the transaction manager and changes nothing.
 */
@ApplicationScoped
public class AfterCommit {

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
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }
}
