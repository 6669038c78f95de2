package com.acme.incentives.identity.service;

import com.acme.incentives.identity.IdentityMessages;
import com.acme.incentives.identity.domain.RoleSet;
import com.acme.incentives.identity.domain.UserAccount;
import com.acme.incentives.identity.domain.UserAudit;
import com.acme.incentives.identity.domain.UserProvisioning;
import com.acme.incentives.identity.domain.UserStatus;
import com.acme.incentives.identity.events.IdentityEvents;
import com.acme.incentives.identity.keycloak.KeycloakAdmin;
import com.acme.incentives.identity.keycloak.KeycloakConflictException;
import com.acme.incentives.identity.keycloak.KeycloakUnavailableException;
import com.acme.incentives.platform.events.Outbox;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.ProblemType;
import com.acme.incentives.platform.security.Caller;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Creates a user in Keycloak and in our directory so that neither keeps a half-made user:
 * <ol>
 * <li>commit a provisioning row (email unique: stops a concurrent creation of the same email);</li>
 * <li>create the Keycloak user (temporary password, org_id and locations attributes), then grant its realm roles;</li>
 * <li>in one transaction: record the user, its audit line and its UserCreated event, delete the provisioning row.</li>
 * </ol>
 * When step 2 or 3 fails, the Keycloak user is deleted again (compensation) and the provisioning row removed. When
 * even that fails (Keycloak gone in the middle), the provisioning row stays and {@link ProvisioningReconciler} removes
 * the orphan later. The transactions are explicit because a remote call must never run inside one of them.
 */
@ApplicationScoped
public class UserProvisioner {

    private static final Logger LOG = Logger.getLogger(UserProvisioner.class);

    /** {@code locale}: the preferred language, null when not chosen. */
    public record NewAccount(UUID organizationId, String email, String firstName, String lastName, RoleSet roles,
            List<String> locations, String locale) {
    }

    public record Provisioned(UserAccount user, String temporaryPassword) {
    }

    @Inject
    KeycloakAdmin keycloak;

    @Inject
    TemporaryPasswords passwords;

    @Inject
    Outbox outbox;

    @Inject
    EntityManager entityManager;

    @Inject
    UserHistory history;

    @Inject
    Clock clock;

    /**
     * @param beforeUser work to commit together with the user, before it is inserted (the organization of a
     *                   registration); may be null
     */
    public Provisioned provision(NewAccount account, String actor, Runnable beforeUser) {
        QuarkusTransaction.requiringNew().run(() -> reserve(account, actor));
        String temporaryPassword = passwords.generate();
        UUID userId;
        try {
            userId = keycloak.createUser(account.email(), account.firstName(), account.lastName(),
                    attributes(account), temporaryPassword);
        } catch (KeycloakConflictException e) {
            release(account.email());
            throw emailTaken(account.email());
        } catch (KeycloakUnavailableException e) {
            LOG.warnf("Creating a user of organization %s in Keycloak failed: %s", account.organizationId(),
                    e.getMessage());
            if (e.certainlyNotApplied()) {
                release(account.email());
            } else {
                // The request may have been applied before the answer was lost: remove what may exist.
                compensate(null, account);
            }
            throw unavailable();
        }
        try {
            keycloak.addRealmRoles(userId, account.roles().names());
            UserAccount user = QuarkusTransaction.requiringNew().call(() -> record(userId, account, actor,
                    beforeUser));
            return new Provisioned(user, temporaryPassword);
        } catch (RuntimeException e) {
            LOG.warnf("Creating user %s failed after Keycloak created it (%s); removing it from Keycloak", userId,
                    e.toString());
            compensate(userId, account);
            if (e instanceof KeycloakUnavailableException) {
                throw unavailable();
            }
            throw e;
        }
    }

    static ApiException unavailable() {
        return new ApiException(ProblemType.SERVICE_UNAVAILABLE, IdentityMessages.IDENTITY_PROVIDER_UNAVAILABLE);
    }

    static ApiException emailTaken(String email) {
        return ApiException.conflict(IdentityMessages.EMAIL_TAKEN).with("email", email);
    }

    static Map<String, List<String>> attributes(NewAccount account) {
        Map<String, List<String>> attributes = new HashMap<>();
        attributes.put(Caller.ORG_CLAIM, List.of(account.organizationId().toString()));
        attributes.put(Caller.LOCATIONS_CLAIM, account.locations());
        if (account.locale() != null) {
            attributes.put(UserLocales.ATTRIBUTE, List.of(account.locale()));
        }
        return attributes;
    }

    private void reserve(NewAccount account, String actor) {
        if (UserAccount.count("email", account.email()) > 0) {
            throw emailTaken(account.email());
        }
        if (UserProvisioning.findById(account.email()) != null) {
            throw ApiException.conflict(IdentityMessages.EMAIL_BEING_CREATED)
                    .with("email", account.email());
        }
        UserProvisioning reservation = new UserProvisioning();
        reservation.email = account.email();
        reservation.organizationId = account.organizationId();
        reservation.startedAt = clock.instant();
        reservation.startedBy = actor;
        reservation.persist();
    }

    private UserAccount record(UUID userId, NewAccount account, String actor, Runnable beforeUser) {
        if (beforeUser != null) {
            beforeUser.run();
            entityManager.flush(); // the user row references what beforeUser inserted
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        UserAccount user = new UserAccount();
        user.id = userId;
        user.organizationId = account.organizationId();
        user.email = account.email();
        user.firstName = account.firstName();
        user.lastName = account.lastName();
        user.roles = account.roles().names();
        user.locations = account.locations();
        user.locale = account.locale();
        user.status = UserStatus.PENDING_ACTIVATION;
        user.createdAt = now;
        user.createdBy = actor;
        user.updatedAt = now;
        user.updatedBy = actor;
        user.persist();
        Map<String, Object> created = new LinkedHashMap<>();
        created.put("roles", user.roles);
        created.put("locations", user.locations);
        if (user.locale != null) {
            created.put("locale", user.locale);
        }
        history.record(user, UserAudit.Action.CREATED, actor, now, created);
        UserProvisioning.deleteById(account.email());
        outbox.publish(user.organizationId.toString(), IdentityEvents.USER_CREATED,
                new IdentityEvents.UserCreated(user.organizationId, user.id, user.email, user.firstName,
                        user.lastName, user.roles, user.locations, actor, now, user.locale));
        return user;
    }

    /** Deletes the Keycloak user (by id, or found by email when the id is unknown), then the reservation. */
    private void compensate(UUID userId, NewAccount account) {
        Compensation compensation = new Compensation();
        if (userId != null) {
            compensation.add("create user " + userId, () -> keycloak.deleteUser(userId));
        } else {
            compensation.add("create a user of organization " + account.organizationId(),
                    () -> deleteOrphans(keycloak, account.email(), account.organizationId()));
        }
        if (compensation.run()) {
            release(account.email());
        }
    }

    /** Deletes Keycloak users with this email that we created for this organization and that our directory lacks. */
    public static int deleteOrphans(KeycloakAdmin keycloak, String email, UUID organizationId) {
        int deleted = 0;
        for (KeycloakAdmin.KeycloakUser user : keycloak.findByEmail(email)) {
            boolean ours = List.of(organizationId.toString())
                    .equals(user.attributes().getOrDefault(Caller.ORG_CLAIM, List.of()));
            boolean known = QuarkusTransaction.requiringNew().call(() -> UserAccount.findById(user.id()) != null);
            if (ours && !known) {
                keycloak.deleteUser(user.id());
                deleted++;
            }
        }
        return deleted;
    }

    private void release(String email) {
        try {
            QuarkusTransaction.requiringNew().run(() -> UserProvisioning.deleteById(email));
        } catch (RuntimeException e) {
            LOG.errorf("Could not remove the provisioning row of a failed creation (%s); the reconciler will",
                    e.toString());
        }
    }
}
