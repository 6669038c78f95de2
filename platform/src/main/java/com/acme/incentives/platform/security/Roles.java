package com.acme.incentives.platform.security;

/** The realm roles of docs/product.md "Users and roles", as they appear in tokens (realm_access.roles). */
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
    /**
     * The roles of an organization's API clients (a partner system's own credentials, never a person): one per scope an
     * organization may give such a client (Capabilities.API_CLIENT_SCOPES), each with exactly that scope's capability.
     * They are roles rather than OAuth scopes so that every service checks them where it checks a person's roles.
     */
    public static final String API_ORGANIZATION_READ = "API_ORGANIZATION_READ";
    public static final String API_INCENTIVES_READ = "API_INCENTIVES_READ";

    private Roles() {
    }
}
