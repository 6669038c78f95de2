package com.acme.incentives.identity;

import com.acme.incentives.platform.i18n.MessageKey;

/**
 * identity-service's own texts (bundle {@code messages/identity}, in English, Japanese and Korean); the ones every
 * service shares are the platform's {@link com.acme.incentives.platform.i18n.PlatformMessages}. A field message's key is
 * its error's code.
 */
public enum IdentityMessages implements MessageKey {
    IDENTITY_PROVIDER_UNAVAILABLE,
    EMAIL_TAKEN,
    EMAIL_BEING_CREATED,
    USER_NOT_FOUND,
    LOCATION_OF_ORGANIZATION_NOT_FOUND,
    PARTNER_ID_TAKEN,
    RESET_OF_DEACTIVATED_USER,
    CANNOT_DEACTIVATE_SELF,
    LAST_GLOBAL_ADMIN_DEMOTED,
    LAST_GLOBAL_ADMIN_DEACTIVATED,
    ONLY_ADMINS_READ_USERS,
    ONLY_GLOBAL_ADMIN_RESETS_GLOBAL_ADMIN,
    ONLY_GLOBAL_ADMIN_GRANTS_GLOBAL_ADMIN,
    ONLY_GLOBAL_ADMIN_CHANGES_GLOBAL_ADMIN,
    INCENTIVE_ADMIN_MANAGES_INCENTIVE_USERS,
    ACCOUNT_ADMIN_CHANGES_INCENTIVE_ROLES,
    ROLE_CANNOT_MANAGE_USERS,
    LOCALE_ONLY_FOR_ORGANIZATION_USERS,
    EMAIL_PREFERENCES_ONLY_FOR_ORGANIZATION_USERS,
    API_CLIENT_NOT_FOUND,
    API_CLIENT_REVOKED,
    // --- field messages ---
    LOCATIONS_NEED_INCENTIVE_ROLE,
    UNKNOWN_COUNTRY,
    ROLES_REQUIRED,
    NOT_AN_ORGANIZATION_ROLE,
    ONE_ADMIN_ROLE,
    ONE_INCENTIVE_ROLE,
    UNSUPPORTED_LOCALE,
    SCOPES_REQUIRED,
    NOT_AN_API_CLIENT_SCOPE;

    @Override
    public String bundle() {
        return "messages/identity";
    }
}
