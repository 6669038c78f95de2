package com.acme.incentives.eligibility.events;

import com.acme.incentives.platform.events.EventEnvelope;
import com.acme.incentives.platform.inbox.EventHandler;
import com.acme.incentives.platform.inbox.EventInbox;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Platform's {@link EventInbox} itself, with a handler that counts what it applies: the effect, so that these tests
 * fail when deduplication breaks (counting consumed_event rows could not: its primary key keeps one row per event
 * whatever the inbox does). Here rather than in platform, which runs no {@code @QuarkusTest} (no datasource of its
 * own); every service uses the same class.
 */
@QuarkusTest
class EventInboxTest {

    @Inject
    EventInbox inbox;

    @Inject
    AgroalDataSource dataSource;

    private static EventEnvelope event() {
        return new EventEnvelope(UUID.randomUUID(), "InboxProbe", UUID.randomUUID().toString(), Instant.now(), 1,
                JsonNodeFactory.instance.objectNode());
    }

    private static String consumer() {
        return "eligibility-service:inbox-test-" + UUID.randomUUID();
    }

    @Test
    void anEventDeliveredTwiceIsAppliedOnceAndAnotherConsumerAppliesItToo() {
        EventEnvelope event = event();
        String consumer = consumer();
        AtomicInteger applied = new AtomicInteger();
        EventHandler counting = e -> applied.incrementAndGet();

        assertThat(inbox.consume(consumer, event, counting)).isTrue();
        assertThat(inbox.consume(consumer, event, counting)).as("the second delivery is skipped").isFalse();
        assertThat(applied).as("applications of one event by one consumer").hasValue(1);

        // Deduplication is per consumer: another one (another service, another channel) applies it once as well.
        String other = consumer();
        assertThat(inbox.consume(other, event, counting)).isTrue();
        assertThat(inbox.consume(other, event, counting)).isFalse();
        assertThat(applied).hasValue(2);
    }

    @Test
    void aFailedAttemptLeavesNoTraceSoTheRetryAppliesItOnce() {
        EventEnvelope event = event();
        String consumer = consumer();
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger applied = new AtomicInteger();
        EventHandler failingOnce = e -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("a transient failure");
            }
            applied.incrementAndGet();
        };

        // The consumed-event record rolls back with the failed effect: were it kept, the retry would skip the event
        // and it would never be applied.
        assertThat(inbox.consume(consumer, event, failingOnce)).isTrue();
        assertThat(attempts).hasValue(2);
        assertThat(applied).hasValue(1);
        assertThat(inbox.consume(consumer, event, failingOnce)).isFalse();
        assertThat(applied).hasValue(1);
    }

    @Test
    void twoCopiesConsumedAtOnceAreAppliedOnce() throws Exception {
        EventEnvelope event = event();
        String consumer = consumer();
        AtomicInteger applied = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        EventHandler slow = e -> {
            applied.incrementAndGet();
            try {
                // Holds the first copy's transaction open (consumed-event row written, not committed) until the
                // second copy is seen waiting for it; the bound only keeps a broken run from hanging.
                assertThat(release.await(60, TimeUnit.SECONDS)).as("released").isTrue();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(interrupted);
            }
        };

        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> inbox.consume(consumer, event, slow));
        await().atMost(Duration.ofSeconds(30)).until(() -> applied.get() == 1);
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> inbox.consume(consumer, event, slow));
        // The overlap is real only once the second copy waits on the first one's row (a lock wait in PostgreSQL).
        await().atMost(Duration.ofSeconds(30)).until(() -> waitingInserts() >= 1);
        release.countDown();

        List<Boolean> outcomes = List.of(first.get(60, TimeUnit.SECONDS), second.get(60, TimeUnit.SECONDS));
        assertThat(outcomes).containsExactly(true, false);
        assertThat(applied).as("applications of two concurrent copies").hasValue(1);
    }

    /** Sessions of this database blocked on a lock while inserting a consumed event. */
    private long waitingInserts() throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                        + " AND query LIKE 'INSERT INTO consumed_event%'")) {
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
