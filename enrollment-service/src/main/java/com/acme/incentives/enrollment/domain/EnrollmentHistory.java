package com.acme.incentives.enrollment.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One transition of an enrolment; append-only. */
@Entity
@Table(name = "enrollment_history")
public class EnrollmentHistory extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "enrollment_id", nullable = false)
    public UUID enrollmentId;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_status")
    public EnrollmentStatus fromStatus;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_status", nullable = false)
    public EnrollmentStatus toStatus;

    @Column(nullable = false)
    public String reason;

    @Column(name = "changed_by", nullable = false)
    public String changedBy;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;

    static EnrollmentHistory of(Enrollment enrollment, EnrollmentStatus from, EnrollmentStatus to, String reason,
            String by, Instant at) {
        EnrollmentHistory row = new EnrollmentHistory();
        row.enrollmentId = enrollment.id;
        row.fromStatus = from;
        row.toStatus = to;
        row.reason = reason;
        row.changedBy = by;
        row.changedAt = at;
        return row;
    }
}
