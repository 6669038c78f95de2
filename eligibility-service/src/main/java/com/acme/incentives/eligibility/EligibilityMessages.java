package com.acme.incentives.eligibility;

import com.acme.incentives.platform.i18n.MessageKey;

/**
 * eligibility-service's own texts (bundle {@code messages/eligibility}, in English, Japanese and Korean); the ones every
 * service shares are the platform's {@link com.acme.incentives.platform.i18n.PlatformMessages}. A field message's key is
 * its error's code.
 */
public enum EligibilityMessages implements MessageKey {
    PROGRAMME_NOT_FOUND,
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
