package com.acme.incentives.eligibility.domain;

import java.util.List;

/**
 * A programme as the evaluator needs it: whom it applies to and what it requires. Immutable: one parsed rule is
 * shared by every request that reads it (EligibilityEvaluator's cache of parsed rules).
 */
public record ProgramRule(String id, PartnerType partnerType, List<String> countries, List<Criterion> criteria) {

    public ProgramRule {
        countries = List.copyOf(countries);
        criteria = List.copyOf(criteria);
    }

    public boolean appliesTo(PartnerType type, String country) {
        return partnerType == type && (countries.isEmpty() || countries.contains(country));
    }
}
