package com.acme.incentives.eligibility.service;

import com.acme.incentives.platform.concurrency.AdvisoryLocks;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Platform's {@link AdvisoryLocks} against the real PostgreSQL (here, since platform runs no {@code @QuarkusTest}).
 * Each lock held through it must exclude the statement the services ran before the keys were gathered there: during
 * a rolling deploy an old pod still takes the lock that way, and the two must exclude each other.
 */
@QuarkusTest
class AdvisoryLocksTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void everyLockHasTheKeyItHadBeforeItWasNamedInPlatform() throws Exception {
        String partnerId = "4" + (System.nanoTime() % 1_000_000_000L);
        String organizationId = UUID.randomUUID().toString();
        assertExcludes(c -> AdvisoryLocks.PAYOUT_RUN_START.lock(c), "SELECT pg_try_advisory_xact_lock(7245001)");
        assertExcludes(c -> AdvisoryLocks.OUTBOX_RELAY.lock(c),
                "SELECT pg_try_advisory_xact_lock(hashtext('outbox-relay'))");
        assertExcludes(c -> AdvisoryLocks.INVITATION_REMINDERS.lock(c),
                "SELECT pg_try_advisory_xact_lock(hashtext('enrollment:invitation-reminders'))");
        assertExcludes(c -> AdvisoryLocks.INVITATION_EXPIRY.lock(c),
                "SELECT pg_try_advisory_xact_lock(hashtext('enrollment:invitation-expiry'))");
        assertExcludes(c -> AdvisoryLocks.LOCATION_FACTS.lockAll(c, List.of(partnerId)),
                "SELECT pg_try_advisory_xact_lock(4242, hashtext('" + partnerId + "'))");
        assertExcludes(c -> AdvisoryLocks.WAVE_ORGANIZATIONS.lockAll(c, List.of(organizationId, "other")),
                "SELECT pg_try_advisory_xact_lock(4711, hashtext('" + organizationId + "'))");
    }

    @Test
    void tryLockSaysWhetherItGotTheLockAndTheLockGoesWithTheTransaction() throws Exception {
        try (Connection holder = transaction(); Connection other = transaction()) {
            assertThat(AdvisoryLocks.INVITATION_EXPIRY.tryLock(holder)).isTrue();
            assertThat(AdvisoryLocks.INVITATION_EXPIRY.tryLock(holder)).as("the holder again").isTrue();
            assertThat(AdvisoryLocks.INVITATION_EXPIRY.tryLock(other)).isFalse();
            assertThat(AdvisoryLocks.INVITATION_REMINDERS.tryLock(other)).as("another lock").isTrue();
            holder.commit();
            assertThat(AdvisoryLocks.INVITATION_EXPIRY.tryLock(other)).as("after the holder's commit").isTrue();
            other.rollback();
        }
    }

    /** Holds the lock in one transaction; the former statement, in another, must not get it until that ends. */
    private void assertExcludes(Consumer<Connection> take, String formerStatement) throws Exception {
        try (Connection holder = transaction(); Connection formerPod = transaction()) {
            take.accept(holder);
            assertThat(tryFormer(formerPod, formerStatement)).as("%s while held", formerStatement).isFalse();
            holder.rollback();
            assertThat(tryFormer(formerPod, formerStatement)).as("%s once released", formerStatement).isTrue();
            formerPod.rollback();
        }
    }

    private static boolean tryFormer(Connection connection, String sql) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private Connection transaction() throws Exception {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        return connection;
    }
}
