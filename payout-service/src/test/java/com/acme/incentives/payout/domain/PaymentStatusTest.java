package com.acme.incentives.payout.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static com.acme.incentives.payout.domain.PaymentStatus.FAILED;
import static com.acme.incentives.payout.domain.PaymentStatus.FORFEITED;
import static com.acme.incentives.payout.domain.PaymentStatus.IN_PROGRESS;
import static com.acme.incentives.payout.domain.PaymentStatus.NEW;
import static com.acme.incentives.payout.domain.PaymentStatus.ON_HOLD;
import static com.acme.incentives.payout.domain.PaymentStatus.PAID;
import static com.acme.incentives.payout.domain.PaymentStatus.REJECTED;
import static com.acme.incentives.payout.domain.PaymentStatus.RETURNED;
import static com.acme.incentives.payout.domain.PaymentStatus.SENT;
import static com.acme.incentives.payout.domain.PaymentStatus.UPCOMING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The state machine's bank part: which report moves a payment where, and that nothing ever moves back. */
class PaymentStatusTest {

    /**
     * The whole machine as the class comment and docs/product.md "Payout runs and payments" draw it, written out again:
     * every pair of states is checked against it, so a transition added or dropped fails here until this table agrees.
     */
    private static final Map<PaymentStatus, Set<PaymentStatus>> DRAWN = new EnumMap<>(PaymentStatus.class);

    static {
        // A run decides a new payment: issued, held, or forfeited (earnings before the enrolment's start date).
        DRAWN.put(NEW, EnumSet.of(UPCOMING, ON_HOLD, FORFEITED));
        // A held payment stays held (its reasons change), is issued by a later run, or is forfeited.
        DRAWN.put(ON_HOLD, EnumSet.of(ON_HOLD, UPCOMING, FORFEITED));
        // Into a bank file, failed before it, or held by an operator first.
        DRAWN.put(UPCOMING, EnumSet.of(IN_PROGRESS, FAILED, ON_HOLD));
        DRAWN.put(IN_PROGRESS, EnumSet.of(SENT, PAID, REJECTED, FAILED));
        DRAWN.put(SENT, EnumSet.of(PAID, REJECTED));
        DRAWN.put(PAID, EnumSet.of(RETURNED));
        for (PaymentStatus last : EnumSet.of(FAILED, REJECTED, RETURNED, FORFEITED)) {
            DRAWN.put(last, EnumSet.noneOf(PaymentStatus.class));
        }
    }

    @Test
    void everyTransitionIsAllowedExactlyWhenTheMachineDrawsIt() {
        assertThat(DRAWN.keySet()).containsExactlyInAnyOrder(PaymentStatus.values());
        for (PaymentStatus from : PaymentStatus.values()) {
            for (PaymentStatus to : PaymentStatus.values()) {
                boolean allowed = DRAWN.get(from).contains(to);
                assertThat(from.canBecome(to)).as("%s -> %s", from, to).isEqualTo(allowed);
                if (allowed) {
                    assertThat(from.to(to)).isEqualTo(to);
                } else {
                    assertThatThrownBy(() -> from.to(to)).as("%s -> %s", from, to)
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessage("Payment cannot go from " + from + " to " + to);
                }
            }
        }
    }

    @Test
    void nothingGoesBackToNewAndOnlyAHeldPaymentStaysWhereItIs() {
        for (PaymentStatus s : PaymentStatus.values()) {
            assertThat(s.canBecome(NEW)).as("%s -> NEW", s).isFalse();
            assertThat(s.canBecome(s)).as("%s -> itself", s).isEqualTo(s == ON_HOLD);
        }
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource({
            // accepted (ACTC/ACCP/ACSP/ACWC): only a payment in progress becomes SENT
            "IN_PROGRESS, ACCEPTED, SENT",
            "SENT,        ACCEPTED, ",
            "PAID,        ACCEPTED, ", // PAID then a late ACSP: unchanged
            "REJECTED,    ACCEPTED, ",
            "RETURNED,    ACCEPTED, ",
            // settled (ACSC/ACCC): in progress or sent becomes PAID
            "IN_PROGRESS, SETTLED,  PAID",
            "SENT,        SETTLED,  PAID",
            "PAID,        SETTLED,  ",
            "REJECTED,    SETTLED,  ",
            "RETURNED,    SETTLED,  ",
            // refused (RJCT): before settlement a rejection, after it a return
            "IN_PROGRESS, REFUSED,  REJECTED",
            "SENT,        REFUSED,  REJECTED",
            "PAID,        REFUSED,  RETURNED",
            "REJECTED,    REFUSED,  ",
            "RETURNED,    REFUSED,  ",
            // pending statuses never change anything
            "IN_PROGRESS, PENDING,  ",
            "SENT,        PENDING,  ",
            "PAID,        PENDING,  ",
            "FAILED,      ACCEPTED, ",
            "FAILED,      REFUSED,  " })
    void aBankStatusMovesAPaymentForwardOnly(PaymentStatus from, BankOutcome outcome, PaymentStatus expected) {
        assertThat(from.afterBank(outcome)).isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void theBankTransitionsAreTheOnesTheMachineAllows() {
        assertThat(IN_PROGRESS.canBecome(SENT)).isTrue();
        assertThat(IN_PROGRESS.canBecome(PAID)).isTrue();
        assertThat(IN_PROGRESS.canBecome(REJECTED)).isTrue();
        assertThat(SENT.canBecome(PAID)).isTrue();
        assertThat(SENT.canBecome(REJECTED)).isTrue();
        assertThat(PAID.canBecome(RETURNED)).isTrue();
        // Never backwards, never out of a final state.
        assertThat(PAID.canBecome(SENT)).isFalse();
        assertThat(PAID.canBecome(REJECTED)).isFalse();
        assertThat(SENT.canBecome(IN_PROGRESS)).isFalse();
        assertThat(SENT.canBecome(RETURNED)).isFalse();
        for (PaymentStatus last : EnumSet.of(REJECTED, RETURNED, FAILED, PaymentStatus.FORFEITED)) {
            for (PaymentStatus any : PaymentStatus.values()) {
                assertThat(last.canBecome(any)).as("%s -> %s", last, any).isFalse();
            }
        }
        assertThatThrownBy(() -> PAID.to(SENT)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PAID to SENT");
    }

    @Test
    void anOperatorHoldsAPaymentOnlyBeforeItsBankFile() {
        assertThat(PaymentStatus.UPCOMING.canBecome(PaymentStatus.ON_HOLD)).isTrue();
        assertThat(PaymentStatus.ON_HOLD.canBecome(PaymentStatus.ON_HOLD)).isTrue();
        for (PaymentStatus sent : EnumSet.of(IN_PROGRESS, SENT, PAID, REJECTED, RETURNED, FAILED,
                PaymentStatus.FORFEITED)) {
            assertThat(sent.canBecome(PaymentStatus.ON_HOLD)).as("%s -> ON_HOLD", sent).isFalse();
        }
    }

    @Test
    void aReportCanOnlyBeAboutAPaymentHandedToTheBank() {
        assertThat(PaymentStatus.AT_THE_BANK).containsExactlyInAnyOrder(IN_PROGRESS, SENT, PAID, FAILED, REJECTED,
                RETURNED);
        for (PaymentStatus s : EnumSet.complementOf(EnumSet.copyOf(PaymentStatus.AT_THE_BANK))) {
            for (BankOutcome o : BankOutcome.values()) {
                assertThat(s.afterBank(o)).as("%s + %s", s, o).isEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({ "ACTC, ACCEPTED", "ACCP, ACCEPTED", "ACSP, ACCEPTED", "ACWC, ACCEPTED", "ACSC, SETTLED",
            "ACCC, SETTLED", "RJCT, REFUSED", "PDNG, PENDING", "RCVD, PENDING", "ACWP, PENDING" })
    void iso20022StatusCodesMapToOutcomes(String code, BankOutcome outcome) {
        assertThat(BankOutcome.of(code)).contains(outcome);
    }

    @Test
    void aCodeOutsideTheIsoListIsNotAnOutcome() {
        assertThat(BankOutcome.of("OKAY")).isEmpty();
        assertThat(BankOutcome.of("acsc")).isEmpty();
    }
}
