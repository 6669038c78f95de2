package com.acme.incentives.identity.service;

import com.acme.incentives.identity.domain.UserAccount;
import com.acme.incentives.identity.domain.UserAudit;
import com.acme.incentives.identity.domain.UserStatus;
import com.acme.incentives.identity.events.IdentityEvents;
import com.acme.incentives.identity.keycloak.KeycloakAdmin;
import com.acme.incentives.platform.events.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * <li>Keycloak recorded a LOGIN event for the user (polled here), for users who never call us.</li>
 * </ul>
 * Activation is a conditional update under a row lock, so however many signals and replicas race, there is one
 * activation and one event.
 */
@ApplicationScoped
public class ActivationService {

    private static final Logger LOG = Logger.getLogger(ActivationService.class);
    private static final int PAGE = 200;
    private static final int MAX_PAGES = 50;
    /** LOGIN events may be stored a little after they happened; re-reading a margin is harmless (idempotent). */
    private static final Duration OVERLAP = Duration.ofMinutes(5);

    @Inject
    Outbox outbox;

    @Inject
    KeycloakAdmin keycloak;

    /** Users known to be past activation in this process, so that most calls cost no query at all. */
    private final Set<UUID> settled = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile Instant watermark;

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
        activate(userId, Instant.now());
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
            user.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            user.updatedBy = user.id.toString();
            UserAudit.record(user, UserAudit.Action.ACTIVATED, user.id.toString(), user.updatedAt, null);
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

    @Scheduled(every = "${identity.activation.poll-every:30s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            pollLoginEvents();
        } catch (RuntimeException e) {
            LOG.warnf("Polling Keycloak login events failed (%s); next run retries", e.toString());
        }
    }

    /** Activates every pending user with a LOGIN event since the last poll; returns how many were activated. */
    public int pollLoginEvents() {
        Instant started = Instant.now();
        List<UserAccount> pendingUsers = QuarkusTransaction.requiringNew().call(() -> UserAccount
                .<UserAccount>list("status", UserStatus.PENDING_ACTIVATION));
        if (pendingUsers.isEmpty()) {
            watermark = started;
            return 0; // the common case: no Keycloak call at all
        }
        Set<UUID> pending = new HashSet<>();
        Instant since = started;
        for (UserAccount user : pendingUsers) {
            pending.add(user.id);
            since = user.createdAt.isBefore(since) ? user.createdAt : since;
        }
        if (watermark != null && watermark.minus(OVERLAP).isAfter(since)) {
            since = watermark.minus(OVERLAP);
        }
        int activated = 0;
        for (int page = 0; page < MAX_PAGES; page++) {
            List<KeycloakAdmin.LoginEvent> events = keycloak.loginEvents(KeycloakAdmin.utcDate(since), page * PAGE,
                    PAGE);
            boolean older = false;
            for (KeycloakAdmin.LoginEvent event : events) {
                if (event.time().isBefore(since)) {
                    older = true; // events come newest first: the rest of the pages are older still
                } else if (pending.remove(event.userId()) && activate(event.userId(), event.time())) {
                    activated++;
                }
            }
            if (older || events.size() < PAGE) {
                break;
            }
        }
        watermark = started;
        return activated;
    }
}
