package com.acme.incentives.payout.jobs;

import com.acme.incentives.payout.domain.PartnerLocation;
import com.acme.incentives.payout.service.ProfileStatusService;
import com.acme.incentives.platform.events.Outbox;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A tax profile expires by the passing of time, with no request to notice it. Once a day this job warns the
 * locations whose tax profile expires within 30 days (TaxProfileExpiring, mailed to the partner by
 * enrollment-service), and finds the locations whose last published status still says the tax profile is VALID while
 * their current tax profile has expired (expired since the last check: location_profile_status is the memory of what
 * was last told), and refreshes them, which publishes PayoutProfileStatusChanged (taxProfile EXPIRED, status INCOMPLETE) so enrollment-service
 * learns the location is no longer complete. A day missed (service down) is caught up by the next run.
 */
@ApplicationScoped
public class TaxProfileExpiryJob {

    private static final Logger LOG = Logger.getLogger(TaxProfileExpiryJob.class);
    /** How many days ahead a partner is warned that a tax profile expires. */
    static final int WARN_DAYS = 30;

    @Inject
    Jdbi jdbi;

    @Inject
    ProfileStatusService statuses;

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    @Scheduled(cron = "${payout.profile.expiry-check}", timeZone = "UTC",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void daily() {
        int n = refreshExpired();
        if (n > 0) {
            LOG.infof("%d location(s) with a tax profile expired since the last check: status re-published", n);
        }
        int warned = warnExpiring();
        if (warned > 0) {
            LOG.infof("%d location(s) warned that their tax profile expires within %d days", warned, WARN_DAYS);
        }
    }

    /**
     * Publishes TaxProfileExpiring for every location whose current tax profile expires within {@value #WARN_DAYS}
     * days (today included) and was not warned for that date yet; returns how many. The UPDATE marks and selects in
     * one statement, so two replicas running it at once warn each location once: the second waits for the first's row
     * lock, then finds the date already warned for.
     */
    @Transactional
    public int warnExpiring() {
        LocalDate today = LocalDate.now(clock);
        Instant now = clock.instant();
        List<Outbox.NewEvent> events = new ArrayList<>();
        try (Handle h = jdbi.open()) {
            events.addAll(h.createQuery("""
                    UPDATE tax_profile t SET expiry_warned_for = t.expires_on
                    WHERE t.expires_on BETWEEN :from AND :to
                      AND t.expiry_warned_for IS DISTINCT FROM t.expires_on
                      AND t.id = (SELECT c.id FROM tax_profile c WHERE c.partner_id = t.partner_id
                                  ORDER BY c.created_at DESC LIMIT 1)
                    RETURNING t.id, t.organization_id, t.partner_id, t.expires_on""")
                    .bind("from", today)
                    .bind("to", today.plusDays(WARN_DAYS))
                    .map((rs, ctx) -> {
                        String partnerId = rs.getString(3);
                        return new Outbox.NewEvent(partnerId, "TaxProfileExpiring", new TaxProfileExpiring(
                                rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), partnerId,
                                rs.getObject(4, LocalDate.class), now));
                    })
                    .list());
        } catch (JdbiException e) {
            throw new IllegalStateException("Could not look for expiring tax profiles", e);
        }
        if (!events.isEmpty()) {
            outbox.publishAll(events);
        }
        return events.size();
    }

    /** Data of TaxProfileExpiring (docs/events.md): the location's current tax profile expires on {@code expiresOn}. */
    public record TaxProfileExpiring(UUID taxProfileId, UUID organizationId, String partnerId, LocalDate expiresOn,
            Instant warnedAt) {
    }

    /** Returns how many locations were refreshed; running it again the same day finds none. */
    @Transactional
    public int refreshExpired() {
        LocalDate today = LocalDate.now(clock);
        List<String> expired = new ArrayList<>();
        try (Handle h = jdbi.open()) {
            expired.addAll(h.createQuery("""
                    SELECT st.partner_id FROM location_profile_status st
                    CROSS JOIN LATERAL (SELECT t.expires_on FROM tax_profile t WHERE t.partner_id = st.partner_id
                                        ORDER BY t.created_at DESC LIMIT 1) tp
                    WHERE st.tax_status = 'VALID' AND tp.expires_on < :today
                    ORDER BY st.partner_id""")
                    .bind("today", today)
                    .map((rs, ctx) -> rs.getString(1))
                    .list());
        } catch (JdbiException e) {
            throw new IllegalStateException("Could not look for expired tax profiles", e);
        }
        for (String partnerId : expired) {
            PartnerLocation location = PartnerLocation.findById(partnerId);
            if (location != null) {
                statuses.refresh(location);
            }
        }
        return expired.size();
    }
}
