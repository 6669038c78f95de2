package com.acme.incentives.enrollment.service;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.acme.incentives.enrollment.domain.MigrationStatus;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Requests and answers of the migration-wave API (entities never leave the service). */
public final class MigrationDtos {

    private MigrationDtos() {
    }

    /** The incentive roles a migration can ask for (the only ones a listed user may get). */
    public enum IncentiveRole {
        INCENTIVE_ADMIN, INCENTIVE_USER
    }

    public record CreateWave(
            @NotBlank @Size(max = 200) String name,
            @NotNull Instant startsAt,
            @NotEmpty @Size(max = 1000) List<@Valid @NotNull WaveOrganizationInput> organizations) {
    }

    public record WaveOrganizationInput(
            @NotNull UUID organizationId,
            @NotEmpty @Size(max = 500) List<@Valid @NotNull ListedUserInput> users,
            @Size(max = 1000) List<@Valid @NotNull CarriedEnrollmentInput> enrollments) {

        public List<CarriedEnrollmentInput> enrollmentsOrEmpty() {
            return enrollments == null ? List.of() : enrollments;
        }
    }

    public record ListedUserInput(
            @NotBlank @Email @Size(max = 254) String email,
            @NotBlank @Size(max = 100) String firstName,
            @NotBlank @Size(max = 100) String lastName,
            @NotNull IncentiveRole role) {
    }

    public record CarriedEnrollmentInput(
            @NotBlank @Pattern(regexp = "\\d{1,20}", message = "{incentives.partner-id}") String partnerId,
            @NotBlank @Pattern(regexp = "[a-z0-9]+(-[a-z0-9]+)*", message = "{incentives.program-id}")
            String programId,
            LocalDate earningsStartDate) {
    }

    @Schema(requiredProperties = { "id", "name", "startsAt", "createdBy", "createdAt", "organizations",
            "statuses" })
    public record WaveSummary(UUID id, String name, Instant startsAt, String createdBy, Instant createdAt,
            int organizations,
            @Schema(description = "Number of the wave's organizations in each migration state (SCHEDULED, NOTIFIED,"
                    + " USERS_SET_UP, COMPLETED)") Map<String, Long> statuses) {
    }

    @Schema(requiredProperties = { "id", "name", "startsAt", "createdBy", "createdAt", "organizations" })
    public record WaveView(UUID id, String name, Instant startsAt, String createdBy, Instant createdAt,
            List<OrganizationMigrationView> organizations) {
    }

    /** An organization's migration as its admins and operators see it; {@code missing} lists what blocks completion. */
    @Schema(requiredProperties = { "organizationId", "waveId", "waveName", "startsAt", "status", "notifiedEmails",
            "users", "enrollments", "missing", "history" })
    public record OrganizationMigrationView(UUID organizationId, UUID waveId, String waveName, Instant startsAt,
            @Schema(implementation = MigrationStatus.class) String status, Instant notifiedAt, List<String> notifiedEmails, Instant completedAt, String completedBy,
            List<ListedUserView> users, List<CarriedEnrollmentView> enrollments, List<Map<String, Object>> missing,
            List<HistoryView> history) {
    }

    /** {@code setUp}: identity-service reports the user in the organization, active, with the role. */
    @Schema(requiredProperties = { "email", "firstName", "lastName", "role", "setUp", "activated" })
    public record ListedUserView(String email, String firstName, String lastName,
            @Schema(implementation = IncentiveRole.class) String role, boolean setUp,
            String userId, boolean activated, String problem) {
    }

    @Schema(requiredProperties = { "partnerId", "programId" })
    public record CarriedEnrollmentView(String partnerId, String programId, LocalDate earningsStartDate,
            UUID enrollmentId) {
    }

    @Schema(name = "MigrationHistoryEntry", requiredProperties = { "toStatus", "changedAt" })
    public record HistoryView(@Schema(implementation = MigrationStatus.class) String fromStatus,
            @Schema(implementation = MigrationStatus.class) String toStatus, String reason, String changedBy, Instant changedAt) {
    }
}
