package com.acme.incentives.payout.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A location's enrolment in a programme as enrollment-service last announced it. */
@Entity
@Table(name = "location_enrollment")
@IdClass(PayoutAssignment.Key.class)
public class LocationEnrollment extends PanacheEntityBase {

    @Id
    @Column(name = "partner_id")
    public String partnerId;

    @Id
    @Column(name = "program_id")
    public String programId;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(name = "enrollment_id")
    public UUID enrollmentId;

    @Column(nullable = false)
    public String status;

    @Column(name = "earnings_start_date")
    public LocalDate earningsStartDate;

    @Column(nullable = false)
    public long sequence;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;
}
