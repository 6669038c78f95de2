package com.acme.incentives.enrollment.jobs;

import com.acme.incentives.enrollment.domain.Invitation;
import com.acme.incentives.enrollment.domain.InvitationStatus;
import com.acme.incentives.enrollment.domain.LocationProgram;
import com.acme.incentives.enrollment.domain.PartnerLocation;
import com.acme.incentives.enrollment.domain.PartnerOrganization;
import com.acme.incentives.enrollment.mail.InvitationReminderMail;
import com.acme.incentives.enrollment.mail.MailService;
import com.acme.incentives.enrollment.mail.MailTemplates;
import com.acme.incentives.enrollment.mail.PortalLinks;
import com.acme.incentives.enrollment.mail.Recipients;
import com.acme.incentives.enrollment.service.InvitationSettings;
import com.acme.incentives.platform.concurrency.AdvisoryLocks;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Reminds a location's incentive admins of an invitation nobody accepted yet, 7 days and again 1 day before it lapses
 * (an invitation issued with less time left gets only the nearest reminder). Each reminder is queued in the
 * transaction that records it on the invitation ({@code reminded_days_before}), under a transaction-scoped advisory
 * lock so that one replica at a time works: every reminder is sent once. Batches of
 * {@code enrollment.invitation.reminder-batch}, one transaction each.
 */
@ApplicationScoped
public class InvitationReminderJob {

    private static final List<Integer> DAYS_BEFORE = List.of(1, 7);

    @Inject
    MailService mail;

    @Inject
    Clock clock;

    @Inject
    InvitationSettings settings;

    @Inject
    PortalLinks portal;

    @Scheduled(every = "${enrollment.invitation.reminder-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void run() {
        remindAll(clock.instant(), settings.reminderBatch());
    }

    /** Sends every reminder due at {@code now}, batch by batch; returns how many were sent. */
    public int remindAll(Instant now, int batchSize) {
        int total = 0;
        int done;
        do {
            done = QuarkusTransaction.requiringNew().call(() -> remindDue(now, batchSize));
            total += done;
        } while (done == batchSize);
        return total;
    }

    private int remindDue(Instant now, int batchSize) {
        boolean mine = AdvisoryLocks.INVITATION_REMINDERS.tryLock(Invitation.getEntityManager());
        if (!mine) {
            return 0;
        }
        // due: still open, lapsing within 7 days and not reminded at 7, or within a day and not reminded at 1
        List<UUID> due = Invitation.getEntityManager().createQuery("select i.id from Invitation i"
                + " where i.status = ?1 and i.expiresAt > ?2 and ((i.expiresAt <= ?3 and i.remindedDaysBefore is null)"
                + " or (i.expiresAt <= ?4 and (i.remindedDaysBefore is null or i.remindedDaysBefore > 1)))"
                + " order by i.expiresAt, i.id", UUID.class)
                .setParameter(1, InvitationStatus.ISSUED).setParameter(2, now)
                .setParameter(3, now.plus(Duration.ofDays(7))).setParameter(4, now.plus(Duration.ofDays(1)))
                .setMaxResults(batchSize).getResultList();
        for (UUID id : due) {
            remind(Invitation.findById(id), now);
        }
        return due.size();
    }

    private void remind(Invitation invitation, Instant now) {
        int daysLeft = DAYS_BEFORE.stream()
                .filter(days -> !invitation.expiresAt.isAfter(now.plus(Duration.ofDays(days)))).findFirst()
                .orElseThrow();
        invitation.remindedDaysBefore = daysLeft;
        PartnerOrganization organization = PartnerOrganization.findById(invitation.organizationId);
        PartnerLocation location = PartnerLocation.findById(invitation.partnerId);
        String program = LocationProgram.programLabel(invitation.partnerId, invitation.programId);
        mail.queue(Recipients.incentiveAdmins(invitation.organizationId, invitation.partnerId), "invitation-reminder",
                language -> new InvitationReminderMail(organization == null ? null : organization.name,
                        location == null ? null : location.name, invitation.partnerId, program,
                        invitation.id.toString(), MailTemplates.date(invitation.expiresAt, language), daysLeft,
                        portal.to("/")), null);
    }
}
