package com.acme.incentives.enrollment.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

/** A location's enrolment in a programme, from invitation on. Changes only through {@link #transition}. */
@Entity
@Table(name = "enrollment")
public class Enrollment extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(name = "partner_id", nullable = false)
    public String partnerId;

    @Column(name = "program_id", nullable = false)
    public String programId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public EnrollmentStatus status;

    /** What to go back to when eligibility is regained. */
    @Enumerated(EnumType.STRING)
    @Column(name = "status_before_ineligible")
    public EnrollmentStatus statusBeforeIneligible;

    @Column(name = "earnings_start_date")
    public LocalDate earningsStartDate;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    public static Enrollment invite(UUID organizationId, String partnerId, String programId, Instant now) {
        Enrollment enrollment = new Enrollment();
        enrollment.id = UUID.randomUUID();
        enrollment.organizationId = organizationId;
        enrollment.partnerId = partnerId;
        enrollment.programId = programId;
        enrollment.status = EnrollmentStatus.INVITED;
        enrollment.createdAt = now;
        enrollment.updatedAt = now;
        return enrollment;
    }

    /**
     * An enrolment carried over by a migration wave: the organization was enrolled before this platform, so it starts
     * as ENROLLED (the only other way in besides an invitation), with its earlier earnings start if known.
     */
    public static Enrollment carryOver(UUID organizationId, String partnerId, String programId,
            LocalDate earningsStartDate, Instant now) {
        Enrollment enrollment = invite(organizationId, partnerId, programId, now);
        enrollment.status = EnrollmentStatus.ENROLLED;
        enrollment.earningsStartDate = earningsStartDate != null ? earningsStartDate
                : LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1);
        return enrollment;
    }

    /**
     * Moves to {@code next} if the state machine allows it, and returns the history row to persist. Reaching
     * ENROLLED for the first time fixes the earnings start: the first day of the month in which the last
     * requirement (eligible, accepted, profiles complete) was met, i.e. this transition's month (UTC).
     */
    public EnrollmentHistory transition(EnrollmentStatus next, String reason, String by, Instant now) {
        if (!status.canBecome(next)) {
            throw new IllegalStateException("Enrolment cannot go from " + status + " to " + next);
        }
        EnrollmentStatus previous = status;
        if (next == EnrollmentStatus.INELIGIBLE) {
            statusBeforeIneligible = previous;
        } else if (previous == EnrollmentStatus.INELIGIBLE) {
            statusBeforeIneligible = null;
        }
        if (next == EnrollmentStatus.ENROLLED && earningsStartDate == null) {
            earningsStartDate = LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1);
        }
        status = next;
        updatedAt = now;
        return EnrollmentHistory.of(this, previous, next, reason, by, now);
    }

    /**
     * An INELIGIBLE enrolment that a migration carries over: it stays INELIGIBLE, but returns to ENROLLED (not to
     * what it was) when eligibility comes back. The status does not change; the history row records who decided.
     */
    public EnrollmentHistory enrolledOnceEligible(LocalDate earningsStart, String reason, String by, Instant now) {
        if (status != EnrollmentStatus.INELIGIBLE) {
            throw new IllegalStateException("Enrolment is " + status + ", not INELIGIBLE");
        }
        EnrollmentStatus before = statusBeforeIneligible;
        statusBeforeIneligible = EnrollmentStatus.ENROLLED;
        if (earningsStartDate == null) {
            earningsStartDate = earningsStart;
        }
        updatedAt = now;
        return EnrollmentHistory.of(this, status, status, reason + " (was " + before + " before eligibility was lost)",
                by, now);
    }

    /** The history row of the enrolment's creation (no previous status). */
    public void persistHistory(EnrollmentStatus from, String reason, String by, Instant at) {
        EnrollmentHistory.of(this, from, status, reason, by, at).persist();
    }
}
