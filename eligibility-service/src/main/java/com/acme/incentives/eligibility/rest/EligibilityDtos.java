package com.acme.incentives.eligibility.rest;

import com.acme.incentives.eligibility.domain.CriterionResult;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

public final class EligibilityDtos {

    private EligibilityDtos() {
    }

    /**
     * One programme's checklist. {@code eligibleSince}/{@code changedAt}: when the current outcome began;
     * {@code evaluatedAt} null means the programme was just introduced and the location awaits its first evaluation.
     */
    public record ProgramEligibility(String programId, String programName, boolean eligible, long sequence,
            Instant evaluatedAt, Instant changedAt, List<CriterionResult> criteria) {
    }

    public record LocationEligibility(String partnerId, UUID organizationId, String partnerType, String country,
            LocalDate evaluatedFor, List<ProgramEligibility> programs) {
    }

    public record HistoryEntry(String programId, boolean eligible, long sequence, Instant evaluatedAt, String cause,
            List<CriterionResult> criteria) {
    }
}
