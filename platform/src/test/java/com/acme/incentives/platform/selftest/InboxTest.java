package com.acme.incentives.platform.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.incentives.platform.events.EventEnvelope;
import com.acme.incentives.platform.inbox.EventHandler;
import com.acme.incentives.platform.inbox.EventInbox;
import com.acme.incentives.platform.inbox.PoisonEventException;
import com.acme.incentives.platform.testing.TestSql;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * EventInbox: an event is applied once however often it arrives. Counted on the effect the handler writes (in the
 * inbox's transaction), not on consumed_event, whose primary key alone would make a count of it pass.
 */
@QuarkusTest
class InboxTest {

    @Inject
    EventInbox inbox;

    @Inject
    AgroalDataSource db;

    private static EventEnvelope event() {
        return new EventEnvelope(UUID.randomUUID(), "SelftestHappened", "aggregate-" + UUID.randomUUID(),
                Instant.now(), 1, JsonNodeFactory.instance.objectNode().put("n", 1));
    }

    /** Writes the effect on the transaction's connection, as a service's handler does. */
    private EventHandler writesEffect(AtomicInteger attempts) {
        return event -> {
            int attempt = attempts.incrementAndGet();
            try (Connection c = db.getConnection();
                    PreparedStatement insert = c.prepareStatement(
                            "INSERT INTO selftest_effect (event_id, attempt) VALUES (?, ?)")) {
                insert.setObject(1, event.eventId());
                insert.setInt(2, attempt);
                insert.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private long effects(EventEnvelope event) {
        return TestSql.count(db, "SELECT count(*) FROM selftest_effect WHERE event_id = ?", event.eventId());
    }

    @Test
    void anEventDeliveredTwiceIsAppliedOnce() {
        EventEnvelope event = event();
        AtomicInteger attempts = new AtomicInteger();
        assertThat(inbox.consume("selftest", event, writesEffect(attempts))).isTrue();
        assertThat(inbox.consume("selftest", event, writesEffect(attempts))).isFalse();
        assertThat(attempts).as("the handler ran for the first delivery only").hasValue(1);
        assertThat(effects(event)).isEqualTo(1);
        // Another consumer of the same event applies it for itself.
        assertThat(inbox.consume("selftest-other", event, writesEffect(attempts))).isTrue();
        assertThat(effects(event)).isEqualTo(2);
    }

    @Test
    void twoCopiesArrivingAtOnceAreAppliedOnce() throws Exception {
        EventEnvelope event = event();
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        Callable<Boolean> delivery = () -> {
            start.await();
            return inbox.consume("selftest", event, writesEffect(attempts));
        };
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = List.of(pool.submit(delivery), pool.submit(delivery),
                    pool.submit(delivery), pool.submit(delivery));
            start.countDown();
            int applied = 0;
            for (Future<Boolean> result : results) {
                applied += result.get() ? 1 : 0;
            }
            assertThat(applied).as("deliveries that applied the event").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(effects(event)).isEqualTo(1);
    }

    @Test
    void aFailedAttemptLeavesNothingAndTheRetryAppliesTheEventOnce() {
        EventEnvelope event = event();
        AtomicInteger attempts = new AtomicInteger();
        EventHandler effect = writesEffect(attempts);
        // The first attempt writes its effect, then fails: its transaction, effect and inbox row included, rolls back.
        assertThat(inbox.consume("selftest", event, e -> {
            effect.apply(e);
            if (attempts.get() == 1) {
                throw new IllegalStateException("a passing failure (the test's)");
            }
        })).isTrue();
        assertThat(attempts).hasValue(2);
        assertThat(TestSql.count(db, "SELECT count(*) FROM selftest_effect WHERE event_id = ? AND attempt = 2",
                event.eventId())).as("only the second attempt's effect").isEqualTo(1);
        assertThat(effects(event)).isEqualTo(1);
        assertThat(inbox.consume("selftest", event, effect)).as("and it stays applied").isFalse();
    }

    @Test
    void anEventThatKeepsFailingIsTriedMaxAttemptsTimesThenGivenUpWithNothingApplied() {
        EventEnvelope event = event();
        AtomicInteger attempts = new AtomicInteger();
        EventHandler effect = writesEffect(attempts);
        assertThatThrownBy(() -> inbox.consume("selftest", event, e -> {
            effect.apply(e);
            throw new IllegalStateException("always failing (the test's)");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(attempts).as("platform.inbox.max-attempts").hasValue(4);
        assertThat(effects(event)).isZero();
        assertThat(TestSql.count(db, "SELECT count(*) FROM consumed_event WHERE event_id = ?", event.eventId()))
                .as("not marked consumed: a replay from the dead-letter topic applies it").isZero();
    }

    @Test
    void aPoisonEventAppliesNothingAndIsNotMarkedConsumed() {
        EventEnvelope event = event();
        AtomicInteger attempts = new AtomicInteger();
        EventHandler effect = writesEffect(attempts);
        assertThatThrownBy(() -> inbox.consume("selftest", event, e -> {
            effect.apply(e);
            throw new PoisonEventException("never applicable (the test's)");
        })).isInstanceOf(PoisonEventException.class);
        assertThat(attempts).as("not retried").hasValue(1);
        assertThat(effects(event)).isZero();
        assertThat(TestSql.count(db, "SELECT count(*) FROM consumed_event WHERE event_id = ?", event.eventId()))
                .isZero();
    }
}
