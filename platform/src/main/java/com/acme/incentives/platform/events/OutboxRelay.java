package com.acme.incentives.platform.events;

import com.acme.incentives.platform.concurrency.AdvisoryLocks;
import com.acme.incentives.platform.correlation.CorrelationId;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes committed outbox rows to Kafka, oldest first, and stamps them sent.
 *
 * <p>Guarantees and why:
 * <ul>
 * <li>Order per aggregate key: one relay at a time per service (a PostgreSQL advisory lock, so replicas take turns),
 * rows read in id order, and each batch sent in one Kafka transaction: a batch is visible to read_committed consumers
 * entirely or not at all, so a retry after a failure never puts a later event before an earlier one.</li>
 * <li>Nothing lost: a row is stamped sent only after Kafka acknowledged the commit of its batch. While the broker is
 * away the relay backs off (up to {@code platform.outbox.max-backoff}) and tries again.</li>
 * <li>At least once: if the process dies between the Kafka commit and the stamp, the batch is sent again; consumers
 * drop duplicates by event id.</li>
 * </ul>
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final String SELECT_UNSENT = "SELECT id, event_id, topic, aggregate_id, event_type, payload,"
            + " correlation_id, trace_parent, trace_state FROM outbox_event WHERE sent_at IS NULL ORDER BY id LIMIT ?";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry metrics;

    @Inject
    EventTracing tracing;

    /** Every {@code kafka.*} property (KAFKA_* variables too), as the SmallRye channels get it: the brokers and, on
     * Kubernetes, the SASL_SSL settings (deploy/k8s, "Kafka security"), so the relay connects as the channels do. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @ConfigProperty(name = "quarkus.application.name")
    String applicationName;

    @Inject
    OutboxSettings settings;

    /** What {@link #publishBatch()} answers when another replica holds the relay's lock (it is publishing). */
    private static final int TURN_TAKEN = -1;

    private static final long GAUGE_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Semaphore wakeUps = new Semaphore(0);
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestUnsentAgeSeconds = new AtomicLong();
    private volatile boolean running;
    private Thread thread;
    private KafkaProducer<String, String> producer;
    private Counter published;
    private Counter failures;
    private Counter turnsTaken;
    /** Monotonic ({@link System#nanoTime()}): a throttle measures elapsed time, not the date; starts one interval
     * back so the first refresh happens at once. */
    private long lastGaugeRefresh = System.nanoTime() - GAUGE_REFRESH_NANOS;

    void start(@Observes StartupEvent event) {
        published = metrics.counter("outbox.events.published");
        failures = metrics.counter("outbox.publish.failures");
        turnsTaken = Counter.builder("outbox.relay.turns.taken")
                .description("Times the relay found another replica publishing and asked again shortly")
                .register(metrics);
        Gauge.builder("outbox.backlog", backlog, AtomicLong::get).description("Outbox rows not yet published")
                .register(metrics);
        Gauge.builder("outbox.oldest.unsent.age.seconds", oldestUnsentAgeSeconds, AtomicLong::get)
                .description("Age of the oldest unpublished outbox row").register(metrics);
        if (!settings.enabled()) {
            LOG.info("Outbox relay disabled by configuration");
            return;
        }
        running = true;
        thread = new Thread(this::loop, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        wakeUp();
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeProducer();
    }

    /** Called after a transaction with outbox rows committed, so events leave within milliseconds, not a poll. */
    public void wakeUp() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    /** Rows not yet published, as last measured (for metrics and tests). */
    public long backlog() {
        return backlog.get();
    }

    private void loop() {
        long backoffMillis = 0;
        boolean brokerWasDown = false;
        while (running) {
            try {
                int sent = publishBatch();
                if (sent == TURN_TAKEN) {
                    // Another replica is publishing, perhaps not the rows that woke this one: ask again soon. Says
                    // nothing of the broker, so a back-off under way goes on (the other may be failing as well).
                    turnsTaken.increment();
                    refreshGauges(false);
                    wakeUps.tryAcquire(Math.max(settings.busyRetry().toMillis(), backoffMillis),
                            TimeUnit.MILLISECONDS);
                    continue;
                }
                if (brokerWasDown) {
                    LOG.info("Outbox relay publishing again");
                    brokerWasDown = false;
                }
                backoffMillis = 0;
                refreshGauges(false);
                if (sent < settings.batchSize()) {
                    wakeUps.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wakeUps.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failures.increment();
                closeProducer();
                if (!brokerWasDown) {
                    LOG.warnf("Outbox relay could not publish (%s); retrying with back-off", describe(e));
                    brokerWasDown = true;
                }
                backoffMillis = Math.min(settings.maxBackoff().toMillis(), backoffMillis == 0 ? 200 : backoffMillis * 2);
                refreshGauges(true);
                sleep(backoffMillis);
            }
        }
    }

    /** Publishes up to one batch; returns how many rows it published, or {@link #TURN_TAKEN}. */
    int publishBatch() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                int sent = publishBatch(connection);
                connection.commit();
                return sent;
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private int publishBatch(Connection connection) throws Exception {
        if (!AdvisoryLocks.OUTBOX_RELAY.tryLock(connection)) {
            return TURN_TAKEN;
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(SELECT_UNSENT)) {
            select.setInt(1, settings.batchSize());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)));
                }
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        KafkaProducer<String, String> kafka = producer();
        kafka.beginTransaction();
        List<Span> spans = new ArrayList<>(rows.size());
        try {
            List<Future<?>> acks = new ArrayList<>(rows.size());
            for (Row row : rows) {
                ProducerRecord<String, String> record = new ProducerRecord<>(row.topic, row.aggregateId, row.payload);
                record.headers().add("event-id", row.eventId.toString().getBytes(StandardCharsets.UTF_8));
                record.headers().add("event-type", row.type.getBytes(StandardCharsets.UTF_8));
                if (row.correlationId != null) {
                    record.headers().add(CorrelationId.KAFKA_HEADER,
                            row.correlationId.getBytes(StandardCharsets.UTF_8));
                }
                // Continues the trace of the transaction that wrote the row; the span's context goes in the headers.
                spans.add(tracing.startPublish(record, row.eventId.toString(), row.type, row.traceParent,
                        row.traceState));
                acks.add(kafka.send(record));
            }
            kafka.commitTransaction();
            for (Future<?> ack : acks) {
                ack.get(); // surfaces a failed send that commit did not report
            }
        } catch (Exception e) {
            spans.forEach(span -> EventTracing.end(span, e));
            try {
                kafka.abortTransaction();
            } catch (Exception ignored) {
                // the producer is replaced below; the broker aborts the open transaction when the new one starts
            }
            throw e;
        }
        spans.forEach(span -> EventTracing.end(span, null));
        markSent(connection, rows);
        published.increment(rows.size());
        return rows.size();
    }

    private void markSent(Connection connection, List<Row> rows) throws SQLException {
        Long[] ids = rows.stream().map(r -> r.id).toArray(Long[]::new);
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE outbox_event SET sent_at = now() WHERE id = ANY(?)")) {
            Array array = connection.createArrayOf("bigint", ids);
            update.setArray(1, array);
            update.executeUpdate();
        }
    }

    private void refreshGauges(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastGaugeRefresh < GAUGE_REFRESH_NANOS) {
            return;
        }
        lastGaugeRefresh = now;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)"
                                + " FROM outbox_event WHERE sent_at IS NULL");
                ResultSet rs = query.executeQuery()) {
            rs.next();
            backlog.set(rs.getLong(1));
            oldestUnsentAgeSeconds.set((long) rs.getDouble(2));
        } catch (SQLException e) {
            LOG.debugf("Could not measure the outbox backlog: %s", e.getMessage());
        }
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties config = new Properties();
            config.putAll(kafkaConfig);
            // Quarkus fills in the application name as a consumer group for the channels; a producer has none.
            config.remove("group.id");
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            // Unique per process: replicas never fence each other; the advisory lock already keeps them apart.
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, applicationName + "-outbox-" + UUID.randomUUID());
            config.put(ProducerConfig.CLIENT_ID_CONFIG, applicationName + "-outbox");
            // Fail fast while the broker is away; the loop retries with back-off instead of blocking for a minute.
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
            config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
            config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "30000");
            config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
            KafkaProducer<String, String> created = new KafkaProducer<>(config);
            try {
                created.initTransactions();
            } catch (RuntimeException e) {
                created.close(Duration.ZERO);
                throw e;
            }
            producer = created;
        }
        return producer;
    }

    private void closeProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(1));
            } catch (Exception e) {
                LOG.debug("Closing the outbox producer failed", e);
            }
            producer = null;
        }
    }

    private static String describe(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Row(long id, UUID eventId, String topic, String aggregateId, String type, String payload,
            String correlationId, String traceParent, String traceState) {
    }
}
