package com.acme.incentives.platform.security;

/** The realm roles of PRODUCT.md, as they appear in tokens (realm_access.roles). */
public final class Roles {
    public static final String GLOBAL_ADMIN = "GLOBAL_ADMIN";
    public static final String ACCOUNT_ADMIN = "ACCOUNT_ADMIN";
    public static final String USER_ADMIN = "USER_ADMIN";
    public static final String INCENTIVE_ADMIN = "INCENTIVE_ADMIN";
    public static final String INCENTIVE_USER = "INCENTIVE_USER";
    public static final String PROGRAM_OPERATOR = "PROGRAM_OPERATOR";
    public static final String PARTNER_FEED = "PARTNER_FEED";
    /** The bank channel's machine client: delivers the bank's payment status reports to payout-service. */
    public static final String BANK_CONNECTOR = "BANK_CONNECTOR";

    private Roles() {
    }
}
