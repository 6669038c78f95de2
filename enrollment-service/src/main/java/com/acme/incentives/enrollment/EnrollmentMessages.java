package com.acme.incentives.enrollment;

import com.acme.incentives.platform.i18n.MessageKey;

/**
 * enrollment-service's own texts (bundle {@code messages/enrollment}, in English, Japanese and Korean); the ones every
 * service shares are the platform's {@link com.acme.incentives.platform.i18n.PlatformMessages}. A field message's key is
 * its error's code.
 */
public enum EnrollmentMessages implements MessageKey {
    MIGRATION_WAVE_NOT_FOUND,
    MIGRATION_NOT_FOUND,
    ENROLMENT_NOT_FOUND,
    INVITATION_NOT_FOUND,
    INVITATION_ALREADY_ACCEPTED,
    INVITATION_EXPIRED,
    LOCATION_NOT_ELIGIBLE,
    ENROLMENT_NOT_INVITED,
    ENROLMENT_CANNOT_BE_WITHDRAWN,
    MIGRATION_ALREADY_COMPLETED,
    MIGRATION_NOT_STARTED,
    MIGRATION_USERS_NOT_SET_UP,
    ADMIN_MUST_SIGN_IN,
    ROLE_LIMITED_TO_LOCATIONS,
    LOCATION_PROGRAM_NOT_FOUND,
    NOT_ELIGIBLE_NOW,
    ENROLMENT_ALREADY_OPEN,
    // --- what an enrolment in ACTION_REQUIRED needs (requiredActions[].detail) ---
    ACTION_TAX_PROFILE_MISSING,
    ACTION_TAX_PROFILE_EXPIRED,
    ACTION_BANK_PROFILE_MISSING,
    ACTION_BANK_PROFILE_REJECTED,
    ACTION_PAYOUT_PROFILES_INCOMPLETE,
    // --- what a migration still misses (the "missing" items' detail) ---
    MISSING_WAVE_START,
    MISSING_ADMIN_SIGN_IN,
    MISSING_USER_NOT_CREATED,
    MISSING_USER_DEACTIVATED,
    MISSING_USER_ROLE,
    // --- field messages ---
    STARTS_IN_THE_PAST,
    STARTS_TOO_FAR_AHEAD,
    ORGANIZATION_LISTED_TWICE,
    UNKNOWN_ORGANIZATION,
    ALREADY_IN_WAVE,
    INCENTIVE_ADMIN_REQUIRED,
    PROGRAMME_LISTED_TWICE,
    NOT_A_LOCATION_OF,
    TIMESTAMP_OR_DATE,
    TO_BEFORE_FROM,
    // --- what to do about a held payment (the payment-held email; one per payout-service hold reason) ---
    HOLD_NOT_ENROLLED,
    HOLD_TAX_PROFILE_MISSING,
    HOLD_TAX_PROFILE_EXPIRED,
    HOLD_BANK_PROFILE_MISSING,
    HOLD_BANK_PROFILE_NOT_APPROVED,
    HOLD_PARTNER_HOLD,
    HOLD_BELOW_THRESHOLD,
    HOLD_OPERATOR_HOLD,
    // --- webhooks ---
    WEBHOOK_ENDPOINT_NOT_FOUND,
    WEBHOOK_MESSAGE_NOT_FOUND,
    WEBHOOK_URL_INVALID,
    WEBHOOK_URL_NOT_HTTPS,
    WEBHOOK_URL_USER_INFO,
    WEBHOOK_URL_UNRESOLVABLE,
    WEBHOOK_URL_NOT_PUBLIC,
    WEBHOOK_EVENT_TYPE_UNKNOWN,
    WEBHOOK_EVENT_TYPE_TWICE,
    WEBHOOK_DISABLED_FAILING;

    @Override
    public String bundle() {
        return "messages/enrollment";
    }
}
