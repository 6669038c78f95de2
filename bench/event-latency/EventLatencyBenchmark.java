import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
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
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
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
 * Both clocks are this machine's. Prints "RESULT name value" lines for bench/run-all.sh. BENCH_ELIGIBILITY_URL may
 * list several replicas, comma-separated: the writes then take turns over them (as the gateway spreads them), so
 * each replica's outbox relay has events to send (how its relays share the outbox shows).
 *
 * Webhooks (unless BENCH_WEBHOOKS=0): before any write, one endpoint per organization subscribed to
 * invitation.issued, registered on enrollment-service as operator, pointing at a receiver this program runs
 * (127.0.0.1, JDK HttpServer). The receiver notes the arrival time of each webhook-id, checks its Standard Webhooks
 * signature with the endpoint's secret (so only real, signed deliveries count) and answers 204 at once. Latency = arrival -
 * the payload's "timestamp" (the InvitationIssued event's occurredAt, written in the invitation's transaction just
 * before it commits); enrollment-service's own metric enrollment.webhooks.delivery.lag starts from the same instant.
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
        String enrollment = env("BENCH_ENROLLMENT_URL", "http://localhost:8133");
        boolean webhooks = !env("BENCH_WEBHOOKS", "1").equals("0");
        int orgs = Integer.parseInt(env("BENCH_ORGS", "3"));
        int locations = Integer.parseInt(env("BENCH_LOCATIONS", "300"));
        double rate = Double.parseDouble(env("BENCH_RATE", "5"));
        // The first invitations after start-up run cold code (class loading, JIT, first queries): on a loaded
        // 2-core machine the very first took ~6 s and the backlog behind it ~12 s to drain. Those writes are sent
        // first, waited for, and left out of the figures. After only 30 of them the JIT compilers still used more CPU
        // than the writes during the measured minute, so bench/run-all.sh sends 900 at 20/s (BENCHMARKS.md, "Where a
        // feed write's time goes"); the defaults here are the program's own, for a quick run.
        int warmup = Integer.parseInt(env("BENCH_WARMUP", "30"));
        double warmupRate = Double.parseDouble(env("BENCH_WARMUP_RATE", String.valueOf(rate)));
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
        waitForCount(eligibilityDb, "eligibility", "SELECT count(*) FROM partner_location WHERE partner_id = ANY(?)",
                partnerIds, locations, "eligibility-service knows the locations");
        waitForCount(enrollmentDb, "enrollment", "SELECT count(*) FROM partner_location WHERE partner_id = ANY(?)",
                partnerIds, locations, "enrollment-service knows the locations");

        // The receiver and one endpoint per organization, before any invitation exists, so every one is delivered.
        Receiver receiver = null;
        if (webhooks) {
            receiver = Receiver.start();
            for (int o = 0; o < orgs; o++) {
                ObjectNode endpoint = JSON.createObjectNode();
                endpoint.put("url", receiver.url(o));
                endpoint.putArray("eventTypes").add("invitation.issued");
                endpoint.put("description", "bench " + run);
                receiver.secrets.put(o, send("POST", enrollment + "/api/v1/organizations/" + orgIds.get(o)
                        + "/webhook-endpoints", operator, endpoint, 201).path("secret").asText());
            }
            System.out.printf("webhooks: %d endpoints registered, receiver on %s%n", orgs, receiver.url(0));
        }

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
        send("POST", eligibility.split(",")[0] + "/api/v1/feeds/batches", feed, batch, 200);
        // Let the set-up's own events (first evaluation, two criteria met) drain before the measured load.
        waitForCount(eligibilityDb, "eligibility", "SELECT count(*) FROM outbox_event WHERE sent_at IS NULL"
                + " AND cardinality(?::text[]) >= 0", partnerIds, 0, "eligibility's outbox drained");
        Thread.sleep(3000);

        String body = "{\"date\":\"" + today.minusDays(1) + "\"}";
        if (warmup > 0) {
            System.out.printf("warm-up: %d writes at %.1f/s, not counted%n", warmup, warmupRate);
            Load w = load(eligibility, feed, partnerIds.subList(0, warmup), body, warmupRate);
            Map<String, Instant> issuedWarm = invitations(enrollmentDb, partnerIds.subList(0, warmup), w.sentAt.size());
            System.out.printf("warm-up: %d of %d invitations stored%n", issuedWarm.size(), warmup);
            if (webhooks) {
                // The measured writes start with an empty delivery queue, and the delivery code warm too.
                Map<String, Instant> warmInvitations = invitationIds(enrollmentDb, partnerIds.subList(0, warmup));
                int got = receiver.await(warmInvitations.keySet(), 120);
                System.out.printf("warm-up: %d of %d webhooks delivered%n", got, warmInvitations.size());
            }
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
        if (webhooks) {
            webhookFigures(receiver, enrollmentDb, measuredIds, sentAt);
            receiver.server.stop(0);
            receiver.pool.shutdownNow();
        }
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
        String[] replicas = eligibility.split(",");
        ScheduledExecutorService ticker = Executors.newScheduledThreadPool(4);
        ticker.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            if (i >= ids.size()) {
                return;
            }
            String p = ids.get(i);
            try {
                HttpRequest request = HttpRequest.newBuilder(
                        URI.create(replicas[i % replicas.length] + "/api/v1/locations/" + p + "/first-transaction"))
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

    /**
     * Event committed -> webhook delivered for the measured writes' invitations: waits until every invitation of
     * those locations (enrollment's database, any programme) has been delivered, or 120 s without a new one; then the
     * figures and, per stage, where the time went (from enrollment's own rows, same clock).
     */
    static void webhookFigures(Receiver receiver, String enrollmentDb, List<String> ids, Map<String, Instant> sentAt)
            throws Exception {
        Map<String, Instant> invitations = invitationIds(enrollmentDb, ids);
        int got = receiver.await(invitations.keySet(), 120);
        List<Delivery> delivered = receiver.deliveries.values().stream()
                .filter(d -> invitations.containsKey(d.invitationId)).toList();
        long[] fromCommit = delivered.stream().mapToLong(d -> micros(d.eventAt, d.arrivedAt)).map(m -> m / 1000)
                .sorted().toArray();
        long[] fromWrite = delivered.stream().filter(d -> sentAt.containsKey(d.partnerId))
                .mapToLong(d -> micros(sentAt.get(d.partnerId), d.arrivedAt) / 1000).sorted().toArray();
        // issued_at (the row) is set earlier in the same transaction than occurredAt (the outbox row): how far apart.
        long[] issuedToEvent = delivered.stream().filter(d -> invitations.get(d.invitationId) != null)
                .mapToLong(d -> micros(invitations.get(d.invitationId), d.eventAt)).sorted().toArray();
        Instant first = delivered.stream().map(d -> d.arrivedAt).min(Instant::compareTo).orElse(null);
        Instant last = delivered.stream().map(d -> d.arrivedAt).max(Instant::compareTo).orElse(null);
        double seconds = first == null ? 0 : micros(first, last) / 1e6;
        System.out.printf("webhooks: %d invitations issued, %d delivered (%d duplicate arrivals, %d refused"
                + " signatures); arrivals over %.1f s (%.2f/s)%n", invitations.size(), got, receiver.duplicates.get(),
                receiver.badSignatures.get(), seconds, seconds == 0 ? 0 : (delivered.size() - 1) / seconds);
        System.out.printf("webhooks: invitation.issued_at -> event occurredAt (same transaction): p50 %.1f ms,"
                + " max %.1f ms%n", pct(issuedToEvent, 50) / 1000.0,
                issuedToEvent.length == 0 ? -1 : issuedToEvent[issuedToEvent.length - 1] / 1000.0);
        System.out.printf("RESULT webhook_invitations %d%n", invitations.size());
        System.out.printf("RESULT webhook_delivered %d%n", got);
        System.out.printf("RESULT webhook_missing %d%n", invitations.size() - got);
        System.out.printf("RESULT webhook_bad_signatures %d%n", receiver.badSignatures.get());
        System.out.printf("RESULT webhook_rate %.2f%n", seconds == 0 ? 0 : (delivered.size() - 1) / seconds);
        System.out.printf("RESULT webhook_p50_ms %d%n", pct(fromCommit, 50));
        System.out.printf("RESULT webhook_p99_ms %d%n", pct(fromCommit, 99));
        System.out.printf("RESULT webhook_max_ms %d%n",
                fromCommit.length == 0 ? -1 : fromCommit[fromCommit.length - 1]);
        System.out.printf("RESULT webhook_from_write_p50_ms %d%n", pct(fromWrite, 50));
        System.out.printf("RESULT webhook_from_write_p99_ms %d%n", pct(fromWrite, 99));
        webhookStages(enrollmentDb, delivered);
    }

    /**
     * Per stage, as bench/lib/event-path.sh does for the invitation: event (occurredAt) -> InvitationIssued sent to
     * Kafka (enrollment's outbox relay) -> webhook message queued (enrollment consuming its own topic, inbox
     * transaction) -> arrival at the receiver (the delivery worker's poll, the send).
     */
    static void webhookStages(String enrollmentDb, List<Delivery> delivered) throws Exception {
        Map<String, Delivery> byId = new HashMap<>();
        delivered.forEach(d -> byId.put(d.messageId, d));
        List<long[]> rows = new ArrayList<>();
        int retried = 0;
        try (Connection db = DriverManager.getConnection(enrollmentDb, "enrollment", "enrollment");
                PreparedStatement q = db.prepareStatement("SELECT m.id, o.sent_at, m.created_at, m.attempt_count"
                        + " FROM webhook_message m JOIN outbox_event o ON o.event_id = m.event_id"
                        + " WHERE m.id = ANY(?)")) {
            q.setArray(1, db.createArrayOf("text", byId.keySet().toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Delivery d = byId.get(rs.getString(1));
                    Instant kafka = rs.getTimestamp(2).toInstant();
                    Instant queued = rs.getTimestamp(3).toInstant();
                    retried += rs.getInt(4) > 1 ? 1 : 0;
                    rows.add(new long[] { micros(d.eventAt, kafka), micros(kafka, queued), micros(queued, d.arrivedAt),
                            micros(d.eventAt, d.arrivedAt) });
                }
            }
        }
        String[] names = { "event -> Kafka", "Kafka -> queued", "queued -> delivered", "event -> delivered" };
        for (int i = 0; i < names.length; i++) {
            int column = i;
            long[] ms = rows.stream().mapToLong(r -> r[column] / 1000).sorted().toArray();
            System.out.printf("webhook stage %-20s n=%4d  p50 %7d ms  p90 %7d ms  p99 %7d ms  max %7d ms%n", names[i],
                    ms.length, pct(ms, 50), pct(ms, 90), pct(ms, 99), ms.length == 0 ? -1 : ms[ms.length - 1]);
        }
        System.out.printf("webhook messages delivered after more than one attempt: %d%n", retried);
    }

    static long micros(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1000;
    }

    /** Every invitation of these locations (any programme): id -> issued_at. */
    static Map<String, Instant> invitationIds(String enrollmentDb, List<String> ids) throws Exception {
        Map<String, Instant> issued = new HashMap<>();
        try (Connection db = DriverManager.getConnection(enrollmentDb, "enrollment", "enrollment");
                PreparedStatement q = db.prepareStatement(
                        "SELECT id::text, issued_at FROM invitation WHERE partner_id = ANY(?)")) {
            q.setArray(1, db.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    issued.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                }
            }
        }
        return issued;
    }

    /** One delivery as it arrived (the first arrival of its webhook-id). */
    record Delivery(String messageId, Instant arrivedAt, String invitationId, String partnerId, Instant eventAt) {
    }

    /**
     * The partner's side: a Standard Webhooks receiver on 127.0.0.1, one path per organization (/hooks/{n}, whose
     * secret it knows). Notes the arrival time first, then verifies the signature (HMAC-SHA256 over id.timestamp.body,
     * microseconds), reads the payload and answers 204, or 401 when it does not verify (enrollment-service would then
     * retry, which the figures would show). Answers on a pool, so the service's concurrent senders are not served one by one.
     */
    static final class Receiver {
        final HttpServer server;
        final java.util.concurrent.ExecutorService pool = Executors.newFixedThreadPool(8);
        final Map<Integer, String> secrets = new ConcurrentHashMap<>();
        final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
        final AtomicInteger duplicates = new AtomicInteger();
        final AtomicInteger badSignatures = new AtomicInteger();

        private Receiver(HttpServer server) {
            this.server = server;
        }

        static Receiver start() throws IOException {
            Receiver receiver = new Receiver(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64));
            receiver.server.createContext("/hooks/", receiver::handle);
            receiver.server.setExecutor(receiver.pool);
            receiver.server.start();
            return receiver;
        }

        String url(int organization) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/" + organization;
        }

        void handle(HttpExchange exchange) throws IOException {
            Instant arrived = Instant.now();
            try (exchange; InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String id = exchange.getRequestHeaders().getFirst("webhook-id");
                String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
                String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
                String path = exchange.getRequestURI().getPath();
                String secret = secrets.get(Integer.parseInt(path.substring(path.lastIndexOf('/') + 1)));
                if (id == null || timestamp == null || signature == null || secret == null
                        || !verifies(secret, id, timestamp, body, signature)) {
                    badSignatures.incrementAndGet();
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                // Recorded before the answer: a body this cannot read gets no 2xx, so the service retries it and the
                // figures show it, instead of a delivery acknowledged and lost.
                JsonNode payload = JSON.readTree(body);
                Delivery delivery = new Delivery(id, arrived, payload.path("data").path("invitationId").asText(),
                        payload.path("data").path("partnerId").asText(), Instant.parse(payload.path("timestamp")
                                .asText()));
                if (deliveries.putIfAbsent(id, delivery) != null) {
                    duplicates.incrementAndGet();
                }
                exchange.sendResponseHeaders(204, -1);
            } catch (RuntimeException e) {
                System.out.println("receiver: " + e);
                throw e;
            }
        }

        /** Standard Webhooks: any of the space-separated "v1,<base64>" entries, timestamp within 5 minutes. */
        static boolean verifies(String secret, String id, String timestamp, String body, String header) {
            try {
                if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 300) {
                    return false;
                }
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())),
                        "HmacSHA256"));
                byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
                for (String entry : header.split(" ")) {
                    if (entry.startsWith("v1,") && java.security.MessageDigest.isEqual(expected,
                            Base64.getDecoder().decode(entry.substring(3)))) {
                        return true;
                    }
                }
                return false;
            } catch (Exception e) {
                return false;
            }
        }

        /** Waits until every one of these invitations was delivered, or no new one arrived for idleSeconds. */
        int await(java.util.Set<String> invitationIds, int idleSeconds) throws InterruptedException {
            Predicate<Delivery> wanted = d -> invitationIds.contains(d.invitationId);
            long got = 0;
            long lastChange = System.nanoTime();
            while (true) {
                long now = deliveries.values().stream().filter(wanted).count();
                if (now != got) {
                    got = now;
                    lastChange = System.nanoTime();
                }
                if (got >= invitationIds.size()
                        || System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(idleSeconds)) {
                    return (int) got;
                }
                Thread.sleep(250);
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
