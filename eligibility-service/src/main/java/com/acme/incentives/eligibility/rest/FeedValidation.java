package com.acme.incentives.eligibility.rest;

import com.acme.incentives.eligibility.EligibilityMessages;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The checks Bean Validation cannot express: date order across fields, and a row repeated within one batch. */
final class FeedValidation {

    private final List<FieldViolation> errors = new ArrayList<>();
    private final Map<String, String> seen = new HashMap<>();

    void dates(String at, LocalDate validFrom, LocalDate validTo) {
        if (validFrom != null && validTo != null && validTo.isBefore(validFrom)) {
            errors.add(FieldViolation.of(prefix(at) + "validTo", EligibilityMessages.BEFORE_VALID_FROM, validFrom));
        }
    }

    /** The same fact twice in one batch is ambiguous (which one wins?): refused rather than guessed. */
    void unique(String at, String field, String key) {
        String first = seen.putIfAbsent(key, at);
        if (first != null) {
            errors.add(FieldViolation.of(at + "." + field, EligibilityMessages.REPEATS_ROW, first));
        }
    }

    void check() {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    private static String prefix(String at) {
        return at.isEmpty() ? "" : at + ".";
    }
}
