package com.acme.incentives.eligibility.events;

import com.acme.incentives.eligibility.domain.CriterionResult;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * data of EligibilityChanged on eligibility.events (docs/events.md), keyed by partnerId. {@code programName}: the
 * programme's display name when the outcome was published (added after the others: older records lack it).
 */
public record EligibilityChanged(String partnerId, UUID organizationId, String programId, boolean eligible,
        long sequence, Instant evaluatedAt, List<CriterionResult> criteria, String programName) {

    public static final String TYPE = "EligibilityChanged";
}
