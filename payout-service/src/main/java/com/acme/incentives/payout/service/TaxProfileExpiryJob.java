package com.acme.incentives.payout.service;

import com.acme.incentives.payout.domain.PartnerLocation;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A tax profile expires by the passing of time, with no request to notice it. Once a day this job finds the
 * locations whose last published status still says the tax profile is VALID while their current tax profile has
 * expired (expired since the last check: location_profile_status is the memory of what was last told), and refreshes
 * them, which publishes PayoutProfileStatusChanged (taxProfile EXPIRED, status INCOMPLETE) so enrollment-service
 * learns the location is no longer complete. A day missed (service down) is caught up by the next run.
 */
@ApplicationScoped
public class TaxProfileExpiryJob {

    private static final Logger LOG = Logger.getLogger(TaxProfileExpiryJob.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ProfileStatusService statuses;

    @Scheduled(cron = "${payout.profile.expiry-check}", timeZone = "UTC",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void daily() {
        int n = refreshExpired();
        if (n > 0) {
            LOG.infof("%d location(s) with a tax profile expired since the last check: status re-published", n);
        }
    }

    /** Returns how many locations were refreshed; running it again the same day finds none. */
    @Transactional
    public int refreshExpired() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<String> expired = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("""
                        SELECT st.partner_id FROM location_profile_status st
                        CROSS JOIN LATERAL (SELECT t.expires_on FROM tax_profile t WHERE t.partner_id = st.partner_id
                                            ORDER BY t.created_at DESC LIMIT 1) tp
                        WHERE st.tax_status = 'VALID' AND tp.expires_on < ?
                        ORDER BY st.partner_id""")) {
            s.setObject(1, today);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    expired.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
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
