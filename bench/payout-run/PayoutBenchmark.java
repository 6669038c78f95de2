import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ingests BENCH_EARNINGS earnings (1,000,000) for BENCH_LOCATIONS locations (10,000) through POST /api/v1/earnings/batch
 * of a running payout-service, runs the payout for last month limited to those locations, and compares the run's
 * duration with PostgreSQL doing the same grouping (location, programme, type, currency) in one
 * CREATE TEMP TABLE ... AS SELECT ... GROUP BY.
 *
 * Run through run.sh (it starts the service and puts the service's own libraries on the class path).
 */
public class PayoutBenchmark {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PROGRAM = "csp-direct-bill";

    public static void main(String[] args) throws Exception {
        String service = env("BENCH_SERVICE_URL", "http://localhost:8124");
        String keycloak = env("BENCH_KEYCLOAK_URL", "http://localhost:8180");
        String jdbc = env("BENCH_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/payout_bench");
        String encryptionKey = env("BENCH_ENCRYPTION_KEY", "TE9DQUwtT05MWS1kby1ub3QtdXNlLWluLXByb2QhISE=");
        int locations = Integer.parseInt(env("BENCH_LOCATIONS", "10000"));
        long earnings = Long.parseLong(env("BENCH_EARNINGS", "1000000"));
        int batchLines = Integer.parseInt(env("BENCH_BATCH_LINES", "10000"));
        int senders = Integer.parseInt(env("BENCH_SENDERS", "2"));
        int perOrganization = 100;
        if (locations > 10_000) {
            throw new IllegalArgumentException("A run's partnerIds scope holds at most 10,000 locations");
        }

        // 10-digit partner IDs unique to this run: "9" + 3-digit run + 6-digit index. The tests use 12-digit IDs,
        // so the aggregation below also filters on the length.
        String run = String.format("%03d", ThreadLocalRandom.current().nextInt(1000));
        String prefix = "9" + run;
        List<String> partnerIds = new ArrayList<>(locations);
        for (int i = 0; i < locations; i++) {
            partnerIds.add(prefix + String.format("%06d", i));
        }
        int organizations = (locations + perOrganization - 1) / perOrganization;
        UUID[] orgIds = new UUID[organizations];
        String[] ciphertexts = new String[organizations];
        for (int o = 0; o < organizations; o++) {
            orgIds[o] = UUID.randomUUID();
            ciphertexts[o] = encrypt(encryptionKey, "DE89370400440532013000");
        }
        String period = YearMonth.now(ZoneOffset.UTC).minusMonths(1).toString();
        LocalDate periodStart = YearMonth.parse(period).atDay(1);
        LocalDate periodEnd = YearMonth.parse(period).atEndOfMonth();

        // Locations, enrolments, tax profiles and approved bank profiles are written directly: announcing 10,000
        // fake locations and enrolments on the shared identity/enrollment topics would land in every service.
        System.out.printf("Run %s (partner IDs %s000000..), period %s: seeding %,d locations in %,d organizations%n",
                run, prefix, period, locations, organizations);
        long seedStart = System.nanoTime();
        try (Connection db = DriverManager.getConnection(jdbc, "payout", "payout")) {
            db.setAutoCommit(false);
            java.sql.Array orgs = db.createArrayOf("uuid", orgIds);
            exec(db, """
                    INSERT INTO partner_location (partner_id, organization_id, name, country, partner_type, added_at)
                    SELECT ? || lpad(i::text, 6, '0'), (?::uuid[])[i / ? + 1], 'Bench location ' || i, 'DE',
                           'DIRECT_BILL', now()
                    FROM generate_series(0, ? - 1) i""", prefix, orgs, perOrganization, locations);
            exec(db, """
                    INSERT INTO location_enrollment (partner_id, program_id, organization_id, enrollment_id, status,
                        earnings_start_date, sequence, changed_at)
                    SELECT partner_id, ?, organization_id, gen_random_uuid(), 'ENROLLED', NULL, 1, now()
                    FROM partner_location WHERE partner_id LIKE ? || '%' AND length(partner_id) = 10""",
                    PROGRAM, prefix);
            exec(db, """
                    INSERT INTO tax_profile (id, organization_id, partner_id, country, tax_form, tax_id, expires_on,
                        created_at, created_by, updated_at, updated_by)
                    SELECT gen_random_uuid(), organization_id, partner_id, 'DE', 'W8BENE', 'DE123456789',
                           current_date + 365, now(), 'bench', now(), 'bench'
                    FROM partner_location WHERE partner_id LIKE ? || '%' AND length(partner_id) = 10""", prefix);
            // Each profile's first version, as ProfileService writes it with the profile (V6__profile_versions).
            exec(db, """
                    INSERT INTO tax_profile_version (id, profile_id, version, country, tax_form, tax_id, expires_on,
                        created_at, created_by)
                    SELECT gen_random_uuid(), id, 1, country, tax_form, tax_id, expires_on, created_at, created_by
                    FROM tax_profile WHERE partner_id LIKE ? || '%' AND length(partner_id) = 10""", prefix);
            exec(db, """
                    INSERT INTO bank_profile (id, organization_id, name, bank_country, currency, method, account_kind,
                        account_ciphertext, account_last4, bic, beneficiary, status, created_at, created_by,
                        validated_at, updated_at, updated_by)
                    SELECT gen_random_uuid(), o.id, 'Bench EUR account', 'DE', 'EUR', 'BANK_TRANSFER', 'IBAN', o.c,
                           '3000', 'COBADEFFXXX', 'Bench Partner GmbH', 'APPROVED', now(), 'bench', now(), now(), 'bench'
                    FROM unnest(?::uuid[], ?::text[]) AS o(id, c)""", orgs,
                    db.createArrayOf("text", ciphertexts));
            exec(db, """
                    INSERT INTO bank_profile_version (id, profile_id, version, name, bank_country, currency, method,
                        account_kind, account_ciphertext, account_last4, bic, beneficiary, created_at, created_by,
                        status, validated_at)
                    SELECT gen_random_uuid(), id, 1, name, bank_country, currency, method, account_kind,
                           account_ciphertext, account_last4, bic, beneficiary, created_at, created_by, status,
                           validated_at
                    FROM bank_profile WHERE organization_id = ANY(?::uuid[])""", orgs);
            db.commit();
        }
        System.out.printf("seeded in %.1f s%n", (System.nanoTime() - seedStart) / 1e9);

        // Earnings: line n belongs to location n % locations, 3 in 4 REBATE and 1 in 4 COOP, 10.00 to 60.00 EUR,
        // dated in the period; every location ends with one REBATE and one COOP payment well above the threshold.
        System.out.printf("Preparing %,d earning lines in batches of %,d%n", earnings, batchLines);
        List<byte[]> batches = new ArrayList<>();
        Random random = new Random(42);
        int days = periodEnd.getDayOfMonth();
        StringBuilder body = null;
        int inBatch = 0;
        for (long n = 0; n < earnings; n++) {
            if (body == null) {
                body = new StringBuilder(batchLines * 420).append("{\"lines\":[");
                inBatch = 0;
            }
            if (inBatch > 0) {
                body.append(',');
            }
            String partner = partnerIds.get((int) (n % locations));
            String type = (n / locations) % 4 == 3 ? "COOP" : "REBATE";
            long cents = 1000 + random.nextInt(5001);
            body.append("{\"earningId\":\"B").append(run).append('-').append(n)
                    .append("\",\"partnerId\":\"").append(partner)
                    .append("\",\"programId\":\"").append(PROGRAM)
                    .append("\",\"type\":\"").append(type)
                    .append("\",\"lever\":\"CSP-NCE\",\"transactionId\":\"T").append(run).append('-').append(n)
                    .append("\",\"transactionDate\":\"").append(periodStart.plusDays(n % days))
                    .append("\",\"transactionAmount\":\"").append(cents * 20 / 100).append('.').append(String.format("%02d", cents * 20 % 100))
                    .append("\",\"transactionCurrency\":\"EUR\",\"rate\":\"0.05\",\"earningAmount\":\"")
                    .append(cents / 100).append('.').append(String.format("%02d", cents % 100))
                    .append("\",\"earningCurrency\":\"EUR\",\"customer\":\"Fabrikam\",\"product\":\"M365 E3\"}");
            if (++inBatch == batchLines || n == earnings - 1) {
                batches.add(body.append("]}").toString().getBytes(StandardCharsets.UTF_8));
                body = null;
            }
        }

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        Tokens tokens = new Tokens(http, keycloak);
        call(http, "PUT", service + "/api/v1/exchange-rates/" + period, tokens.operator(),
                "{\"rates\":{\"EUR\":\"1.10\",\"GBP\":\"1.25\",\"JPY\":\"0.0067\",\"USD\":\"1\"}}", 200);

        System.out.printf("Sending %,d batches (%d senders)%n", batches.size(), senders);
        long ingestStart = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        List<Future<JsonNode>> answers = new ArrayList<>();
        for (byte[] batch : batches) {
            answers.add(pool.submit(() -> call(http, "POST", service + "/api/v1/earnings/batch",
                    tokens.billing(), batch, 200)));
        }
        long created = 0;
        for (Future<JsonNode> answer : answers) {
            created += answer.get().path("created").asLong();
        }
        double ingestSeconds = (System.nanoTime() - ingestStart) / 1e9;
        pool.shutdown();
        System.out.printf("ingested: %,d lines (%,d created) in %.1f s = %,.0f lines/s%n", earnings, created,
                ingestSeconds, earnings / ingestSeconds);
        double copySeconds = copyReference(jdbc, prefix);
        System.out.printf("PostgreSQL COPY of the same rows into a table like earning: %.2f s = %,.0f rows/s%n",
                copySeconds, earnings / copySeconds);

        if (VACUUMED) {
            // The earnings as a monthly run meets them: autovacuum has long been through the month's inserts
            // (visibility map set, statistics current), which a run right after a bulk ingest does not see. Untimed;
            // the reference below reads the same state.
            long vacuumStart = System.nanoTime();
            try (Connection db = DriverManager.getConnection(jdbc, "payout", "payout");
                    java.sql.Statement statement = db.createStatement()) {
                statement.execute("VACUUM (ANALYZE) earning, earning_lot");
            }
            System.out.printf("VACUUM (ANALYZE) earning, earning_lot before the run (BENCH_VACUUM=1): %.1f s%n",
                    (System.nanoTime() - vacuumStart) / 1e9);
        }
        String aggregation = """
                CREATE TEMP TABLE bench_aggregate AS
                SELECT organization_id, partner_id, program_id, earning_type, currency, sum(amount) AS total,
                       count(*) AS earnings
                FROM earning
                WHERE partner_id LIKE ? || '%' AND length(partner_id) = 10 AND transaction_date <= ?
                GROUP BY organization_id, partner_id, program_id, earning_type, currency""";
        double[] before = aggregate(jdbc, aggregation, prefix, periodEnd);
        System.out.printf("PostgreSQL aggregation before the run: %.3f s (%,d groups)%n", before[0], (long) before[1]);

        // The run, limited to this benchmark's locations.
        ObjectNode start = JSON.createObjectNode();
        start.put("period", period);
        partnerIds.forEach(start.putArray("partnerIds")::add);
        long runStart = System.nanoTime();
        JsonNode started = call(http, "POST", service + "/api/v1/payout-runs", tokens.operator(),
                JSON.writeValueAsBytes(start), 202);
        String runId = started.path("id").asText();
        double accepted = (System.nanoTime() - runStart) / 1e9;
        System.out.printf("payout run %s accepted after %.1f s (%,d locations in its work list)%n", runId, accepted,
                started.path("locationsTotal").asInt());
        JsonNode view = started;
        long lastPrint = System.nanoTime();
        while (!"COMPLETED".equals(view.path("status").asText())) {
            Thread.sleep(250);
            view = call(http, "GET", service + "/api/v1/payout-runs/" + runId, tokens.operator(), (byte[]) null, 200);
            if (System.nanoTime() - lastPrint > 10_000_000_000L) {
                System.out.printf("  %.0f s: %,d / %,d locations done%n", (System.nanoTime() - runStart) / 1e9,
                        view.path("locationsDone").asInt(), view.path("locationsTotal").asInt());
                lastPrint = System.nanoTime();
            }
        }
        double runSeconds = (System.nanoTime() - runStart) / 1e9;
        double serverSeconds = Duration.between(Instant.parse(view.path("startedAt").asText()),
                Instant.parse(view.path("completedAt").asText())).toMillis() / 1e3;

        double[] after = aggregate(jdbc, aggregation, prefix, periodEnd);
        long payments;
        String statuses;
        try (Connection db = DriverManager.getConnection(jdbc, "payout", "payout");
                PreparedStatement s = db.prepareStatement("""
                        SELECT status, count(*), sum(earning_count) FROM payment WHERE payout_run_id = ?::uuid
                        GROUP BY status ORDER BY status""")) {
            s.setString(1, runId);
            StringBuilder text = new StringBuilder();
            long total = 0;
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    text.append(String.format("%s %,d (%,d earnings) ", rs.getString(1), rs.getLong(2), rs.getLong(3)));
                    total += rs.getLong(2);
                }
            }
            payments = total;
            statuses = text.toString().trim();
        }
        // The run's PaymentIssued events stay in this database's outbox (run.sh disables the relay so they do not
        // reach the shared payout.events topic); remove them so a later test instance does not publish them either.
        int outbox;
        try (Connection db = DriverManager.getConnection(jdbc, "payout", "payout");
                PreparedStatement d = db.prepareStatement("""
                        DELETE FROM outbox_event WHERE sent_at IS NULL AND aggregate_id LIKE ? || '%'
                          AND length(aggregate_id) = 10""")) {
            d.setString(1, prefix);
            outbox = d.executeUpdate();
        }

        System.out.println();
        System.out.printf("run %s, period %s, %,d locations, %,d earnings, batches of %,d, %d senders%n", run, period,
                locations, earnings, batchLines, senders);
        JsonNode file = view.path("bankFiles").path(0);
        System.out.printf("payments of the run: %s; bank file %s (%s, %,d transfers)%n", statuses,
                file.path("messageId").asText(), file.path("state").asText(), file.path("transferCount").asInt());
        System.out.printf("outbox events left unpublished and removed: %,d%n", outbox);
        System.out.println();
        System.out.println("| measure                                         |       value |");
        System.out.println("|-------------------------------------------------|-------------|");
        System.out.printf("| ingest, lines/s (batch API)                     | %,11.0f |%n", earnings / ingestSeconds);
        System.out.printf("| ingest, s                                       | %11.1f |%n", ingestSeconds);
        System.out.printf("| PostgreSQL COPY of the same rows, rows/s        | %,11.0f |%n", earnings / copySeconds);
        System.out.printf("| ratio ingest / COPY                             | %11.2f |%n", copySeconds / ingestSeconds);
        System.out.printf("| payout run, s (POST to COMPLETED, client)       | %11.1f |%n", runSeconds);
        System.out.printf("| payout run, s (started_at to completed_at)      | %11.1f |%n", serverSeconds);
        System.out.printf("| PostgreSQL GROUP BY, s (before the run)         | %11.3f |%n", before[0]);
        System.out.printf("| PostgreSQL GROUP BY, s (after the run)          | %11.3f |%n", after[0]);
        System.out.printf("| groups (SQL) / payments (run)                 | %,6d/%,6d |%n", (long) before[1], payments);
        System.out.printf("| ratio run / aggregation (before)                | %11.1f |%n", runSeconds / before[0]);
        System.out.printf("| ratio run / aggregation (after)                 | %11.1f |%n", runSeconds / after[0]);
        System.out.printf("| earnings vacuumed before the run (BENCH_VACUUM) | %11s |%n", VACUUMED ? "yes" : "no");
        System.exit(0);
    }

    /** Times the aggregation in one statement on its own connection; returns {seconds, groups}. */
    /**
     * The reference for the ingest: PostgreSQL's own bulk load of the same rows. The benchmark's rows are read out as
     * COPY text (untimed), then COPY'd into a new table with earning's columns, indexes and constraints (LIKE ...
     * INCLUDING ALL) in one transaction, committed: the time of that COPY and its commit. The table is dropped.
     */
    static double copyReference(String jdbc, String prefix) throws Exception {
        try (Connection db = DriverManager.getConnection(jdbc, "payout", "payout")) {
            org.postgresql.copy.CopyManager copy = db.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
            java.io.ByteArrayOutputStream rows = new java.io.ByteArrayOutputStream();
            copy.copyOut("COPY (SELECT * FROM earning WHERE partner_id LIKE '" + prefix.replaceAll("[^0-9]", "")
                    + "%' AND length(partner_id) = 10) TO STDOUT", rows);
            try (Statement s = db.createStatement()) {
                s.execute("DROP TABLE IF EXISTS bench_copy");
                s.execute("CREATE TABLE bench_copy (LIKE earning INCLUDING ALL)");
            }
            db.setAutoCommit(false);
            long start = System.nanoTime();
            copy.copyIn("COPY bench_copy FROM STDIN", new java.io.ByteArrayInputStream(rows.toByteArray()));
            db.commit();
            double seconds = (System.nanoTime() - start) / 1e9;
            db.setAutoCommit(true);
            try (Statement s = db.createStatement()) {
                s.execute("DROP TABLE bench_copy");
            }
            return seconds;
        }
    }

    static double[] aggregate(String jdbc, String sql, String prefix, LocalDate periodEnd) throws Exception {
        try (Connection db = DriverManager.getConnection(jdbc, "payout", "payout");
                PreparedStatement s = db.prepareStatement(sql)) {
            s.setString(1, prefix);
            s.setObject(2, periodEnd);
            long t = System.nanoTime();
            int rows = s.executeUpdate();
            double seconds = (System.nanoTime() - t) / 1e9;
            try (Statement drop = db.createStatement()) {
                drop.execute("DROP TABLE bench_aggregate");
            }
            return new double[] { seconds, rows };
        }
    }

    static void exec(Connection db, String sql, Object... params) throws Exception {
        try (PreparedStatement s = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        }
    }

    /** The service's FieldEncryption format: "v1:" + base64(12-byte IV + AES-GCM ciphertext and 128-bit tag). */
    static String encrypt(String base64Key, String plain) throws Exception {
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(base64Key), "AES"),
                new GCMParameterSpec(128, iv));
        byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
        return "v1:" + Base64.getEncoder().encodeToString(
                ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
    }

    static JsonNode call(HttpClient http, String method, String url, String token, String body, int expected)
            throws Exception {
        return call(http, method, url, token, body.getBytes(StandardCharsets.UTF_8), expected);
    }

    static JsonNode call(HttpClient http, String method, String url, String token, byte[] body, int expected)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(5));
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json")
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + " "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Keycloak tokens, fetched again after a minute so a long ingest or run never sends an expired one. */
    static final class Tokens {
        final HttpClient http;
        final String keycloak;
        String billing;
        long billingAt;
        String operator;
        long operatorAt;

        Tokens(HttpClient http, String keycloak) {
            this.http = http;
            this.keycloak = keycloak;
        }

        synchronized String billing() throws Exception {
            if (billing == null || System.nanoTime() - billingAt > 60_000_000_000L) {
                billing = fetch("grant_type=client_credentials&client_id=billing-system&client_secret="
                        + URLEncoder.encode("billing-system-secret", StandardCharsets.UTF_8));
                billingAt = System.nanoTime();
            }
            return billing;
        }

        synchronized String operator() throws Exception {
            if (operator == null || System.nanoTime() - operatorAt > 60_000_000_000L) {
                operator = fetch("grant_type=password&client_id=incentives-cli&username=operator&password="
                        + URLEncoder.encode("Operator-Demo-1", StandardCharsets.UTF_8));
                operatorAt = System.nanoTime();
            }
            return operator;
        }

        String fetch(String form) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(
                    URI.create(keycloak + "/realms/" + env("BENCH_REALM", "incentives-bench") + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("No token: " + response.body());
            }
            return JSON.readTree(response.body()).path("access_token").asText();
        }
    }

    /** BENCH_VACUUM=1: vacuum and analyze the earnings after the ingest, before the reference and the run. */
    static final boolean VACUUMED = "1".equals(System.getenv("BENCH_VACUUM"));

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
