package com.acme.incentives.identity.service;

import com.acme.incentives.identity.domain.UserAccount;
import com.acme.incentives.identity.domain.UserAudit;
import com.acme.incentives.identity.domain.UserStatus;
import com.acme.incentives.identity.events.IdentityEvents;
import com.acme.incentives.identity.keycloak.KeycloakAdmin;
import com.acme.incentives.identity.keycloak.KeycloakUnavailableException;
import com.acme.incentives.platform.events.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Marks a user ACTIVE (and publishes UserActivated) once they have changed their temporary password and signed in
 * with their own. Keycloak only issues a token after the forced password change (required action UPDATE_PASSWORD), so
 * two signals prove it, and either may come first:
 * <ul>
 * <li>the user calls identity-service with a token (the portal calls {@code GET /me} after sign-in);</li>
 * <li>Keycloak no longer requires the user to update the password (polled here), for users who never call us.</li>
 * </ul>
 * Activation is a conditional update under a row lock, so however many signals and replicas race, there is one
 * activation and one event.
 */
@ApplicationScoped
public class ActivationService {

    private static final Logger LOG = Logger.getLogger(ActivationService.class);
    @Inject
    ActivationSettings settings;

    private volatile UUID cursor;

    @Inject
    Outbox outbox;

    @Inject
    UserHistory history;

    @Inject
    KeycloakAdmin keycloak;

    @Inject
    Clock clock;

    /** Users known to be past activation in this process, so that most calls cost no query at all. */
    private final Set<UUID> settled = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Called for an authenticated user: their token proves the temporary password was changed. */
    public void signedIn(String subject) {
        UUID userId;
        try {
            userId = UUID.fromString(subject);
        } catch (IllegalArgumentException | NullPointerException e) {
            return; // not one of our users (e.g. a service account with another id format)
        }
        if (settled.contains(userId)) {
            return;
        }
        activate(userId, clock.instant());
    }

    /** Returns true when this call activated the user (and published the event). */
    public boolean activate(UUID userId, Instant at) {
        Boolean activated = QuarkusTransaction.requiringNew().call(() -> {
            UserAccount user = UserAccount.findById(userId, LockModeType.PESSIMISTIC_WRITE);
            if (user == null) {
                return null; // not a directory user (operator, machine client): nothing to remember either way
            }
            if (user.status != UserStatus.PENDING_ACTIVATION) {
                return false;
            }
            Instant now = at.truncatedTo(ChronoUnit.MICROS);
            user.status = UserStatus.ACTIVE;
            user.activatedAt = now;
            user.updatedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
            user.updatedBy = user.id.toString();
            history.record(user, UserAudit.Action.ACTIVATED, user.id.toString(), user.updatedAt, null);
            outbox.publish(user.organizationId.toString(), IdentityEvents.USER_ACTIVATED,
                    new IdentityEvents.UserActivated(user.organizationId, user.id, user.email, user.roles, now));
            return true;
        });
        if (activated != null) {
            settled.add(userId);
        }
        if (Boolean.TRUE.equals(activated)) {
            LOG.infof("User %s activated", userId);
        }
        return Boolean.TRUE.equals(activated);
    }

    /**
     * Activates pending users whose Keycloak account no longer requires UPDATE_PASSWORD: Keycloak clears that
     * required action only when the user sets their own password during a sign-in. (Reading Keycloak's LOGIN events
     * would need the view-events admin role, which our service account deliberately lacks.) To bound the load on
     * Keycloak however many users wait (a migration wave hands out many passwords at once), one run reads only the
     * {@code newest} pending users (the likeliest to sign in soon) plus {@code rotating} others taken in turn, so that
     * every pending user is checked now and then. Returns how many were activated.
     */
    public int pollPendingUsers() {
        List<UserAccount> newest = QuarkusTransaction.requiringNew().call(() -> UserAccount
                .<UserAccount>find("status", Sort.descending("createdAt").and("id"), UserStatus.PENDING_ACTIVATION)
                .page(0, settings.newestPerRun()).list());
        UUID after = cursor;
        List<UserAccount> rotating = QuarkusTransaction.requiringNew().call(() -> UserAccount
                .<UserAccount>find("status = ?1 and id > ?2", Sort.by("id"), UserStatus.PENDING_ACTIVATION,
                        after == null ? new UUID(Long.MIN_VALUE, Long.MIN_VALUE) : after)
                .page(0, settings.rotatingPerRun()).list());
        // Next run goes on after the last one read here, or starts over when the end was reached.
        cursor = rotating.size() < settings.rotatingPerRun() ? null : rotating.get(rotating.size() - 1).id;
        Set<UUID> checked = new HashSet<>();
        int activated = 0;
        for (UserAccount user : concat(newest, rotating)) {
            if (!checked.add(user.id)) {
                continue;
            }
            KeycloakAdmin.KeycloakUser account;
            try {
                account = keycloak.user(user.id);
            } catch (KeycloakUnavailableException e) {
                LOG.debugf("Could not read user %s in Keycloak (%s)", user.id, e.getMessage());
                continue;
            }
            if (account.enabled() && !account.requiredActions().contains("UPDATE_PASSWORD")
                    && activate(user.id, clock.instant())) {
                activated++;
            }
        }
        return activated;
    }

    private static List<UserAccount> concat(List<UserAccount> a, List<UserAccount> b) {
        List<UserAccount> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
