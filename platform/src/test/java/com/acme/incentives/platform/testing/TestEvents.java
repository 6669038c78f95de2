package com.acme.incentives.platform.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

/** Reads and writes the real Kafka topics in tests, as a read_committed consumer like every service. */
public final class TestEvents implements AutoCloseable {

    public static final String BOOTSTRAP = System.getProperty("kafka.bootstrap.servers", "127.0.0.1:9092");
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    private TestEvents(String logicalTopic, boolean fromEnd) {
        String topic = TestInstance.topic(logicalTopic);
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(config);
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        consumer.assign(partitions);
        if (fromEnd) {
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve now, so later records are not skipped
        } else {
            consumer.seekToBeginning(partitions);
        }
    }

    /**
     * Starts listening at the current end of the test's instance's topic of that logical name ({@code identity.events}
     * is {@code test.identity.events} in the module tests): only what is published from now on is seen.
     */
    public static TestEvents listen(String topic) {
        return new TestEvents(topic, true);
    }

    /**
     * Polls until {@code count} records match, then keeps polling {@code settle} longer to catch extra (duplicate)
     * ones; returns every matching record's envelope. Fails when fewer than {@code count} arrive in time.
     */
    public List<JsonNode> await(Predicate<JsonNode> match, int count, Duration timeout, Duration settle) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        long settleUntil = Long.MAX_VALUE;
        while (System.currentTimeMillis() < Math.min(deadline, settleUntil)) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                seen.add(record);
            }
            if (settleUntil == Long.MAX_VALUE && matching(match).size() >= count) {
                settleUntil = System.currentTimeMillis() + settle.toMillis();
            }
        }
        List<JsonNode> result = matching(match);
        if (result.size() < count) {
            throw new AssertionError("Expected " + count + " events but saw " + result.size() + " matching among "
                    + seen.size() + " records");
        }
        return result;
    }

    public List<JsonNode> await(Predicate<JsonNode> match, int count) {
        return await(match, count, Duration.ofSeconds(30), Duration.ofSeconds(1));
    }

    /** Polls until at least {@code count} raw records (parseable or not) arrived; returns all seen so far. */
    public List<ConsumerRecord<String, String>> awaitRecords(int count, Duration timeout) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (seen.size() < count && System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                seen.add(record);
            }
        }
        if (seen.size() < count) {
            throw new AssertionError("Expected " + count + " records but saw " + seen.size());
        }
        return List.copyOf(seen);
    }

    public List<ConsumerRecord<String, String>> records() {
        return List.copyOf(seen);
    }

    private List<JsonNode> matching(Predicate<JsonNode> match) {
        List<JsonNode> result = new ArrayList<>();
        for (ConsumerRecord<String, String> record : seen) {
            JsonNode node = parse(record.value());
            if (node != null && match.test(node)) {
                result.add(node);
            }
        }
        return result;
    }

    private static JsonNode parse(String value) {
        try {
            return value == null ? null : JSON.readTree(value);
        } catch (Exception e) {
            return null;
        }
    }

    public static Predicate<JsonNode> ofType(String type, String aggregateId) {
        return node -> type.equals(node.path("type").asText()) && aggregateId.equals(node.path("aggregateId").asText());
    }

    /**
     * Publishes a raw record to the test's instance's topic of that logical name, as another service's relay (or a
     * misbehaving producer) would.
     */
    public static void produce(String logicalTopic, String key, String value, Map<String, String> headers) {
        String topic = TestInstance.topic(logicalTopic);
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
            headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("Could not produce to " + topic, e);
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
