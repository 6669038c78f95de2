package com.acme.incentives.identity.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The data of identity-service's events on {@code identity.events} (contracts in docs/events.md). Records so that the
 * JSON shape is visible in one place. Every event is keyed by organization id, so one organization's events stay in
 * order.
 */
public final class IdentityEvents {

    public static final String ORGANIZATION_REGISTERED = "OrganizationRegistered";
    public static final String LOCATION_ADDED = "LocationAdded";
    public static final String USER_CREATED = "UserCreated";
    public static final String ROLES_CHANGED = "RolesChanged";
    public static final String USER_ACTIVATED = "UserActivated";
    public static final String USER_DEACTIVATED = "UserDeactivated";
    public static final String USER_REACTIVATED = "UserReactivated";
    public static final String USER_LOCALE_CHANGED = "UserLocaleChanged";
    public static final String USER_EMAIL_PREFERENCES_CHANGED = "UserEmailPreferencesChanged";

    private IdentityEvents() {
    }

    public record OrganizationRegistered(UUID organizationId, String name, String primaryContactEmail,
            String primaryContactFirstName, String primaryContactLastName, Instant registeredAt) {
    }

    public record LocationAdded(UUID organizationId, String partnerId, String name, String country,
            String partnerType, Instant addedAt) {
    }

    public record UserCreated(UUID organizationId, UUID userId, String email, String firstName, String lastName,
            List<String> roles, List<String> locations, String createdBy, Instant createdAt, String locale) {
    }

    /** {@code locale}: en, ja, ko, or null when the user's choice was removed. */
    public record UserLocaleChanged(UUID organizationId, UUID userId, String email, String locale, String changedBy,
            Instant changedAt) {
    }

    /** {@code nonCriticalEmails}: false once the user opted out of the non-critical emails. */
    public record UserEmailPreferencesChanged(UUID organizationId, UUID userId, String email,
            boolean nonCriticalEmails, Instant changedAt) {
    }

    public record RolesChanged(UUID organizationId, UUID userId, String email, List<String> roles,
            List<String> locations, String changedBy, Instant changedAt) {
    }

    public record UserActivated(UUID organizationId, UUID userId, String email, List<String> roles,
            Instant activatedAt) {
    }

    public record UserDeactivated(UUID organizationId, UUID userId, String email, String deactivatedBy,
            Instant deactivatedAt) {
    }

    public record UserReactivated(UUID organizationId, UUID userId, String email, String reactivatedBy,
            Instant reactivatedAt) {
    }
}
