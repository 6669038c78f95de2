package com.acme.incentives.enrollment.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import java.time.LocalDate;
import java.util.UUID;

/** An enrolment carried over by a migration: it appears as ENROLLED when the organization completes. */
@Embeddable
public class WaveEnrollment {

    @Column(name = "partner_id", nullable = false)
    public String partnerId;

    @Column(name = "program_id", nullable = false)
    public String programId;

    /** As it was before the migration; null = the first day of the month of completion. */
    @Column(name = "earnings_start_date")
    public LocalDate earningsStartDate;

    /** The enrolment it became, once completed. */
    @Column(name = "enrollment_id")
    public UUID enrollmentId;

    public WaveEnrollment() {
    }

    public WaveEnrollment(String partnerId, String programId, LocalDate earningsStartDate) {
        this.partnerId = partnerId;
        this.programId = programId;
        this.earningsStartDate = earningsStartDate;
    }
}
