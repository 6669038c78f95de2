package com.acme.incentives.eligibility.service;

import com.acme.incentives.eligibility.domain.CriterionResult;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

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
    @Schema(requiredProperties = { "programId", "programName", "eligible", "sequence", "criteria" })
    public record ProgramEligibility(String programId, String programName, boolean eligible, long sequence,
            Instant evaluatedAt, Instant changedAt, List<CriterionResult> criteria) {
    }

    @Schema(requiredProperties = { "partnerId", "organizationId", "partnerType", "country", "evaluatedFor",
            "programs" })
    public record LocationEligibility(String partnerId, UUID organizationId,
            @Schema(implementation = com.acme.incentives.eligibility.domain.PartnerType.class) String partnerType,
            String country,
            LocalDate evaluatedFor, List<ProgramEligibility> programs) {
    }

    /** Named apart from payout-service's payment history entry (another shape) in the one contract. */
    @Schema(name = "EligibilityHistoryEntry", requiredProperties = { "programId", "eligible", "sequence",
            "evaluatedAt", "criteria" })
    public record HistoryEntry(String programId, boolean eligible, long sequence, Instant evaluatedAt, String cause,
            List<CriterionResult> criteria) {
    }
}
