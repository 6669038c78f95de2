package com.acme.incentives.identity.rest;

import com.acme.incentives.platform.security.Roles;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The roles table of PRODUCT.md as the list of actions a portal may offer a user. Each service enforces its own
 * rules; this list only tells a front end what to show.
 */
final class Actions {

    private static final Map<String, List<String>> BY_ROLE = Map.of(
            Roles.GLOBAL_ADMIN, List.of("organization:read", "locations:add", "users:manage", "users:manage-global-admins",
                    "passwords:reset", "passwords:reset-global-admins", "roles:assign", "incentives:manage",
                    "incentives:read"),
            Roles.ACCOUNT_ADMIN, List.of("organization:read", "locations:add", "roles:assign-incentive",
                    "profiles:manage"),
            Roles.USER_ADMIN, List.of("organization:read", "users:manage", "passwords:reset"),
            Roles.INCENTIVE_ADMIN, List.of("organization:read", "incentives:manage", "incentives:read",
                    "enrollments:manage", "profiles:manage", "incentive-users:manage", "migration:complete"),
            Roles.INCENTIVE_USER, List.of("organization:read", "incentives:read"),
            Roles.PROGRAM_OPERATOR, List.of("organizations:register", "programs:manage", "migration-waves:manage",
                    "payout-runs:manage", "holds:review"),
            Roles.PARTNER_FEED, List.of("feeds:push"));

    private Actions() {
    }

    static List<String> allowedFor(Set<String> roles) {
        Set<String> actions = new TreeSet<>();
        for (String role : roles) {
            actions.addAll(BY_ROLE.getOrDefault(role, List.of()));
        }
        return List.copyOf(actions);
    }
}
