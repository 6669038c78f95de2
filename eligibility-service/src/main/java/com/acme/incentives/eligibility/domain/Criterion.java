package com.acme.incentives.eligibility.domain;

import java.util.List;

/**
 * One requirement of a programme, as data. {@link #name()} is the stable identifier partners and consumers see
 * ({@code MPN_AGREEMENT}, {@code COMPETENCY}, {@code FIRST_TRANSACTION}).
 */
public record Criterion(CriterionKind kind, AgreementType agreementType, List<CompetencyLevel> levels) {

    public Criterion {
        levels = levels == null ? List.of() : List.copyOf(levels);
    }

    public static Criterion agreement(AgreementType type) {
        return new Criterion(CriterionKind.AGREEMENT, type, List.of());
    }

    public static Criterion competency(CompetencyLevel... levels) {
        return new Criterion(CriterionKind.COMPETENCY, null, List.of(levels));
    }

    public static Criterion firstTransaction() {
        return new Criterion(CriterionKind.FIRST_TRANSACTION, null, List.of());
    }

    public String name() {
        return switch (kind) {
            case AGREEMENT -> agreementType + "_AGREEMENT";
            case COMPETENCY -> "COMPETENCY";
            case FIRST_TRANSACTION -> "FIRST_TRANSACTION";
        };
    }
}
