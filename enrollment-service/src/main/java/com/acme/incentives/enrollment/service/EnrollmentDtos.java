package com.acme.incentives.enrollment.service;

import com.acme.incentives.enrollment.domain.Enrollment;
import com.acme.incentives.enrollment.domain.EnrollmentHistory;
import com.acme.incentives.enrollment.domain.Invitation;
import com.acme.incentives.enrollment.domain.RequiredAction;

import com.acme.incentives.enrollment.domain.EnrollmentStatus;
import com.acme.incentives.enrollment.domain.InvitationStatus;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
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
        public static InvitationView of(Invitation invitation) {
            return new InvitationView(invitation.id, invitation.organizationId, invitation.partnerId,
                    invitation.programId, invitation.status.name(), invitation.enrollmentId, invitation.issuedAt,
                    invitation.expiresAt, invitation.acceptedAt);
        }
    }

    @Schema(requiredProperties = { "id", "organizationId", "partnerId", "programId", "status", "createdAt",
            "updatedAt", "requiredActions" })
    public record EnrollmentView(UUID id, UUID organizationId, String partnerId, String programId,
            @Schema(implementation = EnrollmentStatus.class) String status,
            LocalDate earningsStartDate, Instant createdAt, Instant updatedAt,
            @Schema(description = "What the partner must do for the enrolment to move on, each with the operation that"
                    + " does it; empty unless the status is ACTION_REQUIRED")
            List<RequiredActionView> requiredActions) {
        public static EnrollmentView of(Enrollment enrollment, List<RequiredAction> actions) {
            return new EnrollmentView(enrollment.id, enrollment.organizationId, enrollment.partnerId,
                    enrollment.programId, enrollment.status.name(), enrollment.earningsStartDate,
                    enrollment.createdAt, enrollment.updatedAt,
                    actions.stream().map(action -> RequiredActionView.of(enrollment, action)).toList());
        }
    }

    /** One thing to do, and where: the public operation (its operationId, method and path) that resolves it. */
    @Schema(requiredProperties = { "code", "detail", "operationId", "method", "href" })
    public record RequiredActionView(
            @Schema(implementation = RequiredAction.class) String code,
            String detail,
            @Schema(description = "The operation that resolves it, as named in this contract",
                    examples = "createTaxProfile") String operationId,
            @Schema(examples = "POST") String method,
            @Schema(description = "Its path, with the organization (and, to read, the location) filled in",
                    examples = "/api/v1/organizations/3f0c5c1e-7d1a-4f57-9a57-2b8f0f4c1a10/tax-profiles")
            String href) {
        public static RequiredActionView of(Enrollment enrollment, RequiredAction action) {
            String href = "/api/v1/organizations/" + enrollment.organizationId + "/" + action.collection;
            if ("GET".equals(action.method)) {
                href += "?partnerId=" + enrollment.partnerId;
            }
            return new RequiredActionView(action.name(), action.detail.text(), action.operationId, action.method, href);
        }
    }

    /** One change of an enrolment's status: from, to, when, why and who (a user id, or the service that moved it). */
    @Schema(name = "EnrollmentHistoryEntry", requiredProperties = { "toStatus", "reason", "changedBy", "changedAt" },
            description = "One status change; fromStatus is null for the enrolment's creation")
    public record EnrollmentHistoryEntry(
            // No description here: with one, SmallRye inlines the enum as a string-or-object type the Java client
            // generator cannot build; that it is null for the creation is said on the record.
            @Schema(implementation = EnrollmentStatus.class) String fromStatus,
            @Schema(implementation = EnrollmentStatus.class) String toStatus,
            @Schema(examples = "invitation accepted; required: TAX_PROFILE_MISSING, BANK_PROFILE_MISSING")
            String reason,
            @Schema(description = "The user id (token subject) who made the change, or the service that made it"
                    + " (`eligibility-service`, `payout-service`, ...)") String changedBy,
            Instant changedAt) {
        public static EnrollmentHistoryEntry of(EnrollmentHistory row) {
            return new EnrollmentHistoryEntry(row.fromStatus == null ? null : row.fromStatus.name(),
                    row.toStatus.name(), row.reason, row.changedBy, row.changedAt);
        }
    }
}
