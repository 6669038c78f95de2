package com.acme.incentives.platform.concurrency;

import jakarta.persistence.EntityManager;
import org.hibernate.Session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Every PostgreSQL advisory lock the services take, named in this one place, and the one way to take them. Each lock
 * is transaction-scoped ({@code pg_advisory_xact_lock}, {@code pg_try_advisory_xact_lock}): it goes with the
 * transaction's commit or rollback, so no error path can leave one held.
 * <p>
 * The keys are what the services used before they were gathered here, and must never change: during a rolling
 * deploy old and new pods run side by side, and they only exclude each other while they compute the same key. A new
 * lock takes a key no other one uses (PostgreSQL has one advisory key space per database: a {@link Section}'s
 * one-number key and a {@link PerItem}'s pair of numbers never meet, but two sections or two per-item classes with
 * the same number would).
 * <p>
 * Use {@code AdvisoryLocks.OUTBOX_RELAY.tryLock(connection)} on a JDBC connection in the transaction, or the
 * {@link EntityManager} overloads from Hibernate code (the session's own connection, so the same transaction).
 */
public final class AdvisoryLocks {

    /** One outbox relay at a time per service database (platform {@code OutboxRelay}); others skip the pass. */
    public static final Section OUTBOX_RELAY = Section.named("outbox-relay");

    /** eligibility-service: the writers of a location's facts and outcomes (feeds, LocationAdded, the boundary job). */
    public static final PerItem LOCATION_FACTS = new PerItem(4242);

    /** enrollment-service: one replica sends the due invitation reminders; the others skip the pass. */
    public static final Section INVITATION_REMINDERS = Section.named("enrollment:invitation-reminders");

    /** enrollment-service: one replica expires the lapsed invitations; the others skip the pass. */
    public static final Section INVITATION_EXPIRY = Section.named("enrollment:invitation-expiry");

    /** enrollment-service: two operators scheduling the same organization into migration waves at once. */
    public static final PerItem WAVE_ORGANIZATIONS = new PerItem(4711);

    /**
     * enrollment-service: an organization's recipients, between an invitation issued for one of its locations and
     * identity's word on who the organization is (OrganizationRegistered): the two come on different topics in either
     * order, and whichever commits second must see the other (so an invitation issued first is mailed when the
     * organization becomes known).
     */
    public static final PerItem ORGANIZATION_RECIPIENTS = new PerItem(4712);

    /** payout-service: starts of payout runs, so two operators pressing the button at once get the same run. */
    public static final Section PAYOUT_RUN_START = Section.numbered(7245001L);

    private AdvisoryLocks() {
    }

    /**
     * One lock for a whole section of work, under one 64-bit key: a number, or PostgreSQL's {@code hashtext} of a
     * name (computed by the database, as it always was, so the key is the same whatever the Java side does).
     */
    public static final class Section {

        private final String key;
        private final Long number;
        private final String name;

        private Section(String key, Long number, String name) {
            this.key = key;
            this.number = number;
            this.name = name;
        }

        static Section numbered(long number) {
            return new Section("?::bigint", number, null);
        }

        static Section named(String name) {
            return new Section("hashtext(?)", null, name);
        }

        /** Waits until this transaction holds the lock. */
        public void lock(Connection connection) {
            query(connection, "SELECT pg_advisory_xact_lock(" + key + ")");
        }

        /** Takes the lock if free and answers true; false at once when another transaction holds it. */
        public boolean tryLock(Connection connection) {
            return query(connection, "SELECT pg_try_advisory_xact_lock(" + key + ")");
        }

        public void lock(EntityManager entityManager) {
            entityManager.unwrap(Session.class).doWork(this::lock);
        }

        public boolean tryLock(EntityManager entityManager) {
            return entityManager.unwrap(Session.class).doReturningWork(this::tryLock);
        }

        private boolean query(Connection connection, String sql) {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                if (number != null) {
                    statement.setLong(1, number);
                } else {
                    statement.setString(1, name);
                }
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    // pg_advisory_xact_lock returns void (read as null): it returned, so the lock is held.
                    Object held = rs.getObject(1);
                    return held == null || Boolean.TRUE.equals(held);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Could not take the advisory lock " + describe(), e);
            }
        }

        private String describe() {
            return number != null ? number.toString() : "hashtext('" + name + "')";
        }
    }

    /**
     * A class of locks, one per item (a partner ID, an organization id): the key is the pair (class number,
     * {@code hashtext(item)}).
     */
    public static final class PerItem {

        private final int classNumber;

        private PerItem(int classNumber) {
            this.classNumber = classNumber;
        }

        /**
         * Waits until this transaction holds the lock of every item. They are taken in the order of their keys (the
         * same in every caller), so two transactions locking overlapping sets never deadlock; an item given twice,
         * or two items whose hashes meet, is locked once.
         */
        public void lockAll(Connection connection, Collection<String> items) {
            if (items.isEmpty()) {
                return;
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT count(pg_advisory_xact_lock(?, h)) FROM (SELECT DISTINCT hashtext(p) AS h"
                            + " FROM unnest(?::text[]) AS p ORDER BY h) AS locks")) {
                statement.setInt(1, classNumber);
                statement.setArray(2, connection.createArrayOf("text", items.toArray()));
                statement.executeQuery().close();
            } catch (SQLException e) {
                throw new IllegalStateException("Could not take the advisory locks " + classNumber + " of " + items,
                        e);
            }
        }

        public void lockAll(EntityManager entityManager, Collection<String> items) {
            entityManager.unwrap(Session.class).doWork(connection -> lockAll(connection, items));
        }
    }
}
