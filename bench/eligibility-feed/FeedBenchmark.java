import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feeds 100,000 agreement and competency records (plus the first transactions resellers need) for 20,000 locations
 * through POST /api/v1/feeds/batches of a running eligibility-service, and measures records/s and the time until
 * every location's EligibilityChanged (eligible=true) has been published on eligibility.events.
 *
 * Run through run.sh (it starts the service and puts the service's own libraries on the class path).
 */
public class FeedBenchmark {

    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        String service = env("BENCH_SERVICE_URL", "http://localhost:8122");
        String keycloak = env("BENCH_KEYCLOAK_URL", "http://localhost:8180");
        String jdbc = env("BENCH_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/eligibility_bench");
        String kafka = env("BENCH_KAFKA", "127.0.0.1:9092");
        int locations = Integer.parseInt(env("BENCH_LOCATIONS", "20000"));
        int batchRows = Integer.parseInt(env("BENCH_BATCH_ROWS", "5000"));
        int senders = Integer.parseInt(env("BENCH_SENDERS", "2"));

        // 10-digit partner IDs unique to this run: "7" + 3-digit run + 6-digit index.
        String run = String.format("%03d", ThreadLocalRandom.current().nextInt(1000));
        List<String> partnerIds = new ArrayList<>(locations);
        for (int i = 0; i < locations; i++) {
            partnerIds.add("7" + run + String.format("%06d", i));
        }
        String[] types = { "DIRECT_BILL", "INDIRECT_PROVIDER", "INDIRECT_RESELLER" };
        String[] countries = { "DE", "FR", "US", "GB", "NL", "IT", "ES", "JP", "BR", "IN" };

        // Locations normally arrive as identity-service's LocationAdded. The benchmark writes the projection rows
        // itself instead of publishing 20,000 fake LocationAdded events on the shared identity.events topic, which
        // every other service (and every developer's consumer group) would then consume.
        System.out.printf("Run %s: registering %,d locations in partner_location%n", run, locations);
        try (Connection db = DriverManager.getConnection(jdbc, "eligibility", "eligibility");
                PreparedStatement insert = db.prepareStatement("INSERT INTO partner_location (partner_id,"
                        + " organization_id, country, partner_type, known_since, source_event_id)"
                        + " VALUES (?, ?, ?, ?, now(), ?)")) {
            for (int i = 0; i < locations; i++) {
                insert.setString(1, partnerIds.get(i));
                insert.setObject(2, UUID.randomUUID());
                insert.setString(3, countries[i % countries.length]);
                insert.setString(4, types[i % 3]);
                insert.setObject(5, UUID.randomUUID());
                insert.addBatch();
                if (i % 1000 == 999) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }

        // Five agreement/competency records per location, grouped so each batch holds whole locations.
        LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
        List<ObjectNode> batches = new ArrayList<>();
        ObjectNode batch = null;
        int rowsInBatch = 0;
        long factRecords = 0;
        long firstTransactionRecords = 0;
        for (int i = 0; i < locations; i++) {
            int rowsForLocation = i % 3 == 2 ? 6 : 5;
            if (batch == null || rowsInBatch + rowsForLocation > batchRows) {
                batch = JSON.createObjectNode();
                batch.putArray("agreements");
                batch.putArray("competencies");
                batch.putArray("firstTransactions");
                batches.add(batch);
                rowsInBatch = 0;
            }
            String p = partnerIds.get(i);
            ArrayNode agreements = (ArrayNode) batch.get("agreements");
            ArrayNode competencies = (ArrayNode) batch.get("competencies");
            agreements.add(agreement(p, "MPN-" + i, "MPN", today.minusYears(2), today.plusYears(3)));
            switch (i % 3) {
                case 0 -> agreements.add(agreement(p, "RES-" + i, "RESELLER", today.minusYears(1), null));
                case 1 -> agreements.add(agreement(p, "CD-" + i, "CLOUD_DISTRIBUTOR", today.minusYears(1), null));
                default -> agreements.add(agreement(p, "MPN-OLD-" + i, "MPN", today.minusYears(5),
                        today.minusYears(2).minusDays(1)));
            }
            for (int c = 0; c < 3; c++) {
                ObjectNode competency = competencies.addObject();
                competency.put("partnerId", p);
                competency.put("competencyId", "C-" + i + "-" + c);
                competency.put("name", "Competency " + c);
                competency.put("level", c == 0 ? "GOLD" : "SILVER");
                competency.put("validFrom", today.minusYears(1).toString());
                competency.put("validTo", today.plusYears(4).toString());
            }
            factRecords += 5;
            if (i % 3 == 2) {
                ObjectNode first = ((ArrayNode) batch.get("firstTransactions")).addObject();
                first.put("partnerId", p);
                first.put("date", today.minusMonths(3).toString());
                firstTransactionRecords++;
            }
            rowsInBatch += rowsForLocation;
        }

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String token = token(http, keycloak);
        Set<String> pending = ConcurrentHashMap.newKeySet();
        pending.addAll(partnerIds);
        AtomicLong lastEligibleAt = new AtomicLong();
        AtomicLong eventsSeen = new AtomicLong();
        Thread listener = listen(kafka, pending, lastEligibleAt, eventsSeen);

        System.out.printf("Feeding %,d agreement/competency records + %,d first transactions in %d batches"
                + " (%d senders)%n", factRecords, firstTransactionRecords, batches.size(), senders);
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        List<Future<JsonNode>> answers = new ArrayList<>();
        for (ObjectNode body : batches) {
            answers.add(pool.submit(() -> post(http, service, token, body)));
        }
        long changes = 0;
        for (Future<JsonNode> answer : answers) {
            changes += answer.get().path("eligibilityChanges").asLong();
        }
        long fed = System.nanoTime();
        pool.shutdown();

        // Time until every location's eligible=true event has been published (and consumed here).
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        listener.interrupt();
        double feedSeconds = (fed - start) / 1e9;
        long totalRecords = factRecords + firstTransactionRecords;
        System.out.println();
        System.out.printf("records fed:                 %,d agreement/competency + %,d first transactions%n",
                factRecords, firstTransactionRecords);
        System.out.printf("feed time (all batches 200): %.1f s%n", feedSeconds);
        System.out.printf("throughput:                  %,.0f agreement/competency records/s (%,.0f rows/s all kinds)%n",
                factRecords / feedSeconds, totalRecords / feedSeconds);
        System.out.printf("eligibility changes reported by the API: %,d%n", changes);
        if (pending.isEmpty()) {
            double lastEvent = (lastEligibleAt.get() - start) / 1e9;
            System.out.printf("time to last EligibilityChanged: %.1f s after the first batch was sent (%.1f s after"
                    + " the last batch was answered); %,d events seen%n", lastEvent, lastEvent - feedSeconds,
                    eventsSeen.get());
        } else {
            System.out.printf("NOT COMPLETE: %,d locations without an eligible=true event after 10 minutes%n",
                    pending.size());
            System.exit(1);
        }
        // The same first batch again must change nothing.
        JsonNode again = post(http, service, token, batches.get(0));
        System.out.printf("re-sending batch 1: rowsChanged=%d eligibilityChanges=%d%n",
                again.path("rowsChanged").asLong(), again.path("eligibilityChanges").asLong());
        System.exit(0);
    }

    static ObjectNode agreement(String partnerId, String id, String type, LocalDate from, LocalDate to) {
        ObjectNode row = JSON.createObjectNode();
        row.put("partnerId", partnerId);
        row.put("agreementId", id);
        row.put("type", type);
        row.put("status", "ACTIVE");
        row.put("validFrom", from.toString());
        if (to != null) {
            row.put("validTo", to.toString());
        }
        return row;
    }

    static JsonNode post(HttpClient http, String service, String token, ObjectNode body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(service + "/api/v1/feeds/batches"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Batch refused: " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    static String token(HttpClient http, String keycloak) throws Exception {
        String form = "grant_type=client_credentials&client_id=partner-feed&client_secret="
                + URLEncoder.encode("partner-feed-secret", StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(
                URI.create(keycloak + "/realms/" + env("BENCH_REALM", "incentives-bench") + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("No PARTNER_FEED token: " + response.body());
        }
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    /** Reads eligibility.events from its current end (read_committed, like every consumer). */
    static Thread listen(String bootstrap, Set<String> pending, AtomicLong lastEligibleAt, AtomicLong seen)
            throws InterruptedException {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config);
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor("eligibility.events", Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition("eligibility.events", info.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        Thread thread = new Thread(() -> {
            try (consumer) {
                while (!Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        if (!pending.contains(record.key())) {
                            continue;
                        }
                        seen.incrementAndGet();
                        JsonNode data = JSON.readTree(record.value()).path("data");
                        if (data.path("eligible").asBoolean() && pending.remove(record.key())) {
                            lastEligibleAt.set(System.nanoTime());
                        }
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                // stopped
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "bench-listener");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
