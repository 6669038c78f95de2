package com.acme.incentives.enrollment.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;

/** Expiry is a state change made by this job (never a deleted row), at the time the injected clock says. */
@ApplicationScoped
public class InvitationExpiryJob {

    @Inject
    EnrollmentService enrollments;

    @Inject
    Clock clock;

    @Scheduled(every = "${enrollment.invitation.expiry-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        enrollments.expireDue(clock.instant());
    }
}
