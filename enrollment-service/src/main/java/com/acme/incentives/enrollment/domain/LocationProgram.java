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

    /** The programme's display name from eligibility's events; null until one carried it. */
    @Column(name = "program_name")
    public String programName;

    /** What people read for the programme: its display name, or its id while we know no name. */
    public String programLabel() {
        return programName == null || programName.isBlank() ? key.programId() : programName;
    }

    /** The label of a (location, programme) we may not know (yet): the id then. */
    public static String programLabel(String partnerId, String programId) {
        LocationProgram state = findById(new Key(partnerId, programId));
        return state == null ? programId : state.programLabel();
    }

    /** Sequence for the next EnrollmentChanged of this (location, programme), across successive enrolments. */
    public long nextEnrollmentSequence() {
        return ++enrollmentSequence;
    }
}
