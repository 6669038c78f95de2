package com.acme.incentives.eligibility.domain;

import java.time.LocalDate;
import java.util.List;

/** Everything the partner feed told us about one location; the input of {@link EligibilityRule}. */
public record Facts(List<Agreement> agreements, List<Competency> competencies, LocalDate firstTransaction) {

    public Facts {
        agreements = List.copyOf(agreements);
        competencies = List.copyOf(competencies);
    }

    public static Facts none() {
        return new Facts(List.of(), List.of(), null);
    }

    /** A fact that holds from validFrom to validTo inclusive (validTo null: open-ended) while ACTIVE. */
    public interface Dated {
        String id();

        FactStatus status();

        LocalDate validFrom();

        LocalDate validTo();

        default boolean validOn(LocalDate day) {
            return status() == FactStatus.ACTIVE && !day.isBefore(validFrom())
                    && (validTo() == null || !day.isAfter(validTo()));
        }
    }

    public record Agreement(String id, AgreementType type, FactStatus status, LocalDate validFrom, LocalDate validTo)
            implements Dated {
    }

    public record Competency(String id, String name, CompetencyLevel level, FactStatus status, LocalDate validFrom,
            LocalDate validTo) implements Dated {
    }
}
