package com.acme.incentives.eligibility.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's rule as a truth table: for each partner type, all criteria met is eligible, and each criterion broken
 * in each way it can be (missing, expired, not yet valid, terminated) makes the location ineligible, with that
 * criterion, and only it, unmet and explained.
 */
class EligibilityRuleTest {

    static final LocalDate TODAY = LocalDate.of(2026, 11, 21);

    /** The criteria the V2 migration seeds (ProgramApiTest checks the service serves exactly these). */
    static final Map<PartnerType, List<Criterion>> SEED = Map.of(
            PartnerType.DIRECT_BILL, List.of(Criterion.agreement(AgreementType.MPN),
                    Criterion.agreement(AgreementType.RESELLER),
                    Criterion.competency(CompetencyLevel.SILVER, CompetencyLevel.GOLD)),
            PartnerType.INDIRECT_PROVIDER, List.of(Criterion.agreement(AgreementType.MPN),
                    Criterion.agreement(AgreementType.CLOUD_DISTRIBUTOR),
                    Criterion.competency(CompetencyLevel.SILVER, CompetencyLevel.GOLD)),
            PartnerType.INDIRECT_RESELLER, List.of(Criterion.agreement(AgreementType.MPN),
                    Criterion.competency(CompetencyLevel.SILVER, CompetencyLevel.GOLD),
                    Criterion.firstTransaction()));

    enum Breakage {
        MISSING, EXPIRED, NOT_YET_VALID, TERMINATED
    }

    /** Everything a location of any type could need, valid today. */
    static Facts allValid() {
        return new Facts(List.of(
                agreement("mpn-1", AgreementType.MPN, FactStatus.ACTIVE, TODAY.minusYears(1), TODAY.plusYears(1)),
                agreement("res-1", AgreementType.RESELLER, FactStatus.ACTIVE, TODAY.minusYears(1), null),
                agreement("dist-1", AgreementType.CLOUD_DISTRIBUTOR, FactStatus.ACTIVE, TODAY.minusYears(1),
                        TODAY.plusYears(1))),
                List.of(new Facts.Competency("comp-1", "Cloud Platform", CompetencyLevel.GOLD, FactStatus.ACTIVE,
                        TODAY.minusMonths(6), TODAY.plusMonths(6))),
                TODAY.minusMonths(2));
    }

    static Facts.Agreement agreement(String id, AgreementType type, FactStatus status, LocalDate from,
            LocalDate to) {
        return new Facts.Agreement(id, type, status, from, to);
    }

    static Stream<Arguments> truthTable() {
        List<Arguments> rows = new ArrayList<>();
        for (PartnerType type : PartnerType.values()) {
            for (Criterion criterion : SEED.get(type)) {
                for (Breakage breakage : Breakage.values()) {
                    // A first transaction is a date, not a dated status: it can be missing or in the future only.
                    if (criterion.kind() == CriterionKind.FIRST_TRANSACTION
                            && (breakage == Breakage.EXPIRED || breakage == Breakage.TERMINATED)) {
                        continue;
                    }
                    rows.add(Arguments.of(type, criterion.name(), breakage));
                }
            }
        }
        return rows.stream();
    }

    @Test
    void everyPartnerTypeIsEligibleWithEveryCriterionMet() {
        for (PartnerType type : PartnerType.values()) {
            Evaluation evaluation = EligibilityRule.evaluate(SEED.get(type), allValid(), TODAY);
            assertThat(evaluation.eligible()).as(type.name()).isTrue();
            assertThat(evaluation.criteria()).allMatch(CriterionResult::met);
            assertThat(evaluation.criteria()).extracting(CriterionResult::criterion)
                    .containsExactlyElementsOf(SEED.get(type).stream().map(Criterion::name).toList());
        }
        Evaluation reseller = EligibilityRule.evaluate(SEED.get(PartnerType.INDIRECT_RESELLER), allValid(), TODAY);
        assertThat(reseller.criteria().get(0).since()).isEqualTo(TODAY.minusYears(1));
        assertThat(reseller.criteria()).extracting(CriterionResult::kind).containsExactly(CriterionKind.AGREEMENT,
                CriterionKind.COMPETENCY, CriterionKind.FIRST_TRANSACTION);
        assertThat(reseller.criteria().get(0)).extracting(CriterionResult::reasonCode, CriterionResult::factId,
                CriterionResult::date, CriterionResult::agreementType, CriterionResult::levels)
                .containsExactly(ReasonCode.ACTIVE_UNTIL, "mpn-1", TODAY.plusYears(1), AgreementType.MPN, null);
        // Stored and published, the reason is English.
        assertThat(reseller.criteria().get(0).reason()).isEqualTo("MPN agreement mpn-1 is active until "
                + TODAY.plusYears(1));
        assertThat(reseller.criteria().get(1)).extracting(CriterionResult::reasonCode, CriterionResult::factId,
                CriterionResult::date, CriterionResult::agreementType, CriterionResult::levels)
                .containsExactly(ReasonCode.ACTIVE_UNTIL, "comp-1", TODAY.plusMonths(6), null,
                        List.of(CompetencyLevel.SILVER, CompetencyLevel.GOLD));
        assertThat(reseller.criteria().get(2).since()).isEqualTo(TODAY.minusMonths(2));
        assertThat(reseller.criteria().get(2)).extracting(CriterionResult::reasonCode, CriterionResult::factId,
                CriterionResult::date).containsExactly(ReasonCode.FIRST_TRANSACTION_RECORDED, null,
                        TODAY.minusMonths(2));
        // An open-ended agreement is active without an end day.
        Evaluation direct = EligibilityRule.evaluate(SEED.get(PartnerType.DIRECT_BILL), allValid(), TODAY);
        assertThat(direct.criteria().get(1)).extracting(CriterionResult::reasonCode, CriterionResult::factId,
                CriterionResult::date).containsExactly(ReasonCode.ACTIVE, "res-1", null);
    }

    @ParameterizedTest(name = "{0}: {1} {2}")
    @MethodSource("truthTable")
    void breakingOneCriterionMakesTheLocationIneligibleAndSaysWhy(PartnerType type, String criterion,
            Breakage breakage) {
        Facts facts = broken(allValid(), criterion, breakage);

        Evaluation evaluation = EligibilityRule.evaluate(SEED.get(type), facts, TODAY);

        assertThat(evaluation.eligible()).isFalse();
        for (CriterionResult result : evaluation.criteria()) {
            assertThat(result.met()).as(result.criterion()).isEqualTo(!result.criterion().equals(criterion));
        }
        CriterionResult failed = evaluation.criteria().stream().filter(r -> r.criterion().equals(criterion))
                .findFirst().orElseThrow();
        boolean firstTransaction = criterion.equals("FIRST_TRANSACTION");
        switch (breakage) {
            case MISSING -> {
                assertThat(failed.reasonCode()).isEqualTo(firstTransaction ? ReasonCode.NO_FIRST_TRANSACTION
                        : ReasonCode.NONE_ON_RECORD);
                assertThat(failed.factId()).isNull();
                assertThat(failed.date()).isNull();
                assertThat(failed.since()).isNull();
            }
            case EXPIRED -> {
                assertThat(failed.reasonCode()).isEqualTo(ReasonCode.EXPIRED);
                assertThat(failed.factId()).isEqualTo("broken");
                assertThat(failed.date()).isEqualTo(TODAY.minusDays(1));
                assertThat(failed.since()).isEqualTo(TODAY);
            }
            case NOT_YET_VALID -> {
                assertThat(failed.reasonCode()).isEqualTo(firstTransaction ? ReasonCode.FIRST_TRANSACTION_IN_FUTURE
                        : ReasonCode.NOT_VALID_BEFORE);
                assertThat(failed.factId()).isEqualTo(firstTransaction ? null : "broken");
                assertThat(failed.date()).isEqualTo(TODAY.plusDays(1));
                assertThat(failed.since()).isNull();
            }
            case TERMINATED -> {
                assertThat(failed.reasonCode()).isEqualTo(ReasonCode.TERMINATED);
                assertThat(failed.factId()).isEqualTo("broken");
                assertThat(failed.date()).isNull();
                assertThat(failed.since()).isNull();
            }
        }
        // The criterion's kind travels with the reason, so a front-end can name what is missing.
        Criterion expected = SEED.get(type).stream().filter(c -> c.name().equals(criterion)).findFirst()
                .orElseThrow();
        assertThat(failed.kind()).isEqualTo(expected.kind());
        assertThat(failed.agreementType()).isEqualTo(expected.agreementType());
        assertThat(failed.levels()).isEqualTo(expected.levels().isEmpty() ? null : expected.levels());
    }

    /** The facts with one criterion broken; the others stay valid. */
    static Facts broken(Facts facts, String criterion, Breakage breakage) {
        List<Facts.Agreement> agreements = new ArrayList<>(facts.agreements());
        List<Facts.Competency> competencies = new ArrayList<>(facts.competencies());
        LocalDate firstTransaction = facts.firstTransaction();
        LocalDate from = breakage == Breakage.NOT_YET_VALID ? TODAY.plusDays(1) : TODAY.minusYears(2);
        LocalDate to = breakage == Breakage.EXPIRED ? TODAY.minusDays(1) : TODAY.plusYears(2);
        FactStatus status = breakage == Breakage.TERMINATED ? FactStatus.TERMINATED : FactStatus.ACTIVE;
        if (criterion.endsWith("_AGREEMENT")) {
            AgreementType type = AgreementType.valueOf(criterion.substring(0, criterion.length() - 10));
            agreements.removeIf(a -> a.type() == type);
            if (breakage != Breakage.MISSING) {
                agreements.add(agreement("broken", type, status, from, to));
            }
        } else if (criterion.equals("COMPETENCY")) {
            competencies.clear();
            if (breakage != Breakage.MISSING) {
                competencies.add(new Facts.Competency("broken", "Cloud Platform", CompetencyLevel.SILVER, status,
                        from, to));
            }
        } else {
            firstTransaction = breakage == Breakage.MISSING ? null : TODAY.plusDays(1);
        }
        return new Facts(agreements, competencies, firstTransaction);
    }

    @Test
    void boundaryDaysAreInclusiveAndTheNextBoundaryIsTheDayAfterValidTo() {
        List<Criterion> mpn = List.of(Criterion.agreement(AgreementType.MPN));
        Facts facts = new Facts(List.of(agreement("m", AgreementType.MPN, FactStatus.ACTIVE, TODAY, TODAY)),
                List.of(), null);
        assertThat(EligibilityRule.evaluate(mpn, facts, TODAY.minusDays(1)).eligible()).isFalse();
        assertThat(EligibilityRule.evaluate(mpn, facts, TODAY).eligible()).isTrue();
        assertThat(EligibilityRule.evaluate(mpn, facts, TODAY.plusDays(1)).eligible()).isFalse();
        assertThat(EligibilityRule.nextBoundary(facts, TODAY.minusDays(1))).contains(TODAY);
        assertThat(EligibilityRule.nextBoundary(facts, TODAY)).contains(TODAY.plusDays(1));
        assertThat(EligibilityRule.nextBoundary(facts, TODAY.plusDays(1))).isEmpty();
    }

    @Test
    void aCompetencyOfAnotherLevelOrAnAgreementOfAnotherTypeDoesNotCount() {
        List<Criterion> criteria = List.of(Criterion.agreement(AgreementType.RESELLER),
                Criterion.competency(CompetencyLevel.GOLD));
        Facts facts = new Facts(
                List.of(agreement("m", AgreementType.MPN, FactStatus.ACTIVE, TODAY.minusDays(5), null)),
                List.of(new Facts.Competency("s", "Data", CompetencyLevel.SILVER, FactStatus.ACTIVE,
                        TODAY.minusDays(5), null)),
                null);
        Evaluation evaluation = EligibilityRule.evaluate(criteria, facts, TODAY);
        assertThat(evaluation.criteria()).extracting(CriterionResult::reasonCode)
                .containsExactly(ReasonCode.NONE_ON_RECORD, ReasonCode.NONE_ON_RECORD);
        assertThat(evaluation.criteria().get(0).agreementType()).isEqualTo(AgreementType.RESELLER);
        assertThat(evaluation.criteria().get(1).levels()).containsExactly(CompetencyLevel.GOLD);
        // Terminated facts never change by date, so they set no boundary; an open-ended active one neither.
        assertThat(EligibilityRule.nextBoundary(facts, TODAY)).isEmpty();
    }

    @Test
    void aValidAgreementBesideATerminatedOneStillCounts() {
        List<Criterion> mpn = List.of(Criterion.agreement(AgreementType.MPN));
        Facts facts = new Facts(List.of(
                agreement("old", AgreementType.MPN, FactStatus.TERMINATED, TODAY.minusYears(3), null),
                agreement("new", AgreementType.MPN, FactStatus.ACTIVE, TODAY.minusDays(3), null)), List.of(), null);
        Evaluation evaluation = EligibilityRule.evaluate(mpn, facts, TODAY);
        assertThat(evaluation.eligible()).isTrue();
        assertThat(evaluation.criteria().get(0).since()).isEqualTo(TODAY.minusDays(3));
    }

    @Test
    void aProgrammeWithoutCriteriaMakesNobodyEligible() {
        assertThat(EligibilityRule.evaluate(List.of(), allValid(), TODAY).eligible()).isFalse();
    }
}
