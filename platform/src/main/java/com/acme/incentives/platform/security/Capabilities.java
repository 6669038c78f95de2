package com.acme.incentives.platform.security;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What each role may do, as capabilities: the one table that {@code GET /me} shows a portal ({@code actions}) and that
 * every operation open to an organization's users names in its OpenAPI description ({@value #EXTENSION}: the
 * capabilities any one of which lets a caller in). Each service still enforces its own {@code @RolesAllowed}; the
 * build checks that those roles are exactly the organization roles this table gives one of the operation's
 * capabilities (platform test-jar {@code OpenApiRules}), so what {@code /me} promises and what the services answer
 * cannot drift apart.
 *
 * <p>Decision (docs/product.md "Users and roles": a global admin may do "everything in its organization"; the partner
 * centre lets a global admin see and run its incentives): {@code GLOBAL_ADMIN} reads and manages incentives like an
 * incentive admin (programmes, eligibility, invitations, enrolments, tax and bank profiles, payout assignments,
 * earnings, payments, statements) and accepts and withdraws enrolments. Completing a migration stays the incentive
 * admin's (docs/product.md "Migration of already-enrolled organizations": the incentive admin who signed in with their
 * own credentials completes it).
 */
public final class Capabilities {

    /** The OpenAPI extension of an operation listing its capabilities (a JSON array of names). */
    public static final String EXTENSION = "x-capabilities";

    /** Read the organization and its locations. */
    public static final String ORGANIZATION_READ = "organization:read";
    /** Add locations. */
    public static final String LOCATIONS_ADD = "locations:add";
    /** Create, change, deactivate and reactivate users, reset passwords (a user admin: not of global admins). */
    public static final String USERS_MANAGE = "users:manage";
    public static final String USERS_MANAGE_GLOBAL_ADMINS = "users:manage-global-admins";
    public static final String PASSWORDS_RESET = "passwords:reset";
    public static final String PASSWORDS_RESET_GLOBAL_ADMINS = "passwords:reset-global-admins";
    /** Assign any role. */
    public static final String ROLES_ASSIGN = "roles:assign";
    /** Assign incentive roles and their locations (an account admin). */
    public static final String ROLES_ASSIGN_INCENTIVE = "roles:assign-incentive";
    /** Create and manage users holding incentive roles only (an incentive admin). */
    public static final String INCENTIVE_USERS_MANAGE = "incentive-users:manage";
    /** Read programmes, eligibility, invitations, enrolments and their history, earnings, payments, statements. */
    public static final String INCENTIVES_READ = "incentives:read";
    /** Write tax and bank profiles and payout assignments. */
    public static final String INCENTIVES_MANAGE = "incentives:manage";
    /** Accept invitations, withdraw enrolments. */
    public static final String ENROLLMENTS_MANAGE = "enrollments:manage";
    /** Manage profiles (docs/product.md "Users and roles": account admins "manage profiles"). */
    public static final String PROFILES_MANAGE = "profiles:manage";
    /** Complete the organization's migration. */
    public static final String MIGRATION_COMPLETE = "migration:complete";
    /**
     * Read (and export) the organization's audit log: who changed what, in every service. Its global admins
     * (docs/product.md "Users and roles": "everything in its organization") and operators; the other roles see only
     * their own part's history.
     */
    public static final String AUDIT_LOG_READ = "audit-log:read";
    /** Create, list, rotate and revoke the organization's API clients (partner systems' credentials). */
    public static final String API_CLIENTS_MANAGE = "api-clients:manage";
    /**
     * Register, change, rotate and delete the organization's webhook endpoints and read their delivery logs (partner
     * systems told of payments, enrolments, eligibility and invitations): its global admins, who run "everything in its
     * organization" including what leaves it, and operators (support).
     */
    public static final String WEBHOOKS_MANAGE = "webhooks:manage";

    /**
     * The roles of an organization's members, people and API clients (the others belong to no organization): an
     * operation open to a capability lets in every one of them holding it, an organization's API clients included.
     */
    public static final List<String> ORGANIZATION_ROLES = List.of(Roles.GLOBAL_ADMIN, Roles.ACCOUNT_ADMIN,
            Roles.USER_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER, Roles.API_ORGANIZATION_READ,
            Roles.API_INCENTIVES_READ);

    /**
     * The scopes an organization may give its API clients, each granted as its role. Decision: reading only (an ERP
     * reconciling what it is paid); never user administration, and nothing that changes money or enrolments until a
     * partner system needs it.
     */
    public static final Map<String, String> API_CLIENT_SCOPES = Map.of(
            ORGANIZATION_READ, Roles.API_ORGANIZATION_READ,
            INCENTIVES_READ, Roles.API_INCENTIVES_READ);

    public static final Map<String, List<String>> BY_ROLE = Map.of(
            Roles.GLOBAL_ADMIN, List.of(ORGANIZATION_READ, LOCATIONS_ADD, USERS_MANAGE, USERS_MANAGE_GLOBAL_ADMINS,
                    PASSWORDS_RESET, PASSWORDS_RESET_GLOBAL_ADMINS, ROLES_ASSIGN, INCENTIVES_MANAGE, INCENTIVES_READ,
                    ENROLLMENTS_MANAGE, AUDIT_LOG_READ, API_CLIENTS_MANAGE, WEBHOOKS_MANAGE),
            Roles.ACCOUNT_ADMIN, List.of(ORGANIZATION_READ, LOCATIONS_ADD, ROLES_ASSIGN_INCENTIVE, PROFILES_MANAGE),
            Roles.USER_ADMIN, List.of(ORGANIZATION_READ, USERS_MANAGE, PASSWORDS_RESET),
            Roles.INCENTIVE_ADMIN, List.of(ORGANIZATION_READ, INCENTIVES_MANAGE, INCENTIVES_READ, ENROLLMENTS_MANAGE,
                    PROFILES_MANAGE, INCENTIVE_USERS_MANAGE, MIGRATION_COMPLETE),
            Roles.INCENTIVE_USER, List.of(ORGANIZATION_READ, INCENTIVES_READ),
            Roles.PROGRAM_OPERATOR, List.of("organizations:register", "programs:manage", "migration-waves:manage",
                    "payout-runs:manage", "holds:review", AUDIT_LOG_READ, API_CLIENTS_MANAGE, WEBHOOKS_MANAGE),
            Roles.PARTNER_FEED, List.of("feeds:push"),
            Roles.API_ORGANIZATION_READ, List.of(ORGANIZATION_READ),
            Roles.API_INCENTIVES_READ, List.of(INCENTIVES_READ));

    // The values of @Operation(extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true, value = ...))
    // (not a method-level @Extension, which SmallRye also copies onto the responses): any one of the listed
    // capabilities lets a member in.
    public static final String REQUIRES_ORGANIZATION_READ = "[\"" + ORGANIZATION_READ + "\"]";
    public static final String REQUIRES_LOCATIONS_ADD = "[\"" + LOCATIONS_ADD + "\"]";
    /** Reading users: whoever manages users, or assigns (incentive) roles. */
    public static final String REQUIRES_USERS_READ = "[\"" + USERS_MANAGE + "\",\"" + ROLES_ASSIGN_INCENTIVE
            + "\",\"" + INCENTIVE_USERS_MANAGE + "\"]";
    public static final String REQUIRES_USERS_MANAGE = "[\"" + USERS_MANAGE + "\",\"" + INCENTIVE_USERS_MANAGE
            + "\"]";
    public static final String REQUIRES_ROLES_ASSIGN = "[\"" + USERS_MANAGE + "\",\"" + ROLES_ASSIGN + "\",\""
            + ROLES_ASSIGN_INCENTIVE + "\",\"" + INCENTIVE_USERS_MANAGE + "\"]";
    public static final String REQUIRES_INCENTIVES_READ = "[\"" + INCENTIVES_READ + "\"]";
    public static final String REQUIRES_INCENTIVES_MANAGE = "[\"" + INCENTIVES_MANAGE + "\"]";
    public static final String REQUIRES_ENROLLMENTS_MANAGE = "[\"" + ENROLLMENTS_MANAGE + "\"]";
    /** A migration is read by whoever sets up its users or runs its incentives. */
    public static final String REQUIRES_MIGRATION_READ = "[\"" + USERS_MANAGE + "\",\"" + INCENTIVES_READ + "\"]";
    public static final String REQUIRES_MIGRATION_COMPLETE = "[\"" + MIGRATION_COMPLETE + "\"]";
    public static final String REQUIRES_AUDIT_LOG_READ = "[\"" + AUDIT_LOG_READ + "\"]";
    public static final String REQUIRES_API_CLIENTS_MANAGE = "[\"" + API_CLIENTS_MANAGE + "\"]";
    public static final String REQUIRES_WEBHOOKS_MANAGE = "[\"" + WEBHOOKS_MANAGE + "\"]";

    private Capabilities() {
    }

    /** Everything these roles may do, sorted (GET /me's {@code actions}). */
    public static List<String> of(Collection<String> roles) {
        Set<String> capabilities = new TreeSet<>();
        for (String role : roles) {
            capabilities.addAll(BY_ROLE.getOrDefault(role, List.of()));
        }
        return List.copyOf(capabilities);
    }

    /** The organization roles holding at least one of these capabilities. */
    public static Set<String> organizationRolesWithAny(Collection<String> capabilities) {
        Set<String> roles = new TreeSet<>();
        for (String role : ORGANIZATION_ROLES) {
            if (BY_ROLE.get(role).stream().anyMatch(capabilities::contains)) {
                roles.add(role);
            }
        }
        return roles;
    }
}
