package com.acme.incentives.payout.domain;

import com.acme.incentives.payout.domain.HoldRules.Facts;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/product.md "Hold rules", one payment at a time: each reason on its own, several at once (all listed, in
 * HoldReason's order, never only the first), and the edges of the dates and the threshold.
 */
class HoldRulesTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 3, 1);
    private static final BigDecimal THRESHOLD_USD = new BigDecimal("50");
    /** 1 EUR = 1.10 USD for these tests. */
    private static final BigDecimal EUR_USD = new BigDecimal("1.10");

    /** Everything in order: enrolled, valid tax profile, approved bank profile, no holds, 100 EUR. */
    private static Facts payable() {
        return new Facts("ENROLLED", true, TODAY.plusYears(1), true, "APPROVED", false, new BigDecimal("100.00"),
                EUR_USD, THRESHOLD_USD, TODAY, false);
    }

    private static Facts with(String enrollment, boolean hasTax, LocalDate taxExpiresOn, boolean hasBank,
            String bankStatus, boolean partnerHold, String amount, boolean operatorHold) {
        return new Facts(enrollment, hasTax, taxExpiresOn, hasBank, bankStatus, partnerHold, new BigDecimal(amount),
                EUR_USD, THRESHOLD_USD, TODAY, operatorHold);
    }

    @Test
    void aPaymentWithEverythingInOrderIsNotHeld() {
        assertThat(HoldRules.reasons(payable())).isEmpty();
    }

    @Test
    void eachReasonOnItsOwn() {
        LocalDate valid = TODAY.plusYears(1);
        for (String status : List.of("INVITED", "ACTION_REQUIRED", "VALIDATING", "INELIGIBLE", "WITHDRAWN",
                "EXPIRED")) {
            assertThat(HoldRules.reasons(with(status, true, valid, true, "APPROVED", false, "100.00", false)))
                    .as(status).containsExactly(HoldReason.NOT_ENROLLED);
        }
        assertThat(HoldRules.reasons(with("ENROLLED", false, null, true, "APPROVED", false, "100.00", false)))
                .containsExactly(HoldReason.TAX_PROFILE_MISSING);
        assertThat(HoldRules.reasons(with("ENROLLED", true, TODAY.minusDays(1), true, "APPROVED", false, "100.00",
                false))).containsExactly(HoldReason.TAX_PROFILE_EXPIRED);
        assertThat(HoldRules.reasons(with("ENROLLED", true, valid, false, null, false, "100.00", false)))
                .containsExactly(HoldReason.BANK_PROFILE_MISSING);
        for (BankProfileStatus status : EnumSet.complementOf(EnumSet.of(BankProfileStatus.APPROVED))) {
            assertThat(HoldRules.reasons(with("ENROLLED", true, valid, true, status.name(), false, "100.00", false)))
                    .as(status.name()).containsExactly(HoldReason.BANK_PROFILE_NOT_APPROVED);
        }
        assertThat(HoldRules.reasons(with("ENROLLED", true, valid, true, "APPROVED", true, "100.00", false)))
                .containsExactly(HoldReason.PARTNER_HOLD);
        assertThat(HoldRules.reasons(with("ENROLLED", true, valid, true, "APPROVED", false, "45.45", false)))
                .containsExactly(HoldReason.BELOW_THRESHOLD);
        assertThat(HoldRules.reasons(with("ENROLLED", true, valid, true, "APPROVED", false, "100.00", true)))
                .containsExactly(HoldReason.OPERATOR_HOLD);
    }

    @Test
    void everyReasonAtOnceIsListedInOrder() {
        assertThat(HoldRules.reasons(with("VALIDATING", false, null, false, null, true, "10.00", true)))
                .containsExactly(HoldReason.NOT_ENROLLED, HoldReason.TAX_PROFILE_MISSING,
                        HoldReason.BANK_PROFILE_MISSING, HoldReason.PARTNER_HOLD, HoldReason.BELOW_THRESHOLD,
                        HoldReason.OPERATOR_HOLD);
        // The other branch of each profile: there, but expired / not approved.
        assertThat(HoldRules.reasons(with("ENROLLED", true, TODAY.minusYears(1), true, "ACTION_REQUIRED", false,
                "100.00", true))).containsExactly(HoldReason.TAX_PROFILE_EXPIRED,
                        HoldReason.BANK_PROFILE_NOT_APPROVED, HoldReason.OPERATOR_HOLD);
    }

    @Test
    void aTaxProfileExpiringTodayStillCounts() {
        assertThat(HoldRules.reasons(with("ENROLLED", true, TODAY, true, "APPROVED", false, "100.00", false)))
                .isEmpty();
    }

    @Test
    void theThresholdIsInDollarsAtThePeriodsRateAndReachingItIsEnough() {
        // 45.46 EUR × 1.10 = 50.006 USD: at or above 50 USD is paid; 45.45 EUR = 49.995 USD is held.
        assertThat(HoldRules.reasons(with("ENROLLED", true, TODAY.plusYears(1), true, "APPROVED", false, "45.46",
                false))).isEmpty();
        assertThat(HoldRules.reasons(new Facts("ENROLLED", true, TODAY.plusYears(1), true, "APPROVED", false,
                new BigDecimal("50.00"), BigDecimal.ONE, THRESHOLD_USD, TODAY, false))).isEmpty();
        assertThat(HoldRules.reasons(with("ENROLLED", true, TODAY.plusYears(1), true, "APPROVED", false, "45.45",
                false))).containsExactly(HoldReason.BELOW_THRESHOLD);
    }

    @Test
    void zeroAndNegativeTotalsAreHeldBelowTheThreshold() {
        // Adjustments: they roll forward and net out against later earnings.
        for (String amount : List.of("0.00", "-20.05")) {
            assertThat(HoldRules.reasons(with("ENROLLED", true, TODAY.plusYears(1), true, "APPROVED", false, amount,
                    false))).as(amount).containsExactly(HoldReason.BELOW_THRESHOLD);
        }
        // Even without a threshold, a negative total is never sent to the bank.
        assertThat(HoldRules.reasons(new Facts("ENROLLED", true, TODAY.plusYears(1), true, "APPROVED", false,
                new BigDecimal("-0.01"), EUR_USD, BigDecimal.ZERO, TODAY, false)))
                .containsExactly(HoldReason.BELOW_THRESHOLD);
    }
}
