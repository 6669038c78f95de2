package com.acme.incentives.e2e.faults;

import com.acme.incentives.e2e.RunningPlatform;
import com.acme.incentives.e2e.support.ApiOperations;
import com.acme.incentives.e2e.support.Earnings;
import com.acme.incentives.e2e.support.Gateway;
import com.acme.incentives.e2e.support.Mailbox;
import com.acme.incentives.e2e.support.Organizations;
import com.acme.incentives.e2e.support.Payouts;
import com.acme.incentives.e2e.support.SampleBodies;
import com.acme.incentives.platform.testing.LocalInfra;
import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Parts of the platform fail while it works, and nothing is lost or doubled: the broker stops, a service is killed in
 * the middle of a payout run, PostgreSQL restarts, Keycloak goes away, a poison message arrives. Each test is bounded
 * in time and puts the part back before it ends. Runs after the journeys and the generated suites (the class order),
 * before the log scan.
 */
@Order(Integer.MAX_VALUE - 1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsTest {

    private static final String PROGRAM = "csp-indirect-reseller";
    private static final String POSTGRES = "deploy/local/postgres.sh";
    private static final String KAFKA = "deploy/local/kafka.sh";
    private static final String KEYCLOAK = "deploy/local/keycloak.sh";

    /** The shared infrastructure's parts this test stopped and has not started again yet (its script's path). */
    private final Set<String> stopped = new LinkedHashSet<>();

    @BeforeAll
    static void platform() {
        RunningPlatform.ensureStarted();
    }

    @BeforeEach
    void everyReplicaRuns() {
        // Every test starts with every replica up (a no-op for those running). Done before a test rather than after,
        // so that the replicas the last test kills are not started only to be stopped at the exit: the log scan after
        // this class reads files.
        RunningPlatform.services("start");
    }

    @AfterEach
    void infrastructureIsBack() {
        // A test starts again what it stopped; this catches a test that failed before it could. The infrastructure is
        // shared with the next test class and the next run, so it is put back here, not left to the next test.
        for (String script : List.copyOf(stopped)) {
            start(script);
        }
    }

    private void stop(String script, String... options) {
        stopped.add(script);
        String[] args = new String[options.length + 1];
        args[0] = "stop";
        System.arraycopy(options, 0, args, 1, options.length);
        LocalInfra.run(script, args);
    }

    private void start(String script) {
        LocalInfra.run(script, "start");
        stopped.remove(script);
    }

    @Test
    @Timeout(300)
    void aBrokerOutageInTheMiddleOfAStreamLosesAndDoublesNothing() {
        String operator = TestTokens.operator();
        String orgId = registerOrganization(operator);
        TestEvents events = TestEvents.listen("identity.events");
        List<String> partnerIds = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            partnerIds.add(addLocation(operator, orgId));
        }
        stop(KAFKA);
        for (int i = 0; i < 10; i++) {
            // The API keeps working: the change and its event commit together in PostgreSQL (outbox).
            partnerIds.add(addLocation(operator, orgId));
        }
        start(KAFKA);

        List<JsonNode> added = events.await(e -> "LocationAdded".equals(e.path("type").asText())
                && orgId.equals(e.path("data").path("organizationId").asText()), 20, Duration.ofSeconds(120),
                Duration.ofSeconds(5));
        List<String> published = added.stream().map(e -> e.path("data").path("partnerId").asText()).toList();
        assertThat(published).as("every LocationAdded once").containsExactlyInAnyOrderElementsOf(partnerIds);
        assertThat(new HashSet<>(added.stream().map(e -> e.path("eventId").asText()).toList())).hasSize(20);

        // Every consumer applied each: eligibility-service knows all 20 locations, each evaluated once at arrival.
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String partnerId : partnerIds) {
                Gateway.request().auth().oauth2(operator).get("/api/v1/locations/" + partnerId)
                        .then().statusCode(200);
            }
        });
    }

    @Test
    @Timeout(420)
    void aPayoutServiceKilledDuringARunResumesAndPaysEveryEarningOnce() {
        String operator = TestTokens.operator();
        String orgId = registerOrganization(operator);
        List<String> partnerIds = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            partnerIds.add(addLocation(operator, orgId));
        }
        String period = YearMonth.now(ZoneOffset.UTC).toString();
        Payouts.setRates(operator, period);
        List<Map<String, Object>> lines = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (String partnerId : partnerIds) {
            for (int i = 0; i < 3; i++) {
                String amount = ThreadLocalRandom.current().nextInt(100, 900) + "." + (10 + i);
                total = total.add(new BigDecimal(amount));
                lines.add(Earnings.rebate(partnerId, PROGRAM, amount));
            }
        }
        // payout-service learns of the locations from identity-service's events; until then the batch names them.
        String billing = TestTokens.billingSystem();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).until(() ->
                Gateway.request().auth().oauth2(billing).contentType(ContentType.JSON).body(Map.of("lines", lines))
                        .post("/api/v1/earnings/batch").statusCode() == 200);

        String runId = Gateway.request().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("period", period, "partnerIds", partnerIds)).post("/api/v1/payout-runs")
                .then().statusCode(202).extract().path("id");
        // The e2e instance processes one location per transaction (services.sh), so the kill lands mid-run.
        JsonNode[] progress = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            progress[0] = runProgress(operator, runId);
            return progress[0].path("locationsDone").asInt() >= 3;
        });
        // The time is taken before the kill: on a busy machine the script takes seconds. (More locations would make
        // the run outlast a slow kill, but the earnings check below reads one page of 200: 40 locations fit.)
        Instant killedAt = Instant.now();
        RunningPlatform.services("kill", "payout");
        assertThat(progress[0].path("status").asText()).as("cut off half way: %s", progress[0]).isEqualTo("RUNNING");
        assertThat(progress[0].path("locationsDone").asInt()).isLessThan(progress[0].path("locationsTotal").asInt());
        RunningPlatform.services("start", "payout");

        // Asking for the period again resumes the run once its lease has run out (the janitor does it too).
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            Gateway.request().auth().oauth2(operator).contentType(ContentType.JSON)
                    .body(Map.of("period", period, "partnerIds", partnerIds)).post("/api/v1/payout-runs");
            return "COMPLETED".equals(runProgress(operator, runId).path("status").asText());
        });
        assertThat(Instant.parse(runProgress(operator, runId).path("completedAt").asText()))
                .as("finished by the restarted service").isAfter(killedAt);

        assertEveryEarningPaidOnce(operator, orgId, lines, total);
        // And a further run for the same period pays nothing twice.
        String again = Gateway.request().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("period", period, "partnerIds", partnerIds)).post("/api/v1/payout-runs")
                .then().extract().path("id");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                "COMPLETED".equals(runProgress(operator, again).path("status").asText()));
        assertEveryEarningPaidOnce(operator, orgId, lines, total);
    }

    @Test
    @Timeout(600)
    @Order(Integer.MAX_VALUE) // last: the replicas it kills are not started again (everyReplicaRuns)
    void oneReplicaOfEveryServiceKilledMidJourneyLosesAndDoublesNothing() {
        assertThat(RunningPlatform.REPLICAS).as("replicas of every service and of the gateway").isGreaterThan(1);
        String operator = TestTokens.operator();
        String feed = TestTokens.partnerFeed();
        String primaryEmail = "replicas-" + UUID.randomUUID() + "@faults.example";
        String orgId = Gateway.request().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("name", "Replicas " + UUID.randomUUID(), "primaryContact",
                        Map.of("email", primaryEmail, "firstName", "Rep", "lastName", "Lica")))
                .post("/api/v1/organizations").then().statusCode(201).extract().path("id");
        TestEvents identity = TestEvents.listen("identity.events");
        TestEvents eligibility = TestEvents.listen("eligibility.events");
        TestEvents enrollment = TestEvents.listen("enrollment.events");
        List<String> partnerIds = new ArrayList<>();
        // The first half of the journey on every replica (the requests take turns over both gateways)...
        for (int i = 0; i < 8; i++) {
            String partnerId = addLocation(operator, orgId);
            partnerIds.add(partnerId);
            makeEligible(feed, partnerId, Gateway.next());
        }
        // ...then replica 1 of every service and the first gateway die at once, mid-stream: their consumers' records,
        // their outbox relays and mail relays are cut off wherever they were.
        RunningPlatform.services("kill", "identity.1", "eligibility.1", "enrollment.1", "payout.1", "gateway.1");
        String survivor = Gateway.URLS.get(1);
        for (int i = 0; i < 8; i++) {
            String partnerId = Gateway.request(survivor).auth().oauth2(operator).contentType(ContentType.JSON)
                    .body(location()).post("/api/v1/organizations/" + orgId + "/locations")
                    .then().statusCode(201).extract().path("partnerId");
            partnerIds.add(partnerId);
            makeEligible(feed, partnerId, survivor);
        }

        // Every step happened exactly once for every location: one LocationAdded, one EligibilityChanged to
        // eligible, one invitation issued and one invitation email (each at least once: nothing lost; at most once:
        // nothing doubled, even for what a dead replica had half done).
        Duration patience = Duration.ofSeconds(180);
        Duration settle = Duration.ofSeconds(5);
        assertThat(identity.await(e -> "LocationAdded".equals(e.path("type").asText())
                && orgId.equals(e.path("data").path("organizationId").asText()), 16, patience, settle))
                .extracting(e -> e.path("data").path("partnerId").asText())
                .containsExactlyInAnyOrderElementsOf(partnerIds);
        assertThat(eligibility.await(e -> "EligibilityChanged".equals(e.path("type").asText())
                && partnerIds.contains(e.path("aggregateId").asText()) && e.path("data").path("eligible").asBoolean(),
                16, patience, settle))
                .extracting(e -> e.path("aggregateId").asText()).containsExactlyInAnyOrderElementsOf(partnerIds);
        assertThat(enrollment.await(e -> "InvitationIssued".equals(e.path("type").asText())
                && partnerIds.contains(e.path("data").path("partnerId").asText()), 16, patience, settle))
                .extracting(e -> e.path("data").path("partnerId").asText())
                .containsExactlyInAnyOrderElementsOf(partnerIds);
        List<String> mailed = new ArrayList<>();
        for (JsonNode mail : Mailbox.exactly(16, primaryEmail)) {
            partnerIds.stream().filter(mail.toString()::contains).forEach(mailed::add);
        }
        assertThat(mailed).as("one invitation email per location").containsExactlyInAnyOrderElementsOf(partnerIds);
        identity.close();
        eligibility.close();
        enrollment.close();
    }

    @Test
    @Timeout(420)
    void aPayoutReplicaKilledDuringARunLeavesTheRunToTheOtherWhichPaysEveryEarningOnce() throws Exception {
        assertThat(RunningPlatform.REPLICAS).as("replicas of payout-service").isGreaterThan(1);
        String operator = TestTokens.operator();
        String orgId = registerOrganization(operator);
        List<String> partnerIds = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            partnerIds.add(addLocation(operator, orgId));
        }
        String period = YearMonth.now(ZoneOffset.UTC).toString();
        Payouts.setRates(operator, period);
        List<Map<String, Object>> lines = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (String partnerId : partnerIds) {
            for (int i = 0; i < 3; i++) {
                String amount = ThreadLocalRandom.current().nextInt(100, 900) + "." + (10 + i);
                total = total.add(new BigDecimal(amount));
                lines.add(Earnings.rebate(partnerId, PROGRAM, amount));
            }
        }
        String billing = TestTokens.billingSystem();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).until(() ->
                Gateway.request().auth().oauth2(billing).contentType(ContentType.JSON).body(Map.of("lines", lines))
                        .post("/api/v1/earnings/batch").statusCode() == 200);

        String runId = Gateway.request().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("period", period, "partnerIds", partnerIds)).post("/api/v1/payout-runs")
                .then().statusCode(202).extract().path("id");
        // The replica that works on the run says so in its log: that one dies, mid-run, and stays dead.
        String[] worker = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            worker[0] = payoutReplicaWorkingOn(runId);
            return worker[0] != null && runProgress(operator, runId).path("locationsDone").asInt() >= 3;
        });
        RunningPlatform.services("kill", worker[0]);
        JsonNode cutOff = runProgress(operator, runId);
        assertThat(cutOff.path("status").asText()).as("cut off half way: %s", cutOff).isEqualTo("RUNNING");
        assertThat(cutOff.path("locationsDone").asInt()).isLessThan(cutOff.path("locationsTotal").asInt());

        // The other replica's janitor takes the run over once its lease runs out; nobody restarts anything.
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).until(() ->
                "COMPLETED".equals(runProgress(operator, runId).path("status").asText()));
        assertThat(payoutReplicaWorkingOn(runId)).as("the replica that resumed it").isNotEqualTo(worker[0])
                .isNotNull();
        assertEveryEarningPaidOnce(operator, orgId, lines, total);
    }

    /** The payout replica ("payout.1", "payout.2") whose log says it works on the run (its latest such line wins). */
    private static String payoutReplicaWorkingOn(String runId) throws java.io.IOException {
        java.nio.file.Path logs = LocalInfra.repositoryRoot().resolve(".local/logs");
        String found = null;
        long latest = Long.MIN_VALUE;
        for (int replica = 1; replica <= RunningPlatform.REPLICAS; replica++) {
            java.nio.file.Path log = logs.resolve(replica == 1 ? "e2e-payout.log" : "e2e-payout." + replica + ".log");
            if (java.nio.file.Files.exists(log)
                    && java.nio.file.Files.readString(log).contains("Payout run " + runId + ": working on it")
                    && java.nio.file.Files.getLastModifiedTime(log).toMillis() > latest) {
                latest = java.nio.file.Files.getLastModifiedTime(log).toMillis();
                found = "payout." + replica;
            }
        }
        return found;
    }

    private static Map<String, Object> location() {
        String partnerId = Organizations.newPartnerId();
        return Map.of("partnerId", partnerId, "name", "Replicas " + partnerId, "country", "DE", "partnerType",
                "INDIRECT_RESELLER");
    }

    /** The partner feed pushes what makes an indirect reseller eligible, through one gateway. */
    private static void makeEligible(String feed, String partnerId, String gateway) {
        Gateway.request(gateway).auth().oauth2(feed).contentType(ContentType.JSON)
                .body(Map.of("type", "MPN", "status", "ACTIVE", "validFrom", "2026-01-01"))
                .put("/api/v1/locations/" + partnerId + "/agreements/mpn-" + partnerId).then().statusCode(200);
        Gateway.request(gateway).auth().oauth2(feed).contentType(ContentType.JSON)
                .body(Map.of("name", "Cloud Business Applications", "level", "GOLD", "validFrom", "2026-01-01"))
                .put("/api/v1/locations/" + partnerId + "/competencies/cba-" + partnerId).then().statusCode(200);
        Gateway.request(gateway).auth().oauth2(feed).contentType(ContentType.JSON)
                .body(Map.of("date", "2026-02-01"))
                .put("/api/v1/locations/" + partnerId + "/first-transaction").then().statusCode(200);
    }

    @Test
    @Timeout(300)
    void servicesReportNotReadyWhilePostgresIsDownAndRecoverOnTheirOwn() {
        String operator = TestTokens.operator();
        String orgId = registerOrganization(operator);
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        List<String> badAnswers = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean loading = new AtomicBoolean(true);
        Thread load = new Thread(() -> {
            while (loading.get()) {
                Response response = RestAssured.given().baseUri(Gateway.URL).port(8090).basePath("")
                        .auth().oauth2(operator).get("/api/v1/organizations/" + orgId);
                statuses.add(response.statusCode());
                if (response.statusCode() != 200 && !(response.statusCode() == 503
                        && response.contentType().startsWith("application/problem+json"))) {
                    badAnswers.add(response.statusCode() + " " + response.asString());
                }
                sleep(200); // the load's pace (five reads a second), not a wait for anything
            }
        }, "load-during-postgres-restart");
        load.start();
        try {
            // Waits for states, not for time: the load is answered before the outage, meets it, and is answered
            // again after it (each reading taken by the load itself).
            await().atMost(Duration.ofSeconds(30)).until(() -> statuses.contains(200));
            stop(POSTGRES, "--force");
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                        ApiOperations.SERVICES.values().stream().allMatch(port -> readiness(port) == 503));
                int beforeRefusal = statuses.size();
                await().atMost(Duration.ofSeconds(30)).until(() -> seenSince(statuses, beforeRefusal, 503));
            } finally {
                // Whatever failed above, the shared PostgreSQL comes back.
                start(POSTGRES);
            }
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    ApiOperations.SERVICES.values().stream().allMatch(port -> readiness(port) == 200));
            int beforeRecovery = statuses.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> seenSince(statuses, beforeRecovery, 200));
        } finally {
            loading.set(false);
        }
        assertThat(statuses).as("reads failed while the database was away").contains(503);
        assertThat(statuses.get(statuses.size() - 1)).as("and work again after, without a restart").isEqualTo(200);
        assertThat(badAnswers).as("during the outage every refusal is a 503 problem").isEmpty();
        // Writes work again too.
        addLocation(operator, orgId);
    }

    @Test
    @Timeout(300)
    void withKeycloakDownValidTokensStillWorkAndSignInFailsClearly() {
        String operator = TestTokens.operator();
        String orgId = registerOrganization(operator);
        stop(KEYCLOAK);
        // Tokens are checked against the signing keys every service already holds: no call to Keycloak.
        Gateway.request().auth().oauth2(operator).get("/api/v1/me").then().statusCode(200);
        Gateway.request().auth().oauth2(operator).get("/api/v1/organizations/" + orgId).then().statusCode(200);
        // Signing in needs Keycloak: the gateway says so instead of sending the browser to a dead address.
        Response login = Gateway.request().get("/login");
        assertThat(login.statusCode()).isEqualTo(503);
        assertThat(login.contentType()).startsWith("application/problem+json");
        assertThat(login.asString()).contains("Sign-in is unavailable");
        // Creating a user needs Keycloak too: refused whole, nothing half-made.
        createUser(operator, orgId).then().statusCode(503).contentType("application/problem+json");
        start(KEYCLOAK);
        assertThat(Gateway.request().get("/login").statusCode()).isIn(200, 302);
        // And users can be created again without a restart. Not at once: identity-service's circuit breaker, opened
        // by the calls that failed while Keycloak was away (its activation poll makes many), stays open for a few
        // seconds after its last failed trial, which may have come just before Keycloak was ready; until it closes
        // the answer is the same clean 503. REPLICAS creations in a row through each of the REPLICAS gateways (the
        // test takes turns over the gateways, each gateway over the replicas) reach every identity replica, so the
        // next test does not meet an open breaker. A fresh token each time: Keycloak's restart may outlast the one
        // taken above.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                IntStream.range(0, RunningPlatform.REPLICAS * RunningPlatform.REPLICAS)
                        .allMatch(i -> createUser(TestTokens.operator(), orgId).statusCode() == 201));
    }

    private static Response createUser(String operator, String orgId) {
        return Gateway.request().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("email", "down-" + UUID.randomUUID() + "@faults.example", "firstName", "K",
                        "lastName", "Down", "roles", List.of("INCENTIVE_USER")))
                .post("/api/v1/organizations/" + orgId + "/users");
    }

    @Test
    @Timeout(180)
    void aPoisonMessageGoesToTheDeadLetterTopicsAndDoesNotBlockTheEventsBehindIt() {
        String operator = TestTokens.operator();
        String orgId = registerOrganization(operator);
        TestEvents eligibilityDlq = TestEvents.listen("identity.events.eligibility.dlq");
        TestEvents enrollmentDlq = TestEvents.listen("identity.events.enrollment.dlq");
        TestEvents payoutDlq = TestEvents.listen("identity.events.payout.dlq");
        String poison = "{\"this is\": not an event " + UUID.randomUUID();
        // Same key as the organization's events: the same partition, right in front of the next one.
        TestEvents.produce("identity.events", orgId, poison, Map.of());
        String partnerId = addLocation(operator, orgId);

        for (TestEvents dlq : List.of(eligibilityDlq, enrollmentDlq, payoutDlq)) {
            List<ConsumerRecord<String, String>> records = dlq.awaitRecords(1, Duration.ofSeconds(90));
            assertThat(records).extracting(ConsumerRecord::value).contains(poison);
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                Gateway.request().auth().oauth2(operator).get("/api/v1/locations/" + partnerId)
                        .then().statusCode(200));
    }

    private static void assertEveryEarningPaidOnce(String operator, String orgId, List<Map<String, Object>> lines,
                                                   BigDecimal total) {
        Set<String> ours = new HashSet<>();
        lines.forEach(line -> ours.add((String) line.get("earningId")));
        JsonNode earnings = json(Gateway.request().auth().oauth2(operator)
                .get("/api/v1/organizations/" + orgId + "/earnings?size=200"));
        assertThat(earnings.path("totalItems").asInt()).isEqualTo(lines.size());
        Map<String, BigDecimal> byPayment = new HashMap<>();
        earnings.path("items").forEach(earning -> {
            assertThat(ours).contains(earning.path("earningId").asText());
            assertThat(earning.path("paymentId").isTextual()).as("earning %s paid", earning.path("earningId")).isTrue();
            byPayment.merge(earning.path("paymentId").asText(), new BigDecimal(earning.path("earningAmount").asText()),
                    BigDecimal::add);
        });
        JsonNode payments = json(Gateway.request().auth().oauth2(operator)
                .get("/api/v1/organizations/" + orgId + "/payments?size=200"));
        BigDecimal paid = BigDecimal.ZERO;
        assertThat(payments.path("totalItems").asInt()).as("one payment per location").isEqualTo(lines.size() / 3);
        for (JsonNode payment : payments.path("items")) {
            BigDecimal amount = new BigDecimal(payment.path("amount").asText());
            assertThat(amount).as("payment %s is the sum of its earnings", payment.path("id"))
                    .isEqualByComparingTo(byPayment.get(payment.path("id").asText()));
            paid = paid.add(amount);
        }
        assertThat(paid).as("every earning paid exactly once").isEqualByComparingTo(total);
    }

    private static JsonNode runProgress(String operator, String runId) {
        return json(Gateway.request().auth().oauth2(operator).get("/api/v1/payout-runs/" + runId));
    }

    private static int readiness(int port) {
        try {
            return RestAssured.given().baseUri("http://localhost").port(port).basePath("").get("/q/health/ready")
                    .statusCode();
        } catch (RuntimeException connectionRefused) {
            return -1;
        }
    }

    static String registerOrganization(String operator) {
        return Organizations.register(operator, "Faults " + UUID.randomUUID(),
                "faults-" + UUID.randomUUID() + "@faults.example", "Fay", "Ults").id();
    }

    static String addLocation(String operator, String orgId) {
        String partnerId = Organizations.newPartnerId();
        Organizations.addLocation(operator, orgId, partnerId, "Faults " + partnerId, "DE");
        return partnerId;
    }

    private static JsonNode json(Response response) {
        try {
            return SampleBodies.JSON.readTree(response.asString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the load recorded {@code status} at or after index {@code from} (the list only grows). */
    private static boolean seenSince(List<Integer> statuses, int from, int status) {
        synchronized (statuses) { // a synchronizedList: iterate under its lock, the load thread keeps adding
            return statuses.subList(from, statuses.size()).contains(status);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
