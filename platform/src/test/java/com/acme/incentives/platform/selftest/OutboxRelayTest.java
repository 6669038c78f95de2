package com.acme.incentives.platform.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.acme.incentives.platform.concurrency.AdvisoryLocks;
import com.acme.incentives.platform.events.Outbox;
import com.acme.incentives.platform.testing.TestSql;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Outbox and OutboxRelay: what a transaction published reaches Kafka after its commit, in the order written for one
 * aggregate, once per event; what a rolled-back transaction published never does. (The relay's back-off while the
 * broker is away: identity-service's OutboxTest stops Kafka for it.)
 */
@QuarkusTest
class OutboxRelayTest {

    record Step(int seq) {
    }

    @Inject
    Outbox outbox;

    @Inject
    AgroalDataSource db;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry metrics;

    @ConfigProperty(name = "platform.outbox.topic")
    String topic;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String brokers;

    @Test
    void eventsOfOneAggregateArriveOnceEachInTheOrderWrittenAndARolledBackOneNever() throws Exception {
        String aggregate = "aggregate-" + UUID.randomUUID();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // fixes the start before anything is published

            // 30 events in three transactions of 10 (the relay may take them in one batch or several), and between
            // them one transaction that publishes, then rolls back.
            for (int t = 0; t < 3; t++) {
                int first = t * 10;
                QuarkusTransaction.requiringNew().run(() -> outbox.publishAll(IntStream.range(first, first + 10)
                        .mapToObj(i -> new Outbox.NewEvent(aggregate, "SelftestStep", new Step(i))).toList()));
                if (t == 1) {
                    try {
                        QuarkusTransaction.requiringNew().run(() -> {
                            outbox.publish(aggregate, "SelftestStep", new Step(-1));
                            throw new IllegalStateException("rolled back (the test's)");
                        });
                    } catch (IllegalStateException expected) {
                        // the business change failed: its event must not exist
                    }
                }
            }

            List<Integer> received = new ArrayList<>();
            Set<String> eventIds = new java.util.HashSet<>();
            Instant until = Instant.now().plusSeconds(60);
            while (received.size() < 30 && Instant.now().isBefore(until)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (aggregate.equals(record.key())) {
                        JsonNode envelope = json.readTree(record.value());
                        eventIds.add(envelope.path("eventId").asText());
                        received.add(envelope.path("data").path("seq").asInt());
                    }
                }
            }
            assertThat(received).as("the aggregate's events, as they arrived")
                    .containsExactlyElementsOf(IntStream.range(0, 30).boxed().toList());
            assertThat(eventIds).hasSize(30);
            // Nothing more comes (a duplicate, or the rolled-back event) while the relay goes on working.
            for (int i = 0; i < 4; i++) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    assertThat(record.key()).as("a record after the 30").isNotEqualTo(aggregate);
                }
            }
        }
        assertThat(TestSql.count(db, "SELECT count(*) FROM outbox_event WHERE aggregate_id = ?", aggregate))
                .as("outbox rows: the rolled-back one was never written").isEqualTo(30);
        assertThat(TestSql.count(db,
                "SELECT count(*) FROM outbox_event WHERE aggregate_id = ? AND sent_at IS NOT NULL", aggregate))
                .as("stamped sent").isEqualTo(30);
    }

    @Test
    void aRelayThatFindsAnotherReplicaPublishingAsksAgainWithoutWaitingForThePoll() throws Exception {
        // The test application's poll is an hour (application.properties): a row is published only because its
        // commit woke the relay, or because the relay asked again after finding the turn taken.
        String aggregate = "aggregate-" + UUID.randomUUID();
        Counter turnsTaken = metrics.get("outbox.relay.turns.taken").counter();
        try (Connection otherReplica = db.getConnection()) {
            otherReplica.setAutoCommit(false);
            // Another replica's turn: the relay's lock, held as a publishing relay holds it (its transaction).
            AdvisoryLocks.OUTBOX_RELAY.lock(otherReplica);
            double before = turnsTaken.count();
            QuarkusTransaction.requiringNew().run(() -> outbox.publish(aggregate, "SelftestStep", new Step(1)));
            // The commit woke the relay, which found the turn taken...
            await().atMost(Duration.ofSeconds(30)).until(() -> turnsTaken.count() > before);
            assertThat(sent(aggregate)).as("published while another replica held the turn").isZero();
            otherReplica.rollback(); // ...and that replica's turn ends, publishing nothing of this one's.
        }
        // Nothing wakes the relay again: it publishes the row because it asked again on its own.
        await().atMost(Duration.ofSeconds(30)).until(() -> sent(aggregate) == 1);
    }

    private long sent(String aggregate) {
        return TestSql.count(db, "SELECT count(*) FROM outbox_event WHERE aggregate_id = ? AND sent_at IS NOT NULL",
                aggregate);
    }

    private KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                // The relay writes in Kafka transactions: read what committed, as the services' consumers do.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
    }
}
