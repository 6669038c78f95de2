package com.acme.incentives.payout.jobs;

import com.acme.incentives.payout.service.BankProfileValidation;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Validates the bank profiles waiting for it, every {@code payout.bank-validation.every}. */
@ApplicationScoped
public class BankProfileValidationJob {

    @Inject
    BankProfileValidation validation;

    @Scheduled(every = "${payout.bank-validation.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        validation.validatePending();
    }
}
