package com.acme.incentives.platform;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Keeps the platform tables small: published outbox rows and idempotency records are kept long enough for audit and
 * client retries (7 days and 24 hours), consumed-event ids long enough to outlive any redelivery (30 days).
 */
@ApplicationScoped
public class PlatformHousekeeping {

    private static final Logger LOG = Logger.getLogger(PlatformHousekeeping.class);

    @Inject
    AgroalDataSource dataSource;

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void purge() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            int outbox = statement.executeUpdate(
                    "DELETE FROM outbox_event WHERE sent_at < now() - interval '7 days'");
            int idempotency = statement.executeUpdate(
                    "DELETE FROM idempotency_record WHERE created_at < now() - interval '24 hours'");
            int consumed = statement.executeUpdate(
                    "DELETE FROM consumed_event WHERE consumed_at < now() - interval '30 days'");
            LOG.debugf("Purged %d outbox rows, %d idempotency records, %d consumed-event ids", outbox, idempotency,
                    consumed);
        } catch (SQLException e) {
            LOG.warnf("Housekeeping failed: %s", e.getMessage());
        }
    }
}
