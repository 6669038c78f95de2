package com.acme.incentives.enrollment.jobs;

import com.acme.incentives.enrollment.service.EnrollmentService;
import com.acme.incentives.enrollment.service.InvitationSettings;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;

/**
 * Expiry is a state change made by this job (never a deleted row), at the time the injected clock says. It works in
 * batches of {@code enrollment.invitation.expiry-batch}, one transaction each: a month of invitations running out on
 * the same day neither holds thousands of row locks at once nor loses everything to one failure.
 */
@ApplicationScoped
public class InvitationExpiryJob {

    @Inject
    EnrollmentService enrollments;

    @Inject
    Clock clock;

    @Inject
    InvitationSettings settings;

    @Scheduled(every = "${enrollment.invitation.expiry-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void run() {
        expireAll(clock.instant(), settings.expiryBatch());
    }

    /** Expires every invitation due at {@code now}, batch by batch; returns how many were due. */
    public int expireAll(Instant now, int batchSize) {
        int total = 0;
        int done;
        do {
            done = enrollments.expireDue(now, batchSize);
            total += done;
        } while (done == batchSize);
        return total;
    }
}
