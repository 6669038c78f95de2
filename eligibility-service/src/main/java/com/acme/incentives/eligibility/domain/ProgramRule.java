package com.acme.incentives.eligibility.domain;

import java.util.List;

/** A programme as the evaluator needs it: whom it applies to and what it requires. */
public record ProgramRule(String id, PartnerType partnerType, List<String> countries, List<Criterion> criteria) {

    public boolean appliesTo(PartnerType type, String country) {
        return partnerType == type && (countries.isEmpty() || countries.contains(country));
    }
}
