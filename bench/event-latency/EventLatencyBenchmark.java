import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Event latency from a feed write to the invitation stored by enrollment-service, under a steady load.
 *
 * Set-up, through the real APIs (so every location travels identity -> LocationAdded -> eligibility and enrollment):
 * BENCH_ORGS organizations with BENCH_LOCATIONS INDIRECT_RESELLER locations in all, registered as operator on
 * identity-service; then an MPN agreement and a SILVER competency per location through one feed batch. A reseller
 * also needs its first transaction, so each location is one criterion short of eligible.
 *
 * Load: BENCH_RATE single PUT /locations/{p}/first-transaction per second (fixed rate, one location each), as
 * PARTNER_FEED. Each makes its location eligible for csp-indirect-reseller: EligibilityChanged -> enrollment-service
 * issues an invitation. Latency = invitation.issued_at (enrollment's database) - the instant the PUT was sent.
 * Both clocks are this machine's. Prints "RESULT name value" lines for bench/run-all.sh.
 */
public class EventLatencyBenchmark {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public static void main(String[] args) throws Exception {
        String identity = env("BENCH_IDENTITY_URL", "http://localhost:8131");
        String eligibility = env("BENCH_ELIGIBILITY_URL", "http://localhost:8132");
        String keycloak = env("BENCH_KEYCLOAK_URL", "http://localhost:8180");
        String eligibilityDb = env("BENCH_ELIGIBILITY_JDBC", "jdbc:postgresql://127.0.0.1:5432/eligibility_bench");
        String enrollmentDb = env("BENCH_ENROLLMENT_JDBC", "jdbc:postgresql://127.0.0.1:5432/enrollment_bench");
        int orgs = Integer.parseInt(env("BENCH_ORGS", "3"));
        int locations = Integer.parseInt(env("BENCH_LOCATIONS", "300"));
        double rate = Double.parseDouble(env("BENCH_RATE", "5"));
        // The first invitations after start-up run cold code (class loading, JIT, first queries): on a loaded
        // 2-core machine the very first took ~6 s and the backlog behind it ~12 s to drain. Those writes are sent
        // first, at the same rate, waited for, and left out of the figures.
        int warmup = Integer.parseInt(env("BENCH_WARMUP", "30"));
        int measured = locations;
        locations = warmup + measured;

        // 11-digit partner IDs unique to this run: "5" + 4-digit run + 6-digit index.
        String run = String.format("%04d", ThreadLocalRandom.current().nextInt(10000));
        List<String> partnerIds = new ArrayList<>();
        for (int i = 0; i < locations; i++) {
            partnerIds.add("5" + run + String.format("%06d", i));
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        String operator = passwordToken(keycloak, "operator", "Operator-Demo-1");
        long t0 = System.nanoTime();
        List<String> orgIds = new ArrayList<>();
        for (int o = 0; o < orgs; o++) {
            ObjectNode body = JSON.createObjectNode();
            body.put("name", "Bench " + run + " org " + o);
            ObjectNode contact = body.putObject("primaryContact");
            contact.put("email", "bench-" + run + "-" + o + "@bench.example.com");
            contact.put("firstName", "Bench");
            contact.put("lastName", "Contact " + o);
            orgIds.add(send("POST", identity + "/api/v1/organizations", operator, body, 201).path("id").asText());
        }
        for (int i = 0; i < locations; i++) {
            ObjectNode body = JSON.createObjectNode();
            body.put("partnerId", partnerIds.get(i));
            body.put("name", "Bench location " + i);
            body.put("country", "DE");
            body.put("partnerType", "INDIRECT_RESELLER");
            send("POST", identity + "/api/v1/organizations/" + orgIds.get(i % orgs) + "/locations", operator, body,
                    201);
        }
        System.out.printf("run %s: %d organizations, %d locations registered on identity-service in %.1f s%n", run,
                orgs, locations, (System.nanoTime() - t0) / 1e9);

        // Both consumers must know every location before the facts arrive (eligibility would keep them pending,
        // enrollment could not address an invitation).
        waitForCount(eligibilityDb, "eligibility", "SELECT count(*) FROM known_location WHERE partner_id = ANY(?)",
                partnerIds, locations, "eligibility-service knows the locations");
        waitForCount(enrollmentDb, "enrollment", "SELECT count(*) FROM partner_location WHERE partner_id = ANY(?)",
                partnerIds, locations, "enrollment-service knows the locations");

        String feed = clientToken(keycloak);
        ObjectNode batch = JSON.createObjectNode();
        ArrayNode agreements = batch.putArray("agreements");
        ArrayNode competencies = batch.putArray("competencies");
        batch.putArray("firstTransactions");
        for (String p : partnerIds) {
            ObjectNode a = agreements.addObject();
            a.put("partnerId", p);
            a.put("agreementId", "MPN-" + p);
            a.put("type", "MPN");
            a.put("status", "ACTIVE");
            a.put("validFrom", today.minusYears(1).toString());
            ObjectNode c = competencies.addObject();
            c.put("partnerId", p);
            c.put("competencyId", "C-" + p);
            c.put("name", "Bench competency");
            c.put("level", "SILVER");
            c.put("validFrom", today.minusYears(1).toString());
        }
        send("POST", eligibility + "/api/v1/feeds/batches", feed, batch, 200);
        // Let the set-up's own events (first evaluation, two criteria met) drain before the measured load.
        waitForCount(eligibilityDb, "eligibility", "SELECT count(*) FROM outbox_event WHERE sent_at IS NULL"
                + " AND cardinality(?::text[]) >= 0", partnerIds, 0, "eligibility's outbox drained");
        Thread.sleep(3000);

        String body = "{\"date\":\"" + today.minusDays(1) + "\"}";
        if (warmup > 0) {
            System.out.printf("warm-up: %d writes at %.1f/s, not counted%n", warmup, rate);
            Load w = load(eligibility, feed, partnerIds.subList(0, warmup), body, rate);
            Map<String, Instant> issuedWarm = invitations(enrollmentDb, partnerIds.subList(0, warmup), w.sentAt.size());
            System.out.printf("warm-up: %d of %d invitations stored%n", issuedWarm.size(), warmup);
        }
        List<String> measuredIds = partnerIds.subList(warmup, locations);
        System.out.printf("load: %d writes at %.1f/s (%.0f s)%n", measured, rate, measured / rate);
        long startNs = System.nanoTime();
        Load l = load(eligibility, feed, measuredIds, body, rate);
        double loadSeconds = (System.nanoTime() - startNs) / 1e9;
        Map<String, Instant> sentAt = l.sentAt;
        Map<String, Instant> issued = invitations(enrollmentDb, measuredIds, sentAt.size());
        AtomicInteger failures = l.failures;
        List<Long> writeMicros = l.writeMicros;
        locations = measured;
        long[] latencies = sentAt.entrySet().stream().filter(e -> issued.containsKey(e.getKey()))
                .mapToLong(e -> Duration.between(e.getValue(), issued.get(e.getKey())).toMillis()).sorted().toArray();
        long[] writes = writeMicros.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("writes: %d sent in %.1f s (%.2f/s), %d failed; invitations stored: %d%n", locations,
                loadSeconds, locations / loadSeconds, failures.get(), latencies.length);
        System.out.printf("RESULT event_count %d%n", latencies.length);
        System.out.printf("RESULT event_missing %d%n", sentAt.size() - latencies.length);
        System.out.printf("RESULT event_rate %.2f%n", locations / loadSeconds);
        System.out.printf("RESULT event_p50_ms %d%n", pct(latencies, 50));
        System.out.printf("RESULT event_p99_ms %d%n", pct(latencies, 99));
        System.out.printf("RESULT event_max_ms %d%n", latencies.length == 0 ? -1 : latencies[latencies.length - 1]);
        System.out.printf("RESULT write_p50_ms %.1f%n", pct(writes, 50) / 1000.0);
        System.out.printf("RESULT write_p99_ms %.1f%n", pct(writes, 99) / 1000.0);
        System.out.printf("RESULT partner_id %s%n", partnerIds.get(0));
        System.out.printf("RESULT measured_prefix_first %s%n", measuredIds.get(0));
        System.out.printf("RESULT organization_id %s%n", orgIds.get(0));
    }

    record Load(Map<String, Instant> sentAt, List<Long> writeMicros, AtomicInteger failures) {
    }

    /** One PUT first-transaction per partner ID at a fixed rate (own threads, so a slow answer delays no other). */
    static Load load(String eligibility, String feed, List<String> ids, String body, double rate) throws Exception {
        Map<String, Instant> sentAt = new ConcurrentHashMap<>();
        List<Long> writeMicros = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(ids.size());
        AtomicInteger next = new AtomicInteger();
        ScheduledExecutorService ticker = Executors.newScheduledThreadPool(4);
        ticker.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            if (i >= ids.size()) {
                return;
            }
            String p = ids.get(i);
            try {
                HttpRequest request = HttpRequest.newBuilder(
                        URI.create(eligibility + "/api/v1/locations/" + p + "/first-transaction"))
                        .header("Authorization", "Bearer " + feed).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.ofString(body)).build();
                Instant sent = Instant.now();
                long s = System.nanoTime();
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                writeMicros.add((System.nanoTime() - s) / 1000);
                if (response.statusCode() == 200) {
                    sentAt.put(p, sent);
                } else {
                    failures.incrementAndGet();
                    System.out.println("write refused: " + response.statusCode() + " " + response.body());
                }
            } catch (Exception e) {
                failures.incrementAndGet();
                System.out.println("write failed: " + e);
            } finally {
                done.countDown();
            }
        }, 0, Math.round(1_000_000 / rate), TimeUnit.MICROSECONDS);
        done.await();
        ticker.shutdownNow();
        return new Load(sentAt, writeMicros, failures);
    }

    /** The first invitation of each location (csp-indirect-reseller), polled until all expected are there or 60 s. */
    static Map<String, Instant> invitations(String enrollmentDb, List<String> ids, int expected) throws Exception {
        Map<String, Instant> issued = new HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Connection db = DriverManager.getConnection(enrollmentDb, "enrollment", "enrollment");
                PreparedStatement q = db.prepareStatement("SELECT partner_id, min(issued_at) FROM invitation"
                        + " WHERE partner_id = ANY(?) AND program_id = 'csp-indirect-reseller' GROUP BY partner_id")) {
            q.setArray(1, db.createArrayOf("text", ids.toArray()));
            while (true) {
                issued.clear();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        issued.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                    }
                }
                if (issued.size() >= expected || System.nanoTime() > deadline) {
                    return issued;
                }
                Thread.sleep(500);
            }
        }
    }

    static long pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static void waitForCount(String jdbc, String user, String sql, List<String> ids, int expected, String what)
            throws Exception {
        long start = System.nanoTime();
        try (Connection db = DriverManager.getConnection(jdbc, user, user);
                PreparedStatement q = db.prepareStatement(sql)) {
            Array array = db.createArrayOf("text", ids.toArray());
            q.setArray(1, array);
            for (int i = 0; i < 240; i++) {
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) == expected) {
                        System.out.printf("%s after %.1f s%n", what, (System.nanoTime() - start) / 1e9);
                        return;
                    }
                }
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("timed out waiting until " + what);
    }

    static JsonNode send(String method, String url, String token, JsonNode body, int expected) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString()).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + url + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    static String passwordToken(String keycloak, String user, String password) throws Exception {
        return token(keycloak, "grant_type=password&client_id=incentives-cli&username=" + user + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8));
    }

    static String clientToken(String keycloak) throws Exception {
        return token(keycloak, "grant_type=client_credentials&client_id=partner-feed&client_secret="
                + URLEncoder.encode("partner-feed-secret", StandardCharsets.UTF_8));
    }

    static String token(String keycloak, String form) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                URI.create(keycloak + "/realms/" + env("BENCH_REALM", "incentives-bench") + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("No token: " + response.body());
        }
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
