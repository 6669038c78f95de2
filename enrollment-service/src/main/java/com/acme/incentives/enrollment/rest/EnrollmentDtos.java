package com.acme.incentives.enrollment.rest;

import com.acme.incentives.enrollment.domain.Enrollment;
import com.acme.incentives.enrollment.domain.Invitation;

import com.acme.incentives.enrollment.domain.EnrollmentStatus;
import com.acme.incentives.enrollment.domain.InvitationStatus;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** What the API shows of invitations and enrolments (entities never leave the service). */
public final class EnrollmentDtos {

    private EnrollmentDtos() {
    }

    @Schema(requiredProperties = { "id", "organizationId", "partnerId", "programId", "status", "issuedAt",
            "expiresAt" })
    public record InvitationView(UUID id, UUID organizationId, String partnerId, String programId,
            @Schema(implementation = InvitationStatus.class) String status,
            UUID enrollmentId, Instant issuedAt, Instant expiresAt, Instant acceptedAt) {
        static InvitationView of(Invitation invitation) {
            return new InvitationView(invitation.id, invitation.organizationId, invitation.partnerId,
                    invitation.programId, invitation.status.name(), invitation.enrollmentId, invitation.issuedAt,
                    invitation.expiresAt, invitation.acceptedAt);
        }
    }

    @Schema(requiredProperties = { "id", "organizationId", "partnerId", "programId", "status", "createdAt",
            "updatedAt" })
    public record EnrollmentView(UUID id, UUID organizationId, String partnerId, String programId,
            @Schema(implementation = EnrollmentStatus.class) String status,
            LocalDate earningsStartDate, Instant createdAt, Instant updatedAt) {
        static EnrollmentView of(Enrollment enrollment) {
            return new EnrollmentView(enrollment.id, enrollment.organizationId, enrollment.partnerId,
                    enrollment.programId, enrollment.status.name(), enrollment.earningsStartDate,
                    enrollment.createdAt, enrollment.updatedAt);
        }
    }
}
