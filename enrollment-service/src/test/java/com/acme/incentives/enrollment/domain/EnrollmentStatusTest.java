package com.acme.incentives.enrollment.domain;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static com.acme.incentives.enrollment.domain.EnrollmentStatus.ACTION_REQUIRED;
import static com.acme.incentives.enrollment.domain.EnrollmentStatus.ENROLLED;
import static com.acme.incentives.enrollment.domain.EnrollmentStatus.EXPIRED;
import static com.acme.incentives.enrollment.domain.EnrollmentStatus.INELIGIBLE;
import static com.acme.incentives.enrollment.domain.EnrollmentStatus.INVITED;
import static com.acme.incentives.enrollment.domain.EnrollmentStatus.VALIDATING;
import static com.acme.incentives.enrollment.domain.EnrollmentStatus.WITHDRAWN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The enrolment state machine as docs/product.md "Invitations and enrolments" draws it, written out again here: every
 * pair of states is checked, so a transition added or dropped in the enum fails this test until the table agrees.
 */
class EnrollmentStatusTest {

    private static final Map<EnrollmentStatus, Set<EnrollmentStatus>> DRAWN = new EnumMap<>(EnrollmentStatus.class);

    static {
        // Accepting lands where the payout profiles are; an invitation can be declined (withdrawn) or run out.
        DRAWN.put(INVITED, EnumSet.of(ACTION_REQUIRED, VALIDATING, ENROLLED, INELIGIBLE, WITHDRAWN, EXPIRED));
        DRAWN.put(ACTION_REQUIRED, EnumSet.of(VALIDATING, ENROLLED, INELIGIBLE, WITHDRAWN));
        DRAWN.put(VALIDATING, EnumSet.of(ACTION_REQUIRED, ENROLLED, INELIGIBLE, WITHDRAWN));
        // Enrolled: profile problems hold payments, they never un-enrol.
        DRAWN.put(ENROLLED, EnumSet.of(INELIGIBLE, WITHDRAWN));
        // Eligible again: back to where it was (never INELIGIBLE to INELIGIBLE).
        DRAWN.put(INELIGIBLE, EnumSet.of(INVITED, ACTION_REQUIRED, VALIDATING, ENROLLED, WITHDRAWN, EXPIRED));
        DRAWN.put(WITHDRAWN, EnumSet.noneOf(EnrollmentStatus.class));
        DRAWN.put(EXPIRED, EnumSet.noneOf(EnrollmentStatus.class));
    }

    @Test
    void everyTransitionIsAllowedExactlyWhenTheMachineDrawsIt() {
        assertThat(DRAWN.keySet()).containsExactlyInAnyOrder(EnrollmentStatus.values());
        for (EnrollmentStatus from : EnrollmentStatus.values()) {
            for (EnrollmentStatus to : EnrollmentStatus.values()) {
                assertThat(from.canBecome(to)).as("%s -> %s", from, to).isEqualTo(DRAWN.get(from).contains(to));
            }
        }
    }

    @Test
    void noStateLeadsToItselfNorBackToAnInvitationExceptFromIneligible() {
        for (EnrollmentStatus s : EnrollmentStatus.values()) {
            assertThat(s.canBecome(s)).as("%s -> itself", s).isFalse();
            assertThat(s.canBecome(INVITED)).as("%s -> INVITED", s).isEqualTo(s == INELIGIBLE);
        }
    }

    @Test
    void withdrawnAndExpiredAreFinalAndTheOnlyOnesNotLive() {
        for (EnrollmentStatus s : EnrollmentStatus.values()) {
            boolean last = s == WITHDRAWN || s == EXPIRED;
            assertThat(s.isLive()).as("%s live", s).isEqualTo(!last);
            if (last) {
                for (EnrollmentStatus any : EnrollmentStatus.values()) {
                    assertThat(s.canBecome(any)).as("%s -> %s", s, any).isFalse();
                }
            }
        }
    }

    @Test
    void onTheWayInAreTheStatesBeforeEnrolment() {
        assertThat(EnumSet.allOf(EnrollmentStatus.class).stream().filter(EnrollmentStatus::isOnTheWayIn))
                .containsExactlyInAnyOrder(INVITED, ACTION_REQUIRED, VALIDATING);
    }

    @Test
    void afterAcceptanceThePayoutProfileDecidesTheStatus() {
        assertThat(EnrollmentStatus.forProfile(PayoutProfileState.COMPLETE)).isEqualTo(ENROLLED);
        assertThat(EnrollmentStatus.forProfile(PayoutProfileState.VALIDATING)).isEqualTo(VALIDATING);
        assertThat(EnrollmentStatus.forProfile(PayoutProfileState.INCOMPLETE)).isEqualTo(ACTION_REQUIRED);
        // No profile at all yet: the partner has something to do.
        assertThat(EnrollmentStatus.forProfile(null)).isEqualTo(ACTION_REQUIRED);
        // Each is a status an invitation may become on acceptance.
        for (PayoutProfileState p : PayoutProfileState.values()) {
            assertThat(INVITED.canBecome(EnrollmentStatus.forProfile(p))).as("INVITED -> for %s", p).isTrue();
        }
    }
}
