package com.acme.incentives.identity.service;

import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.identity.IdentityMessages;
import com.acme.incentives.identity.domain.Location;
import com.acme.incentives.identity.domain.Organization;
import com.acme.incentives.identity.domain.RoleSet;
import com.acme.incentives.identity.domain.UserAccount;
import com.acme.incentives.identity.domain.UserAdministrationPolicy;
import com.acme.incentives.identity.domain.UserAdministrationPolicy.Operation;
import com.acme.incentives.identity.domain.UserAudit;
import com.acme.incentives.identity.domain.UserStatus;
import com.acme.incentives.identity.events.IdentityEvents;
import com.acme.incentives.identity.keycloak.KeycloakAdmin;
import com.acme.incentives.identity.keycloak.KeycloakUnavailableException;
import com.acme.incentives.identity.service.UserDtos.ChangeRoles;
import com.acme.incentives.identity.service.UserDtos.NewUser;
import com.acme.incentives.platform.events.Outbox;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;
import com.acme.incentives.platform.security.Caller;
import com.acme.incentives.platform.security.Roles;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The users of an organization: Keycloak holds the account and credentials, our table the directory view.
 *
 * <p>Changes to an existing user run in one transaction that first locks the organization's row: changes to one
 * organization's users are serialized, so "the last global admin cannot be removed" holds even when two admins
 * demote each other at the same moment. Keycloak is changed inside that transaction, before our rows; when the
 * Keycloak change or our commit fails, the Keycloak change is undone ({@link Compensation}) and the client gets a
 * clean error with nothing changed. The Keycloak calls are bounded by the admin client's timeout, which bounds how
 * long the lock is held. Methods are NOT_SUPPORTED so that no caller's transaction stretches around a remote call.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class UserService {

    private static final Logger LOG = Logger.getLogger(UserService.class);

    @Inject
    KeycloakAdmin keycloak;

    @Inject
    UserProvisioner provisioner;

    @Inject
    TemporaryPasswords passwords;

    @Inject
    Outbox outbox;

    @Inject
    UserHistory history;

    @Inject
    Clock clock;

    public UserProvisioner.Provisioned create(UUID organizationId, NewUser request, Actor actor) {
        RoleSet roles = RoleSet.parse(request.roles());
        String locale = UserLocales.check("locale", request.locale());
        refuseUnlessAllowed(actor, Operation.CREATE, null, roles);
        String email = request.email().trim().toLowerCase(Locale.ROOT);
        List<String> locations = QuarkusTransaction.requiringNew().call(() -> {
            requireOrganization(organizationId, false);
            return checkLocations(organizationId, roles, request.locations());
        });
        return provisioner.provision(new UserProvisioner.NewAccount(organizationId, email, request.firstName().trim(),
                request.lastName().trim(), roles, locations, locale), actor.subject(), null);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PanacheQuery<UserAccount> list(UUID organizationId, UserStatus status, PageRequest page) {
        requireOrganization(organizationId, false);
        Sort order = page.sort(Sort.by("email").and("id"));
        return status == null
                ? UserAccount.find("organizationId", order, organizationId)
                : UserAccount.find("organizationId = ?1 and status = ?2", order, organizationId, status);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public UserAccount find(UUID organizationId, UUID userId) {
        return load(organizationId, userId);
    }

    public UserAccount changeRoles(UUID organizationId, UUID userId, ChangeRoles request, Actor actor) {
        RoleSet wanted = RoleSet.parse(request.roles());
        return inLockedOrganization(organizationId, compensation -> {
            UserAccount user = loadForUpdate(organizationId, userId);
            RoleSet current = user.roleSet();
            refuseUnlessAllowed(actor, Operation.CHANGE_ROLES, current, wanted);
            List<String> locations = checkLocations(organizationId, wanted, request.locations());
            if (current.equals(wanted) && user.locations.equals(locations)) {
                return user; // nothing changes: no Keycloak call, no event
            }
            if (current.has(Roles.GLOBAL_ADMIN) && !wanted.has(Roles.GLOBAL_ADMIN)
                    && user.status != UserStatus.DEACTIVATED) {
                requireAnotherGlobalAdmin(user, IdentityMessages.LAST_GLOBAL_ADMIN_DEMOTED);
            }
            List<String> oldLocations = List.copyOf(user.locations);
            if (!oldLocations.equals(locations)) {
                keycloak.updateUser(user.id, Map.of(Caller.LOCATIONS_CLAIM, locations), null);
                compensation.add("set locations of " + user.id,
                        () -> keycloak.updateUser(user.id, Map.of(Caller.LOCATIONS_CLAIM, oldLocations), null));
            }
            Set<String> removed = new LinkedHashSet<>(current.names());
            removed.removeAll(wanted.names());
            Set<String> added = new LinkedHashSet<>(wanted.names());
            added.removeAll(current.names());
            keycloak.removeRealmRoles(user.id, removed);
            compensation.add("remove roles of " + user.id, () -> keycloak.addRealmRoles(user.id, removed));
            keycloak.addRealmRoles(user.id, added);
            compensation.add("add roles to " + user.id, () -> keycloak.removeRealmRoles(user.id, added));

            Instant now = now();
            user.roles = wanted.names();
            user.locations = locations;
            touch(user, actor, now);
            history.record(user, UserAudit.Action.ROLES_CHANGED, actor.subject(), now, Map.of(
                    "from", Map.of("roles", current.names(), "locations", oldLocations),
                    "to", Map.of("roles", user.roles, "locations", user.locations)));
            outbox.publish(organizationId.toString(), IdentityEvents.ROLES_CHANGED,
                    new IdentityEvents.RolesChanged(organizationId, user.id, user.email, user.roles, user.locations,
                            actor.subject(), now));
            return user;
        });
    }

    /** An admin sets (or, with null, removes) a user's preferred language. */
    public UserAccount changeLocale(UUID organizationId, UUID userId, String locale, Actor actor) {
        String wanted = UserLocales.check("locale", locale);
        return inLockedOrganization(organizationId, compensation -> {
            UserAccount user = loadForUpdate(organizationId, userId);
            refuseUnlessAllowed(actor, Operation.CHANGE_LOCALE, user.roleSet(), null);
            return setLocale(user, wanted, actor, compensation);
        });
    }

    /**
     * The signed-in user sets (or removes) their own preferred language. Only a user of an organization has one here:
     * operators and machine clients are not in the directory (403).
     */
    public UserAccount changeOwnLocale(Optional<UUID> organizationId, String subject, String locale) {
        String wanted = UserLocales.check("locale", locale);
        UUID userId = ownUserId(organizationId, subject, IdentityMessages.LOCALE_ONLY_FOR_ORGANIZATION_USERS);
        // The same lock as an admin's change: the two never interleave their Keycloak write and our row.
        return inLockedOrganization(organizationId.get(), compensation -> {
            UserAccount user = loadForUpdate(organizationId.get(), userId);
            return setLocale(user, wanted, new Actor(subject, Set.of()), compensation);
        });
    }

    /**
     * The signed-in user opts out of (or back into) the non-critical emails. Only a user of an organization is emailed
     * here: operators and machine clients are not in the directory (403).
     */
    public UserAccount changeOwnEmailPreferences(Optional<UUID> organizationId, String subject,
            boolean nonCriticalEmails) {
        UUID userId = ownUserId(organizationId, subject,
                IdentityMessages.EMAIL_PREFERENCES_ONLY_FOR_ORGANIZATION_USERS);
        return inLockedOrganization(organizationId.get(), compensation -> {
            UserAccount user = loadForUpdate(organizationId.get(), userId);
            if (user.nonCriticalEmails == nonCriticalEmails) {
                return user; // nothing changes: no event
            }
            Instant now = now();
            user.nonCriticalEmails = nonCriticalEmails;
            touch(user, new Actor(subject, Set.of()), now);
            history.record(user, UserAudit.Action.EMAIL_PREFERENCES_CHANGED, subject, now,
                    Map.of("nonCriticalEmails", nonCriticalEmails));
            outbox.publish(user.organizationId.toString(), IdentityEvents.USER_EMAIL_PREFERENCES_CHANGED,
                    new IdentityEvents.UserEmailPreferencesChanged(user.organizationId, user.id, user.email,
                            nonCriticalEmails, now));
            return user;
        });
    }

    /** The signed-in user's own directory entry; 403 for operators and machine clients, who have none. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public UserAccount ownUser(Optional<UUID> organizationId, String subject) {
        UUID userId = ownUserId(organizationId, subject,
                IdentityMessages.EMAIL_PREFERENCES_ONLY_FOR_ORGANIZATION_USERS);
        UserAccount user = UserAccount.findById(userId);
        if (user == null || !user.organizationId.equals(organizationId.get())) {
            throw ApiException.forbidden(IdentityMessages.EMAIL_PREFERENCES_ONLY_FOR_ORGANIZATION_USERS);
        }
        return user;
    }

    /** The caller's own user id, when they are a user of an organization; else 403 with {@code refusal}. */
    private static UUID ownUserId(Optional<UUID> organizationId, String subject, IdentityMessages refusal) {
        if (organizationId.isEmpty()) {
            throw ApiException.forbidden(refusal);
        }
        try {
            return UUID.fromString(subject);
        } catch (IllegalArgumentException e) {
            throw ApiException.forbidden(refusal);
        }
    }

    private UserAccount setLocale(UserAccount user, String locale, Actor actor, Compensation compensation) {
        if (Objects.equals(user.locale, locale)) {
            return user; // nothing changes: no Keycloak call, no event
        }
        String old = user.locale;
        keycloak.updateUser(user.id, Map.of(UserLocales.ATTRIBUTE, locale == null ? List.of() : List.of(locale)),
                null);
        compensation.add("set locale of " + user.id, () -> keycloak.updateUser(user.id,
                Map.of(UserLocales.ATTRIBUTE, old == null ? List.of() : List.of(old)), null));
        Instant now = now();
        user.locale = locale;
        touch(user, actor, now);
        Map<String, String> change = new LinkedHashMap<>(); // either may be null: Map.of takes no nulls
        change.put("from", old);
        change.put("to", locale);
        history.record(user, UserAudit.Action.LOCALE_CHANGED, actor.subject(), now, change);
        outbox.publish(user.organizationId.toString(), IdentityEvents.USER_LOCALE_CHANGED,
                new IdentityEvents.UserLocaleChanged(user.organizationId, user.id, user.email, locale,
                        actor.subject(), now));
        return user;
    }

    /** Sets a new temporary password (returned once) and ends the user's sessions. */
    public String resetPassword(UUID organizationId, UUID userId, Actor actor) {
        String temporaryPassword = passwords.generate();
        inLockedOrganization(organizationId, compensation -> {
            UserAccount user = loadForUpdate(organizationId, userId);
            refuseUnlessAllowed(actor, Operation.RESET_PASSWORD, user.roleSet(), null);
            if (user.status == UserStatus.DEACTIVATED) {
                throw ApiException.conflict(IdentityMessages.RESET_OF_DEACTIVATED_USER);
            }
            // Cannot be undone (Keycloak keeps no old password for us): if our commit fails after this, the admin
            // gets an error without the password and resets again.
            keycloak.resetPassword(user.id, temporaryPassword);
            keycloak.logout(user.id);
            Instant now = now();
            touch(user, actor, now);
            history.record(user, UserAudit.Action.PASSWORD_RESET, actor.subject(), now, null);
            return user;
        });
        return temporaryPassword;
    }

    /** Disables the Keycloak user (no more sign-in) and ends its sessions. Deactivating twice changes nothing. */
    public UserAccount deactivate(UUID organizationId, UUID userId, Actor actor) {
        return inLockedOrganization(organizationId, compensation -> {
            UserAccount user = loadForUpdate(organizationId, userId);
            refuseUnlessAllowed(actor, Operation.DEACTIVATE, user.roleSet(), null);
            if (user.status == UserStatus.DEACTIVATED) {
                return user;
            }
            if (user.id.toString().equals(actor.subject())) {
                throw ApiException.unprocessable(IdentityMessages.CANNOT_DEACTIVATE_SELF);
            }
            if (user.roleSet().has(Roles.GLOBAL_ADMIN)) {
                requireAnotherGlobalAdmin(user, IdentityMessages.LAST_GLOBAL_ADMIN_DEACTIVATED);
            }
            keycloak.updateUser(user.id, Map.of(), false);
            compensation.add("disable " + user.id, () -> keycloak.updateUser(user.id, Map.of(), true));
            keycloak.logout(user.id);
            Instant now = now();
            user.status = UserStatus.DEACTIVATED;
            touch(user, actor, now);
            history.record(user, UserAudit.Action.DEACTIVATED, actor.subject(), now, null);
            outbox.publish(organizationId.toString(), IdentityEvents.USER_DEACTIVATED,
                    new IdentityEvents.UserDeactivated(organizationId, user.id, user.email, actor.subject(), now));
            return user;
        });
    }

    /** Enables the Keycloak user again; back to ACTIVE, or PENDING_ACTIVATION if it never signed in itself. */
    public UserAccount reactivate(UUID organizationId, UUID userId, Actor actor) {
        return inLockedOrganization(organizationId, compensation -> {
            UserAccount user = loadForUpdate(organizationId, userId);
            refuseUnlessAllowed(actor, Operation.REACTIVATE, user.roleSet(), null);
            if (user.status != UserStatus.DEACTIVATED) {
                return user;
            }
            keycloak.updateUser(user.id, Map.of(), true);
            compensation.add("enable " + user.id, () -> keycloak.updateUser(user.id, Map.of(), false));
            Instant now = now();
            user.status = user.activatedAt == null ? UserStatus.PENDING_ACTIVATION : UserStatus.ACTIVE;
            touch(user, actor, now);
            history.record(user, UserAudit.Action.REACTIVATED, actor.subject(), now, null);
            outbox.publish(organizationId.toString(), IdentityEvents.USER_REACTIVATED,
                    new IdentityEvents.UserReactivated(organizationId, user.id, user.email, actor.subject(), now));
            return user;
        });
    }

    /** Refuses with 403 when the caller's roles do not allow the operation (tenancy was checked before: 404). */
    public void refuseUnlessAllowed(Actor actor, Operation operation, RoleSet current, RoleSet wanted) {
        UserAdministrationPolicy.refusal(actor.roles(), operation, current, wanted).ifPresent(reason -> {
            throw ApiException.forbidden(reason);
        });
    }

    private interface LockedWork<T> {
        T run(Compensation compensation);
    }

    private <T> T inLockedOrganization(UUID organizationId, LockedWork<T> work) {
        Compensation compensation = new Compensation();
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                requireOrganization(organizationId, true);
                return work.run(compensation);
            });
        } catch (RuntimeException e) {
            if (!compensation.isEmpty()) {
                LOG.warnf("A user change in organization %s failed after Keycloak was changed (%s); undoing",
                        organizationId, e.toString());
                compensation.run();
            }
            if (e instanceof KeycloakUnavailableException) {
                LOG.warnf("Keycloak call failed: %s", e.getMessage());
                throw UserProvisioner.unavailable();
            }
            throw e;
        }
    }

    private static void requireOrganization(UUID organizationId, boolean lock) {
        Organization organization = lock
                ? Organization.findById(organizationId, LockModeType.PESSIMISTIC_WRITE)
                : Organization.findById(organizationId);
        if (organization == null) {
            throw ApiException.notFound(PlatformMessages.ORGANIZATION_NOT_FOUND, organizationId);
        }
    }

    private static UserAccount load(UUID organizationId, UUID userId) {
        UserAccount user = UserAccount.findById(userId);
        if (user == null || !user.organizationId.equals(organizationId)) {
            throw ApiException.notFound(IdentityMessages.USER_NOT_FOUND, userId);
        }
        return user;
    }

    /**
     * Locks the user's row too: the activation (poller or the user's own first call) updates the same row at any
     * moment, and must wait for this change rather than make it fail at commit, after Keycloak was already changed.
     */
    private static UserAccount loadForUpdate(UUID organizationId, UUID userId) {
        UserAccount user = UserAccount.findById(userId, LockModeType.PESSIMISTIC_WRITE);
        if (user == null || !user.organizationId.equals(organizationId)) {
            throw ApiException.notFound(IdentityMessages.USER_NOT_FOUND, userId);
        }
        return user;
    }

    private static void requireAnotherGlobalAdmin(UserAccount user, IdentityMessages refusal) {
        // Deactivated global admins do not count; a pending one does (it can still sign in with its temporary
        // password, and an operator can reset it).
        Number others = (Number) UserAccount.getEntityManager().createNativeQuery(
                "SELECT count(*) FROM user_account WHERE organization_id = ?1 AND id <> ?2"
                        + " AND status <> 'DEACTIVATED' AND ?3 = ANY (roles)")
                .setParameter(1, user.organizationId).setParameter(2, user.id)
                .setParameter(3, Roles.GLOBAL_ADMIN).getSingleResult();
        if (others.longValue() == 0) {
            throw ApiException.conflict(refusal);
        }
    }

    /** Locations only with an incentive role, and only the organization's own partner IDs; returned sorted. */
    static List<String> checkLocations(UUID organizationId, RoleSet roles, List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            return List.of();
        }
        if (roles.incentiveRole().isEmpty()) {
            throw ApiException.invalidField("locations", IdentityMessages.LOCATIONS_NEED_INCENTIVE_ROLE);
        }
        List<FieldViolation> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requested.size(); i++) {
            String partnerId = requested.get(i);
            Location location = Location.findById(partnerId);
            if (location == null || !location.organizationId.equals(organizationId)) {
                errors.add(FieldViolation.of("locations[" + i + "]", PlatformMessages.NOT_A_LOCATION_OF_ORGANIZATION));
            } else if (!seen.add(partnerId)) {
                errors.add(FieldViolation.of("locations[" + i + "]", PlatformMessages.LISTED_TWICE));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return seen.stream().sorted().toList();
    }

    private static void touch(UserAccount user, Actor actor, Instant now) {
        user.updatedAt = now;
        user.updatedBy = actor.subject();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

}
