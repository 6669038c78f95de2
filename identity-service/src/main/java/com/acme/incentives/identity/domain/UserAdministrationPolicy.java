package com.acme.incentives.identity.domain;

import com.acme.incentives.identity.IdentityMessages;
import com.acme.incentives.platform.security.Roles;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who may do what to which user, inside their own organization (tenancy is checked before this). Written once here so
 * that the rules of docs/product.md "Users and roles" read as a table:
 * <ul>
 * <li>operators and {@code GLOBAL_ADMIN}: everything;</li>
 * <li>{@code USER_ADMIN}: create, change roles and languages, reset passwords, deactivate and reactivate users, but
 * never a global admin's account and never granting {@code GLOBAL_ADMIN};</li>
 * <li>{@code INCENTIVE_ADMIN}: the same for incentive users only (users whose roles are only incentive roles, before
 * and after the change): the migration flow has them set up their incentive users and hand out credentials;</li>
 * <li>{@code ACCOUNT_ADMIN}: assigns incentive roles: may change a user's incentive role and its locations, never the
 * admin role, and does not create, deactivate or reset;</li>
 * <li>reading the directory: every admin role; {@code INCENTIVE_USER} may not.</li>
 * </ul>
 * A caller holding several roles may do what any of them allows.
 */
public final class UserAdministrationPolicy {

    public enum Operation {
        READ, CREATE, CHANGE_ROLES, CHANGE_LOCALE, RESET_PASSWORD, DEACTIVATE, REACTIVATE
    }

    private UserAdministrationPolicy() {
    }

    /**
     * Why the caller may not do this, or empty when it may. {@code current} is the target's roles (null for a
     * creation), {@code wanted} the roles after the change (null unless creating or changing roles).
     */
    public static Optional<IdentityMessages> refusal(Set<String> callerRoles, Operation operation, RoleSet current,
            RoleSet wanted) {
        if (callerRoles.contains(Roles.PROGRAM_OPERATOR) || callerRoles.contains(Roles.GLOBAL_ADMIN)) {
            return Optional.empty();
        }
        if (operation == Operation.READ) {
            boolean admin = callerRoles.contains(Roles.USER_ADMIN) || callerRoles.contains(Roles.ACCOUNT_ADMIN)
                    || callerRoles.contains(Roles.INCENTIVE_ADMIN);
            return admin ? Optional.empty() : Optional.of(IdentityMessages.ONLY_ADMINS_READ_USERS);
        }
        boolean touchesGlobalAdmin = (current != null && current.has(Roles.GLOBAL_ADMIN))
                || (wanted != null && wanted.has(Roles.GLOBAL_ADMIN));
        if (callerRoles.contains(Roles.USER_ADMIN) && !touchesGlobalAdmin) {
            return Optional.empty();
        }
        if (callerRoles.contains(Roles.INCENTIVE_ADMIN) && (current == null || current.incentiveOnly())
                && (wanted == null || wanted.incentiveOnly())) {
            return Optional.empty();
        }
        if (callerRoles.contains(Roles.ACCOUNT_ADMIN) && operation == Operation.CHANGE_ROLES && current != null
                && wanted != null && Objects.equals(current.adminRole(), wanted.adminRole())) {
            return Optional.empty();
        }
        if (touchesGlobalAdmin && (callerRoles.contains(Roles.USER_ADMIN)
                || callerRoles.contains(Roles.INCENTIVE_ADMIN) || callerRoles.contains(Roles.ACCOUNT_ADMIN))) {
            return Optional.of(switch (operation) {
                case RESET_PASSWORD -> IdentityMessages.ONLY_GLOBAL_ADMIN_RESETS_GLOBAL_ADMIN;
                case CREATE, CHANGE_ROLES -> IdentityMessages.ONLY_GLOBAL_ADMIN_GRANTS_GLOBAL_ADMIN;
                default -> IdentityMessages.ONLY_GLOBAL_ADMIN_CHANGES_GLOBAL_ADMIN;
            });
        }
        if (callerRoles.contains(Roles.INCENTIVE_ADMIN)) {
            return Optional.of(IdentityMessages.INCENTIVE_ADMIN_MANAGES_INCENTIVE_USERS);
        }
        if (callerRoles.contains(Roles.ACCOUNT_ADMIN)) {
            return Optional.of(IdentityMessages.ACCOUNT_ADMIN_CHANGES_INCENTIVE_ROLES);
        }
        return Optional.of(IdentityMessages.ROLE_CANNOT_MANAGE_USERS);
    }
}
