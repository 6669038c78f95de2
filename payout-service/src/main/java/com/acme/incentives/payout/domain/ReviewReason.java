package com.acme.incentives.payout.domain;

/**
 * Why the bank validation sent a profile to an operator (IN_REVIEW) instead of approving it: nothing a bank would
 * refuse, but what a payment-diversion fraud looks like. The profile's {@code statusReasonCode} is the
 * {@link BankProfileReason} of the same name (its text in the reader's language); the code stays on the profile as
 * {@code reviewReason} after the review, so the version history says why a person decided.
 */
public enum ReviewReason {
    /** Values: the bank country, the countries of the organization's locations (comma-separated). */
    FOREIGN_BANK_COUNTRY(BankProfileReason.FOREIGN_BANK_COUNTRY),
    /** Values: the last four of the account last approved, the last four of the corrected one. */
    ACCOUNT_CHANGED_AFTER_PAYMENT(BankProfileReason.ACCOUNT_CHANGED_AFTER_PAYMENT);

    private final BankProfileReason reason;

    ReviewReason(BankProfileReason reason) {
        this.reason = reason;
    }

    /** The reason the profile shows while in review. */
    public BankProfileReason reason() {
        return reason;
    }

    public static boolean isName(String value) {
        for (ReviewReason r : values()) {
            if (r.name().equals(value)) {
                return true;
            }
        }
        return false;
    }
}
