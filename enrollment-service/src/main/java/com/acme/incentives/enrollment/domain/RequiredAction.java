package com.acme.incentives.enrollment.domain;

import com.acme.incentives.enrollment.EnrollmentMessages;
import java.util.ArrayList;
import java.util.List;

/**
 * What a partner must do for an enrolment in {@code ACTION_REQUIRED} to move on (docs/product.md "Invitations and
 * enrolments": "accepted, tax or bank profile missing"), read from payout-service's last PayoutProfileStatusChanged
 * for the location, and the public operation that does it: each code names the profile and what is wrong with it, so
 * a portal can send the partner to the right form. The profiles live in payout-service; this service only knows their
 * state from its events.
 */
public enum RequiredAction {
    TAX_PROFILE_MISSING(EnrollmentMessages.ACTION_TAX_PROFILE_MISSING, "createTaxProfile", "POST", "tax-profiles"),
    TAX_PROFILE_EXPIRED(EnrollmentMessages.ACTION_TAX_PROFILE_EXPIRED, "createTaxProfile", "POST", "tax-profiles"),
    BANK_PROFILE_MISSING(EnrollmentMessages.ACTION_BANK_PROFILE_MISSING, "createBankProfile", "POST",
            "payment-profiles"),
    BANK_PROFILE_REJECTED(EnrollmentMessages.ACTION_BANK_PROFILE_REJECTED, "createBankProfile", "POST",
            "payment-profiles"),
    /** The state is known only as INCOMPLETE (an event applied before the details were kept): read the profiles. */
    PAYOUT_PROFILES_INCOMPLETE(EnrollmentMessages.ACTION_PAYOUT_PROFILES_INCOMPLETE, "listTaxProfiles", "GET",
            "tax-profiles");

    /** What to do, for a person: told in the request's language ({@code detail.text()}). */
    public final EnrollmentMessages detail;
    /** The public operation that resolves it (the contract's operationId). */
    public final String operationId;
    public final String method;
    /** The organization's collection, under {@code /api/v1/organizations/{orgId}/}, that the operation works on. */
    public final String collection;

    RequiredAction(EnrollmentMessages detail, String operationId, String method, String collection) {
        this.detail = detail;
        this.operationId = operationId;
        this.method = method;
        this.collection = collection;
    }

    /**
     * The actions a location's payout profiles call for; {@code profile} null means payout-service has published
     * nothing for the location, i.e. neither profile was ever submitted.
     */
    public static List<RequiredAction> forProfile(PayoutProfileStatus profile) {
        if (profile == null) {
            return List.of(TAX_PROFILE_MISSING, BANK_PROFILE_MISSING);
        }
        List<RequiredAction> actions = new ArrayList<>();
        if ("MISSING".equals(profile.taxProfile)) {
            actions.add(TAX_PROFILE_MISSING);
        } else if ("EXPIRED".equals(profile.taxProfile)) {
            actions.add(TAX_PROFILE_EXPIRED);
        }
        if ("MISSING".equals(profile.bankProfile)) {
            actions.add(BANK_PROFILE_MISSING);
        } else if ("ACTION_REQUIRED".equals(profile.bankProfile)) {
            actions.add(BANK_PROFILE_REJECTED);
        }
        if (actions.isEmpty() && profile.status == PayoutProfileState.INCOMPLETE) {
            actions.add(PAYOUT_PROFILES_INCOMPLETE);
        }
        return actions;
    }
}
