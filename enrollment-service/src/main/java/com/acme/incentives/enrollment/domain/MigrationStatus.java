package com.acme.incentives.enrollment.domain;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * An organization's migration (docs/product.md "Migration of already-enrolled organizations"): every allowed
 * transition is written here; {@link WaveOrganization#transition} refuses anything else.
 */
public enum MigrationStatus {
    SCHEDULED, NOTIFIED, USERS_SET_UP, COMPLETED;

    private static final Map<MigrationStatus, Set<MigrationStatus>> ALLOWED = Map.of(
            SCHEDULED, EnumSet.of(NOTIFIED),
            // the listed users can be set up before anyone reads the email: NOTIFIED -> USERS_SET_UP in one go
            NOTIFIED, EnumSet.of(USERS_SET_UP),
            // a listed user deactivated or losing the role before completion undoes "set up"
            USERS_SET_UP, EnumSet.of(NOTIFIED, COMPLETED),
            COMPLETED, EnumSet.noneOf(MigrationStatus.class));

    public boolean canBecome(MigrationStatus next) {
        return ALLOWED.get(this).contains(next);
    }
}
