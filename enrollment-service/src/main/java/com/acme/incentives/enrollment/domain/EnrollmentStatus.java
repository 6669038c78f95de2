package com.acme.incentives.enrollment.domain;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The enrolment state machine (docs/product.md "Invitations and enrolments"): every allowed transition is written here
 * and nowhere else; {@link Enrollment#transition} refuses anything else.
 */
public enum EnrollmentStatus {
    INVITED, ACTION_REQUIRED, VALIDATING, ENROLLED, INELIGIBLE, WITHDRAWN, EXPIRED;

    private static final Map<EnrollmentStatus, Set<EnrollmentStatus>> ALLOWED = Map.of(
            // accepted: where it lands depends on the payout profiles at that moment
            INVITED, EnumSet.of(ACTION_REQUIRED, VALIDATING, ENROLLED, INELIGIBLE, WITHDRAWN, EXPIRED),
            ACTION_REQUIRED, EnumSet.of(VALIDATING, ENROLLED, INELIGIBLE, WITHDRAWN),
            VALIDATING, EnumSet.of(ACTION_REQUIRED, ENROLLED, INELIGIBLE, WITHDRAWN),
            // once enrolled, profile problems hold payments (payout-service), they do not un-enrol
            ENROLLED, EnumSet.of(INELIGIBLE, WITHDRAWN),
            // regaining eligibility goes back to the state it had; an invitation can still run out meanwhile
            INELIGIBLE, EnumSet.of(INVITED, ACTION_REQUIRED, VALIDATING, ENROLLED, WITHDRAWN, EXPIRED),
            WITHDRAWN, EnumSet.noneOf(EnrollmentStatus.class),
            EXPIRED, EnumSet.noneOf(EnrollmentStatus.class));

    public boolean canBecome(EnrollmentStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    /** A live enrolment blocks a new invitation for the same (location, programme). */
    public boolean isLive() {
        return this != WITHDRAWN && this != EXPIRED;
    }

    /** Invited or accepted but not yet enrolled: ENROLLED from here completes the enrolment. */
    public boolean isOnTheWayIn() {
        return this == INVITED || this == ACTION_REQUIRED || this == VALIDATING;
    }

    /** After acceptance, the status the payout profile status calls for. */
    public static EnrollmentStatus forProfile(PayoutProfileState profile) {
        if (profile == null) {
            return ACTION_REQUIRED;
        }
        return switch (profile) {
            case COMPLETE -> ENROLLED;
            case VALIDATING -> VALIDATING;
            case INCOMPLETE -> ACTION_REQUIRED;
        };
    }
}
