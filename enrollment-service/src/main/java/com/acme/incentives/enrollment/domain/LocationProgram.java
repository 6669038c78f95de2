package com.acme.incentives.enrollment.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** Eligibility last applied for a (location, programme), and the sequence of the EnrollmentChanged events we publish. */
@Entity
@Table(name = "location_program")
public class LocationProgram extends PanacheEntityBase {

    @Embeddable
    public record Key(@Column(name = "partner_id") String partnerId, @Column(name = "program_id") String programId)
            implements Serializable {
    }

    @EmbeddedId
    public Key key;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(nullable = false)
    public boolean eligible;

    @Column(name = "eligibility_sequence", nullable = false)
    public long eligibilitySequence;

    @Column(name = "enrollment_sequence", nullable = false)
    public long enrollmentSequence;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Sequence for the next EnrollmentChanged of this (location, programme), across successive enrolments. */
    public long nextEnrollmentSequence() {
        return ++enrollmentSequence;
    }
}
