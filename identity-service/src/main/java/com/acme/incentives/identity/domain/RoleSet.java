package com.acme.incentives.identity.domain;

import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.identity.IdentityMessages;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;
import com.acme.incentives.platform.security.Roles;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The roles a member of an organization holds (docs/product.md "Users and roles"): at least one, at most one per
 * category. Operators and machine clients ({@code PROGRAM_OPERATOR}, {@code PARTNER_FEED}) are not organization roles
 * and cannot be granted here.
 */
public final class RoleSet {

    public static final List<String> ADMIN_ROLES = List.of(Roles.GLOBAL_ADMIN, Roles.ACCOUNT_ADMIN, Roles.USER_ADMIN);
    public static final List<String> INCENTIVE_ROLES = List.of(Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER);
    public static final List<String> ALL = List.of(Roles.GLOBAL_ADMIN, Roles.ACCOUNT_ADMIN, Roles.USER_ADMIN,
            Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER);

    private final Set<String> roles;

    private RoleSet(Collection<String> roles) {
        this.roles = new TreeSet<>(roles);
    }

    /** Roles already checked (read back from our own database). */
    public static RoleSet of(Collection<String> roles) {
        return new RoleSet(roles);
    }

    /** Checks roles sent by a client; every problem is a 400 naming the field ({@code roles} or {@code roles[i]}). */
    public static RoleSet parse(List<String> requested) {
        List<FieldViolation> errors = new ArrayList<>();
        if (requested == null || requested.isEmpty()) {
            throw ApiException.invalidField("roles", IdentityMessages.ROLES_REQUIRED);
        }
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < requested.size(); i++) {
            String role = requested.get(i);
            if (role == null || !ALL.contains(role)) {
                errors.add(FieldViolation.of("roles[" + i + "]", IdentityMessages.NOT_AN_ORGANIZATION_ROLE,
                        String.join(", ", ALL)));
            } else if (!seen.add(role)) {
                errors.add(FieldViolation.of("roles[" + i + "]", PlatformMessages.LISTED_TWICE));
            }
        }
        if (errors.isEmpty()) {
            if (seen.stream().filter(ADMIN_ROLES::contains).count() > 1) {
                errors.add(FieldViolation.of("roles", IdentityMessages.ONE_ADMIN_ROLE));
            }
            if (seen.stream().filter(INCENTIVE_ROLES::contains).count() > 1) {
                errors.add(FieldViolation.of("roles", IdentityMessages.ONE_INCENTIVE_ROLE));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new RoleSet(seen);
    }

    public boolean has(String role) {
        return roles.contains(role);
    }

    public Optional<String> adminRole() {
        return roles.stream().filter(ADMIN_ROLES::contains).findFirst();
    }

    public Optional<String> incentiveRole() {
        return roles.stream().filter(INCENTIVE_ROLES::contains).findFirst();
    }

    /** An "incentive user" in the sense of docs/product.md "Users and roles": holds incentive roles only. */
    public boolean incentiveOnly() {
        return adminRole().isEmpty();
    }

    public List<String> names() {
        return List.copyOf(roles);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoleSet other && other.roles.equals(roles);
    }

    @Override
    public int hashCode() {
        return roles.hashCode();
    }

    @Override
    public String toString() {
        return roles.toString();
    }
}
