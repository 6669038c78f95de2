package com.acme.incentives.eligibility.domain;

public enum CriterionKind {
    /** An ACTIVE agreement of one type, valid on the day. */
    AGREEMENT,
    /** At least one ACTIVE competency of one of the listed levels, valid on the day. */
    COMPETENCY,
    /** A first transaction recorded on or before the day. */
    FIRST_TRANSACTION
}
