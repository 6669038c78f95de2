package com.acme.incentives.payout.domain;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** The hold rules of docs/product.md "Hold rules" for one payment, all reasons listed (not just the first). */
public final class HoldRules {

    private HoldRules() {
    }

    /** What the run knows about a payment's location and programme when it decides. */
    public record Facts(String enrollmentStatus, boolean hasTaxProfile, LocalDate taxExpiresOn, boolean hasBankProfile,
            String bankStatus, boolean partnerHold, BigDecimal amount, BigDecimal usdRate, BigDecimal thresholdUsd,
            LocalDate today, boolean operatorHold) {
    }

    public static List<HoldReason> reasons(Facts f) {
        List<HoldReason> reasons = new ArrayList<>();
        if (!"ENROLLED".equals(f.enrollmentStatus())) {
            reasons.add(HoldReason.NOT_ENROLLED);
        }
        if (!f.hasTaxProfile()) {
            reasons.add(HoldReason.TAX_PROFILE_MISSING);
        } else if (f.taxExpiresOn().isBefore(f.today())) {
            reasons.add(HoldReason.TAX_PROFILE_EXPIRED);
        }
        if (!f.hasBankProfile()) {
            reasons.add(HoldReason.BANK_PROFILE_MISSING);
        } else if (!BankProfileStatus.APPROVED.name().equals(f.bankStatus())) {
            reasons.add(HoldReason.BANK_PROFILE_NOT_APPROVED);
        }
        if (f.partnerHold()) {
            reasons.add(HoldReason.PARTNER_HOLD);
        }
        // Zero or negative totals (adjustments) are below any threshold: they roll forward and net out later.
        if (f.amount().multiply(f.usdRate()).compareTo(f.thresholdUsd()) < 0) {
            reasons.add(HoldReason.BELOW_THRESHOLD);
        }
        // Persisted on the payment by the operator's hold; only an operator's release takes it away.
        if (f.operatorHold()) {
            reasons.add(HoldReason.OPERATOR_HOLD);
        }
        return reasons;
    }
}
