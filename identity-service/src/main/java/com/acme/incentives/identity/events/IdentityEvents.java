package com.acme.incentives.identity.events;

import java.time.Instant;
import java.util.UUID;

/**
 * The data of identity-service's events on {@code identity.events} (contracts in docs/events.md). Records so that the
 * JSON shape is visible in one place.
 */
public final class IdentityEvents {

    public static final String ORGANIZATION_REGISTERED = "OrganizationRegistered";
    public static final String LOCATION_ADDED = "LocationAdded";

    private IdentityEvents() {
    }

    public record OrganizationRegistered(UUID organizationId, String name, String primaryContactEmail,
            String primaryContactFirstName, String primaryContactLastName, Instant registeredAt) {
    }

    public record LocationAdded(UUID organizationId, String partnerId, String name, String country,
            String partnerType, Instant addedAt) {
    }
}
