package com.acme.incentives.eligibility;

import com.acme.incentives.platform.i18n.MessageKey;

/**
 * eligibility-service's own texts (bundle {@code messages/eligibility}, in English, Japanese and Korean); the ones every
 * service shares are the platform's {@link com.acme.incentives.platform.i18n.PlatformMessages}. A field message's key is
 * its error's code.
 */
public enum EligibilityMessages implements MessageKey {
    PROGRAMME_NOT_FOUND,
    // --- checklist reasons (domain.ReasonCode) and the words they are made of ---
    REASON_ACTIVE,
    REASON_ACTIVE_UNTIL,
    REASON_NONE_ON_RECORD,
    REASON_NOT_VALID_BEFORE,
    REASON_EXPIRED,
    REASON_TERMINATED,
    REASON_NO_FIRST_TRANSACTION,
    REASON_FIRST_TRANSACTION_IN_FUTURE,
    REASON_FIRST_TRANSACTION_RECORDED,
    REASON_PROGRAM_NOT_OFFERED,
    SUBJECT_AGREEMENT,
    SUBJECT_COMPETENCY,
    LEVELS_EITHER,
    // --- field messages ---
    BEFORE_VALID_FROM,
    REPEATS_ROW,
    BATCH_EMPTY,
    BATCH_TOO_LARGE,
    AGREEMENT_TYPE_REQUIRED,
    AGREEMENT_TYPE_NOT_APPLICABLE,
    LEVELS_REQUIRED,
    LEVELS_NOT_APPLICABLE,
    CRITERION_LISTED_TWICE,
    UNKNOWN_COUNTRY;

    @Override
    public String bundle() {
        return "messages/eligibility";
    }
}
