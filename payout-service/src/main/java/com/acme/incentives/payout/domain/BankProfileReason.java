package com.acme.incentives.payout.domain;

import com.acme.incentives.payout.PayoutMessages;
import com.acme.incentives.platform.i18n.Messages;

import java.util.Locale;

/**
 * Why a bank profile is ACTION_REQUIRED or IN_REVIEW: the name is the stable machine code a front-end switches on
 * ({@code statusReasonCode}); the text, made from the code and its values, is in the reader's language.
 */
public enum BankProfileReason {
    /** Values: the IBAN's country, the bank country. */
    IBAN_COUNTRY_MISMATCH(PayoutMessages.BANK_REASON_IBAN_COUNTRY_MISMATCH),
    /** Values: the BIC's country, the bank country. */
    BIC_COUNTRY_MISMATCH(PayoutMessages.BANK_REASON_BIC_COUNTRY_MISMATCH),
    /** Values: the profile's currency. */
    ROUTING_NUMBER_NOT_USD(PayoutMessages.BANK_REASON_ROUTING_NUMBER_NOT_USD),
    /** Values: the profile's currency. */
    ZENGIN_NOT_JPY(PayoutMessages.BANK_REASON_ZENGIN_NOT_JPY),
    /** Values: the profile's currency. */
    KOREAN_ACCOUNT_NOT_KRW(PayoutMessages.BANK_REASON_KOREAN_ACCOUNT_NOT_KRW),
    /** Values: the refused payment's id, the bank's reason (ISO 20022 code and text). */
    BANK_REFUSED_ACCOUNT(PayoutMessages.BANK_REASON_BANK_REFUSED_ACCOUNT),
    /** IN_REVIEW ({@link ReviewReason}). Values: the bank country, the organization's locations' countries. */
    FOREIGN_BANK_COUNTRY(PayoutMessages.BANK_REASON_FOREIGN_BANK_COUNTRY),
    /** IN_REVIEW ({@link ReviewReason}). Values: last four of the account last approved, of the new one. */
    ACCOUNT_CHANGED_AFTER_PAYMENT(PayoutMessages.BANK_REASON_ACCOUNT_CHANGED_AFTER_PAYMENT),
    /** An operator rejected the profile in review. Values: the operator's reason, in their words. */
    OPERATOR_REJECTED(PayoutMessages.BANK_REASON_OPERATOR_REJECTED);

    private final PayoutMessages text;

    BankProfileReason(PayoutMessages text) {
        this.text = text;
    }

    public String text(Locale language, String... values) {
        return Messages.text(language, text, (Object[]) values);
    }

    /** The reason in the reader's language; a reason stored before codes existed (no code) as it was written. */
    public static String render(String code, String[] values, String storedText, Locale language) {
        if (code == null) {
            return storedText;
        }
        return valueOf(code).text(language, values == null ? new String[0] : values);
    }
}
