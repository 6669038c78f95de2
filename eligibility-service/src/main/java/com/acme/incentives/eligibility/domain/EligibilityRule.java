package com.acme.incentives.eligibility.domain;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The qualification rule as a pure function of a programme's criteria, a location's facts and a day: no clock, no
 * database, so the whole truth table is a fast unit test and the service only loads facts and stores answers.
 */
public final class EligibilityRule {

    private EligibilityRule() {
    }

    public static Evaluation evaluate(List<Criterion> criteria, Facts facts, LocalDate day) {
        List<CriterionResult> results = new ArrayList<>(criteria.size());
        for (Criterion criterion : criteria) {
            results.add(switch (criterion.kind()) {
                case AGREEMENT -> dated(criterion,
                        facts.agreements().stream().filter(a -> a.type() == criterion.agreementType()).toList(), day);
                case COMPETENCY -> dated(criterion,
                        facts.competencies().stream().filter(c -> criterion.levels().contains(c.level())).toList(),
                        day);
                case FIRST_TRANSACTION -> firstTransaction(criterion, facts.firstTransaction(), day);
            });
        }
        boolean eligible = !results.isEmpty() && results.stream().allMatch(CriterionResult::met);
        return new Evaluation(eligible, results);
    }

    /**
     * The first day after {@code day} on which any fact changes state by date alone (starts or lapses), or empty when
     * none will: the boundary job re-evaluates the location on that day without any new input.
     */
    public static Optional<LocalDate> nextBoundary(Facts facts, LocalDate day) {
        Stream<Facts.Dated> dated = Stream.concat(facts.agreements().stream(), facts.competencies().stream());
        Stream<LocalDate> factBoundaries = dated.filter(f -> f.status() == FactStatus.ACTIVE)
                .flatMap(f -> Stream.of(f.validFrom(), f.validTo() == null ? null : f.validTo().plusDays(1)));
        Stream<LocalDate> all = Stream.concat(factBoundaries, Stream.of(facts.firstTransaction()));
        return all.filter(d -> d != null && d.isAfter(day)).min(Comparator.naturalOrder());
    }

    private static <F extends Facts.Dated> CriterionResult dated(Criterion criterion, List<F> candidates,
            LocalDate day) {
        List<F> valid = candidates.stream().filter(f -> f.validOn(day)).toList();
        if (!valid.isEmpty()) {
            F best = valid.stream().min(Comparator.comparing(Facts.Dated::validFrom)).orElseThrow();
            // Valid until the latest end among the qualifying facts; any open-ended one means no end at all.
            LocalDate until = valid.stream().anyMatch(f -> f.validTo() == null) ? null
                    : valid.stream().map(Facts.Dated::validTo).max(Comparator.naturalOrder()).orElseThrow();
            return CriterionResult.explained(criterion, true, best.validFrom(),
                    until == null ? ReasonCode.ACTIVE : ReasonCode.ACTIVE_UNTIL, best.id(), until);
        }
        if (candidates.isEmpty()) {
            return CriterionResult.explained(criterion, false, null, ReasonCode.NONE_ON_RECORD, null, null);
        }
        // Explain with the fact closest to counting: one about to start, else the latest lapsed, else a terminated one.
        Optional<F> upcoming = candidates.stream()
                .filter(f -> f.status() == FactStatus.ACTIVE && f.validFrom().isAfter(day))
                .min(Comparator.comparing(Facts.Dated::validFrom));
        if (upcoming.isPresent()) {
            return CriterionResult.explained(criterion, false, null, ReasonCode.NOT_VALID_BEFORE,
                    upcoming.get().id(), upcoming.get().validFrom());
        }
        Optional<F> expired = candidates.stream()
                .filter(f -> f.status() == FactStatus.ACTIVE && f.validTo() != null && f.validTo().isBefore(day))
                .max(Comparator.comparing(Facts.Dated::validTo));
        if (expired.isPresent()) {
            return CriterionResult.explained(criterion, false, expired.get().validTo().plusDays(1),
                    ReasonCode.EXPIRED, expired.get().id(), expired.get().validTo());
        }
        F terminated = candidates.get(0);
        return CriterionResult.explained(criterion, false, null, ReasonCode.TERMINATED, terminated.id(), null);
    }

    private static CriterionResult firstTransaction(Criterion criterion, LocalDate date, LocalDate day) {
        if (date == null) {
            return CriterionResult.explained(criterion, false, null, ReasonCode.NO_FIRST_TRANSACTION, null, null);
        }
        if (date.isAfter(day)) {
            return CriterionResult.explained(criterion, false, null, ReasonCode.FIRST_TRANSACTION_IN_FUTURE, null,
                    date);
        }
        return CriterionResult.explained(criterion, true, date, ReasonCode.FIRST_TRANSACTION_RECORDED, null, date);
    }
}
