package com.acme.incentives.enrollment.events;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** The data of the events enrollment-service publishes on enrollment.events (docs/events.md). */
public final class EnrollmentEvents {

    public static final String INVITATION_ISSUED = "InvitationIssued";
    public static final String ENROLLMENT_CHANGED = "EnrollmentChanged";
    public static final String MIGRATION_CHANGED = "MigrationChanged";

    private EnrollmentEvents() {
    }

    public record InvitationIssued(UUID invitationId, UUID organizationId, String partnerId, String programId,
            Instant issuedAt, Instant expiresAt, List<String> recipients) {
    }

    public record EnrollmentChanged(UUID enrollmentId, UUID organizationId, String partnerId, String programId,
            String status, String previousStatus, LocalDate earningsStartDate, long sequence, Instant changedAt,
            String changedBy) {
    }

    /** Key: organizationId. {@code sequence} increases with every change of the organization's migration. */
    public record MigrationChanged(UUID organizationId, UUID waveId, String status, String previousStatus,
            long sequence, Instant changedAt, String changedBy) {
    }
}
