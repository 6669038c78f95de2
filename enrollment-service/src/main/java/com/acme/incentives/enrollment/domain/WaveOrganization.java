package com.acme.incentives.enrollment.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** One organization of a migration wave, with the users to set up and the enrolments to carry over. */
@Entity
@Table(name = "wave_organization")
public class WaveOrganization extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "wave_id", nullable = false)
    public UUID waveId;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public MigrationStatus status;

    @Column(name = "starts_at", nullable = false)
    public Instant startsAt;

    @Column(nullable = false)
    public long sequence;

    @Column(name = "notified_at")
    public Instant notifiedAt;

    @Column(name = "notified_emails")
    public String notifiedEmails;

    @Column(name = "completed_at")
    public Instant completedAt;

    @Column(name = "completed_by")
    public String completedBy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "wave_user", joinColumns = @JoinColumn(name = "wave_organization_id"))
    @OrderBy("email")
    public List<WaveUser> users = new ArrayList<>();

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "wave_enrollment", joinColumns = @JoinColumn(name = "wave_organization_id"))
    @OrderBy("partnerId, programId")
    public List<WaveEnrollment> enrollments = new ArrayList<>();

    public static WaveOrganization schedule(UUID waveId, UUID organizationId, Instant startsAt, Instant now) {
        WaveOrganization row = new WaveOrganization();
        row.id = UUID.randomUUID();
        row.waveId = waveId;
        row.organizationId = organizationId;
        row.status = MigrationStatus.SCHEDULED;
        row.startsAt = startsAt;
        row.updatedAt = now;
        return row;
    }

    /** The history row of the organization's scheduling (no previous status). */
    public WaveOrganizationHistory scheduledHistory(String by, Instant at) {
        sequence++;
        return WaveOrganizationHistory.of(id, null, status, "scheduled in a migration wave", by, at);
    }

    /** Moves to {@code next} if the state machine allows it, and returns the history row to persist. */
    public WaveOrganizationHistory transition(MigrationStatus next, String reason, String by, Instant now) {
        if (!status.canBecome(next)) {
            throw new IllegalStateException("Migration cannot go from " + status + " to " + next);
        }
        MigrationStatus previous = status;
        status = next;
        updatedAt = now;
        sequence++;
        return WaveOrganizationHistory.of(id, previous, next, reason, by, now);
    }

    public static WaveOrganization ofOrganization(UUID organizationId) {
        return find("organizationId", organizationId).firstResult();
    }
}
