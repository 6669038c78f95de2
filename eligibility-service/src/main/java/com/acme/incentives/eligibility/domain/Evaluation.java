package com.acme.incentives.eligibility.domain;

import java.util.List;

/** The answer for one location and programme on one day. */
public record Evaluation(boolean eligible, List<CriterionResult> criteria) {

    public Evaluation {
        criteria = List.copyOf(criteria);
    }

    /**
     * Whether the outcome differs from another: the overall answer or any criterion's met. Reason texts and dates
     * alone (an agreement extended while still valid) refresh the checklist but are not a change of outcome.
     */
    public boolean sameOutcomeAs(Evaluation other) {
        if (other == null || eligible != other.eligible || criteria.size() != other.criteria.size()) {
            return false;
        }
        for (int i = 0; i < criteria.size(); i++) {
            CriterionResult mine = criteria.get(i);
            CriterionResult theirs = other.criteria.get(i);
            if (!mine.criterion().equals(theirs.criterion()) || mine.met() != theirs.met()) {
                return false;
            }
        }
        return true;
    }
}
