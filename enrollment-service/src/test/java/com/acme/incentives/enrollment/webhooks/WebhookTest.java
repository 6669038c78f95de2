package com.acme.incentives.enrollment.webhooks;

import com.acme.incentives.enrollment.EnrollmentFixture;
import com.acme.incentives.enrollment.domain.MailMessage;
import com.acme.incentives.enrollment.domain.WebhookEndpoint;
import com.acme.incentives.enrollment.webhooks.WebhookReceiver.Request;
import com.acme.incentives.platform.security.Roles;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.acme.incentives.platform.testing.TestUsers.TestUser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static com.acme.incentives.enrollment.EnrollmentFixture.produce;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Signed webhooks end to end: events on the real topics, queued by the real consumers, delivered by the worker to a
 * receiver this test runs on 127.0.0.1 (allowed in %test only), which verifies every signature and fails the first
 * attempts; the API's rules (roles, tenancy, validation, If-Match, secrets shown once).
 */
@QuarkusTest
class WebhookTest {

    private static final Duration WAIT = Duration.ofMinutes(3); // an upper bound: the shared topics may hold a backlog
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    WebhookDelivery delivery;

    private static String endpoints(UUID org) {
        return "/api/v1/organizations/" + org + "/webhook-endpoints";
    }

    private static JsonPath create(String token, UUID org, String url, List<String> types) {
        return given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("url", url, "eventTypes", types, "description", "ERP"))
                .post(endpoints(org)).then().statusCode(201)
                .header("Location", containsString(endpoints(org) + "/"))
                .header("ETag", "\"1\"")
                .body("secret", startsWith("whsec_")).extract().jsonPath();
    }

    /** A payout-service payment event, as published (docs/events.md). */
    private static void payment(UUID org, String partnerId, String paymentId, String type) {
        produce("payout.events", partnerId, type, paymentId, Map.of("paymentId", paymentId, "organizationId",
                org.toString(), "partnerId", partnerId, "amount", "100.00", "currency", "EUR",
                "at", Instant.now().toString()));
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The position of the first request of this message that was answered so. */
    private static int indexOf(List<Request> requests, String id, int answered) {
        for (int i = 0; i < requests.size(); i++) {
            if (id.equals(requests.get(i).id()) && requests.get(i).answered() == answered) {
                return i;
            }
        }
        throw new AssertionError("no request of " + id + " answered " + answered);
    }

    @Test
    void retriedDeliveriesArriveSignedOnceEachAndInOrderPerPayment() throws Exception {
        UUID org = UUID.randomUUID();
        TestUser admin = TestUsers.create(org, Roles.GLOBAL_ADMIN);
        try (WebhookReceiver receiver = new WebhookReceiver(2)) {
            JsonPath endpoint = create(admin.token(), org, receiver.url(),
                    List.of("payment.issued", "payment.sent", "payment.paid"));
            receiver.trust(endpoint.getString("secret"));
            String endpointId = endpoint.getString("id");
            String partnerId = EnrollmentFixture.newPartnerId();
            String paymentId = UUID.randomUUID().toString();
            String otherPayment = UUID.randomUUID().toString();
            payment(org, partnerId, paymentId, "PaymentIssued");
            payment(org, partnerId, paymentId, "PaymentSent");
            payment(org, partnerId, otherPayment, "PaymentIssued");
            payment(org, partnerId, paymentId, "PaymentPaid");
            payment(org, partnerId, paymentId, "PaymentHeld"); // not subscribed: never sent

            await().atMost(WAIT).until(() -> receiver.applied().size() == 4);

            // every request was signed with the endpoint's secret; each message failed twice, then was applied once
            List<Request> requests = receiver.requests();
            assertThat(requests).allMatch(Request::verified);
            assertThat(requests).allMatch(r -> r.userAgent().contains("enrollment-service"));
            assertThat(requests).allMatch(r -> r.contentType().startsWith("application/json"));
            for (String id : receiver.applied().keySet()) {
                assertThat(id).startsWith("msg_");
                assertThat(receiver.requests(id)).extracting(Request::answered).containsExactly(500, 500, 200);
                // the same bytes on every attempt
                assertThat(receiver.requests(id)).extracting(Request::body).containsOnly(receiver.applied().get(id));
            }
            // the payment's events in the order they happened; the other payment was not held up behind it
            List<String> ofPayment = new ArrayList<>();
            for (String body : receiver.applied().values()) {
                JsonNode payload = json(body);
                assertThat(payload.path("timestamp").asText()).isNotBlank();
                assertThat(payload.path("data").path("organizationId").asText()).isEqualTo(org.toString());
                if (paymentId.equals(payload.path("data").path("paymentId").asText())) {
                    ofPayment.add(payload.path("type").asText());
                }
            }
            assertThat(ofPayment).containsExactly("payment.issued", "payment.sent", "payment.paid");
            // one at a time per payment: a message's first attempt comes only after the previous one was delivered
            List<String> paymentMessages = receiver.applied().entrySet().stream()
                    .filter(e -> paymentId.equals(json(e.getValue()).path("data").path("paymentId").asText()))
                    .map(Map.Entry::getKey).toList();
            for (int i = 1; i < paymentMessages.size(); i++) {
                int previousDelivered = indexOf(requests, paymentMessages.get(i - 1), 200);
                int firstAttempt = indexOf(requests, paymentMessages.get(i), 500);
                assertThat(firstAttempt).as("first attempt of %s", paymentMessages.get(i))
                        .isGreaterThan(previousDelivered);
            }
            // while the other payment went its own way: its first attempt did not wait for this payment's last
            String other = receiver.applied().entrySet().stream()
                    .filter(e -> otherPayment.equals(json(e.getValue()).path("data").path("paymentId").asText()))
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            assertThat(indexOf(requests, other, 500)).isLessThan(indexOf(requests, paymentMessages.get(2), 500));

            // the delivery log: newest first, each with its three attempts
            JsonPath log = given().auth().oauth2(admin.token()).get(endpoints(org) + "/" + endpointId + "/deliveries")
                    .then().statusCode(200).extract().jsonPath();
            assertThat(log.getInt("totalItems")).isEqualTo(4);
            assertThat(log.getList("items.eventType")).containsExactly("payment.paid", "payment.issued",
                    "payment.sent", "payment.issued");
            assertThat(log.getList("items.status")).containsOnly("DELIVERED");
            assertThat(log.getString("items[0].resourceKey")).isEqualTo(paymentId);
            assertThat(log.getInt("items[0].attemptCount")).isEqualTo(3);
            assertThat(log.getList("items[0].attempts.statusCode")).containsExactly(500, 500, 200);
            assertThat(log.getString("items[0].attempts[0].error")).contains("500").contains("busy, try later");
            assertThat(log.getString("items[0].attempts[2].error")).isNull();
            assertThat(log.getString("items[0].nextAttemptAt")).isNull();
            assertThat(receiver.applied()).containsKey(log.getString("items[0].messageId"));
            given().auth().oauth2(admin.token()).queryParam("status", "PENDING")
                    .get(endpoints(org) + "/" + endpointId + "/deliveries").then().statusCode(200)
                    .body("totalItems", equalTo(0));
            given().auth().oauth2(admin.token()).queryParam("status", "LOST")
                    .get(endpoints(org) + "/" + endpointId + "/deliveries").then().statusCode(400)
                    .body("errors.field", hasItem("status"));

            // the metrics: attempts by outcome, and the time from the event to its delivery
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(metrics).containsPattern("enrollment_webhooks_deliveries_total\\{[^}]*outcome=\"delivered\"[^}]*} [1-9]");
            assertThat(metrics).containsPattern("enrollment_webhooks_deliveries_total\\{[^}]*outcome=\"retry\"[^}]*} [1-9]");
            assertThat(metrics).containsPattern("enrollment_webhooks_delivery_lag_seconds_count\\{[^}]*} [1-9]");

            // redelivery: the same message (webhook-id, body) again, its attempt count reset
            String messageId = log.getString("items[0].messageId");
            given().auth().oauth2(admin.token())
                    .post(endpoints(org) + "/" + endpointId + "/deliveries/" + messageId + "/redelivery")
                    .then().statusCode(202).body("status", equalTo("PENDING")).body("attemptCount", equalTo(0));
            await().atMost(WAIT).until(() -> receiver.requests(messageId).size() == 4);
            assertThat(receiver.requests(messageId).get(3).body()).isEqualTo(receiver.applied().get(messageId));
            assertThat(receiver.requests(messageId).get(3).answered()).isEqualTo(200);
            await().atMost(WAIT).until(() -> "DELIVERED".equals(given().auth().oauth2(admin.token())
                    .get(endpoints(org) + "/" + endpointId + "/deliveries").then().extract().path("items[0].status")));
            given().auth().oauth2(admin.token()).get(endpoints(org) + "/" + endpointId + "/deliveries").then()
                    .body("items[0].attemptCount", equalTo(1)).body("items[0].attempts.size()", equalTo(4));
            given().auth().oauth2(admin.token())
                    .post(endpoints(org) + "/" + endpointId + "/deliveries/msg_nothing/redelivery")
                    .then().statusCode(404);
        }
    }

    @Test
    void theSecretIsShownOnlyWhenMadeAndARotationSignsWithBoth() throws Exception {
        UUID org = UUID.randomUUID();
        TestUser admin = TestUsers.create(org, Roles.GLOBAL_ADMIN);
        try (WebhookReceiver receiver = new WebhookReceiver(0)) {
            JsonPath created = create(admin.token(), org, receiver.url(), List.of("enrollment.changed"));
            String first = created.getString("secret");
            String id = created.getString("id");
            given().auth().oauth2(admin.token()).get(endpoints(org) + "/" + id).then().statusCode(200)
                    .header("ETag", "\"1\"").body("$", not(hasKey("secret"))).body("url", equalTo(receiver.url()))
                    .body("eventTypes", equalTo(List.of("enrollment.changed")));
            given().auth().oauth2(admin.token()).get(endpoints(org)).then().statusCode(200)
                    .body("totalItems", equalTo(1)).body("items[0]", not(hasKey("secret")));

            String second = given().auth().oauth2(admin.token()).post(endpoints(org) + "/" + id + "/secret-rotations")
                    .then().statusCode(200).body("secret", startsWith("whsec_"))
                    .body("previousSecretExpiresAt", not(equalTo(null))).extract().path("secret");
            assertThat(second).isNotEqualTo(first);
            given().auth().oauth2(admin.token()).get(endpoints(org) + "/" + id).then()
                    .body("$", not(hasKey("secret"))).body("previousSecretExpiresAt", not(equalTo(null)));

            // a receiver that still knows only the first secret verifies; so does one that knows the new one
            receiver.trust(first);
            String enrollmentId = UUID.randomUUID().toString();
            String partnerId = EnrollmentFixture.newPartnerId();
            produce("enrollment.events", partnerId, "EnrollmentChanged", enrollmentId, Map.of("enrollmentId",
                    enrollmentId, "organizationId", org.toString(), "partnerId", partnerId, "programId",
                    EnrollmentFixture.PROGRAM, "status", "ENROLLED", "previousStatus", "VALIDATING", "sequence", 3,
                    "changedAt", Instant.now().toString(), "changedBy", "test"));
            await().atMost(WAIT).until(() -> receiver.applied().size() == 1);
            Request request = receiver.requests().get(0);
            assertThat(request.signatures()).hasSize(2);
            assertThat(WebhookReceiver.signedWith(request, request.signatures().get(0), second)).isTrue();
            assertThat(WebhookReceiver.signedWith(request, request.signatures().get(1), first)).isTrue();
            JsonNode payload = json(request.body());
            assertThat(payload.path("type").asText()).isEqualTo("enrollment.changed");
            assertThat(payload.path("data").path("enrollmentId").asText()).isEqualTo(enrollmentId);

            // the audit trail has each change, never a secret
            await().atMost(WAIT).until(() -> given().auth().oauth2(admin.token())
                    .get("/api/v1/organizations/" + org + "/audit-log").then().extract().jsonPath()
                    .getList("items.action").contains("WEBHOOK_SECRET_ROTATED"));
            String auditLog = given().auth().oauth2(admin.token()).get("/api/v1/organizations/" + org + "/audit-log")
                    .then().statusCode(200).body("items.action", hasItem("WEBHOOK_ENDPOINT_CREATED"))
                    .extract().asString();
            assertThat(auditLog).doesNotContain(first).doesNotContain(second).doesNotContain("whsec_");
        }
    }

    @Test
    void changesNeedTheCurrentVersionAndReEnablingForgetsTheFailureStreak() {
        UUID org = UUID.randomUUID();
        String token = TestUsers.create(org, Roles.GLOBAL_ADMIN).token();
        String id = create(token, org, "http://127.0.0.1:9/hook", List.of("payment.sent")).getString("id");
        String path = endpoints(org) + "/" + id;
        given().auth().oauth2(token).contentType("application/json").body(Map.of("enabled", false)).patch(path)
                .then().statusCode(428).contentType("application/problem+json");
        given().auth().oauth2(token).contentType("application/json").header("If-Match", "\"7\"")
                .body(Map.of("enabled", false)).patch(path).then().statusCode(412).header("ETag", "\"1\"");
        given().auth().oauth2(token).contentType("application/json").header("If-Match", "\"1\"")
                .body(Map.of("enabled", false, "eventTypes", List.of("payment.sent", "invitation.issued")))
                .patch(path).then().statusCode(200).header("ETag", "\"2\"").body("enabled", equalTo(false))
                .body("eventTypes", equalTo(List.of("payment.sent", "invitation.issued")))
                .body("description", equalTo("ERP"));
        given().auth().oauth2(token).contentType("application/json").header("If-Match", "\"2\"")
                .body(Map.of("url", "https://10.1.2.3/hook")).patch(path).then().statusCode(400)
                .body("errors.field", hasItem("url")).body("errors.code", hasItem("webhook-url-not-public"));

        // the worker disabled it after days of failures; enabling it again starts afresh
        QuarkusTransaction.requiringNew().run(() -> {
            WebhookEndpoint endpoint = WebhookEndpoint.findById(UUID.fromString(id));
            endpoint.enabled = true;
            endpoint.failingSince = Instant.now().minus(Duration.ofDays(6));
        });
        QuarkusTransaction.requiringNew().run(() -> delivery.failed(
                WebhookEndpoint.findById(UUID.fromString(id), LockModeType.PESSIMISTIC_WRITE), Instant.now(),
                "HTTP 503"));
        given().auth().oauth2(token).get(path).then().statusCode(200).body("enabled", equalTo(false))
                .body("disabledReason", containsString("6 days")).header("ETag", "\"2\"");
        given().auth().oauth2(token).contentType("application/json").header("If-Match", "\"2\"")
                .body(Map.of("enabled", true)).patch(path).then().statusCode(200).body("enabled", equalTo(true))
                .body("disabledReason", equalTo(null));
        assertThat(QuarkusTransaction.requiringNew().call(() -> WebhookEndpoint.<WebhookEndpoint>findById(
                UUID.fromString(id)).failingSince)).isNull();

        given().auth().oauth2(token).delete(path).then().statusCode(204);
        given().auth().oauth2(token).get(path).then().statusCode(404);
        given().auth().oauth2(token).delete(path).then().statusCode(404);
    }

    @Test
    void anEndpointFailingForDaysIsDisabledAndItsGlobalAdminsAreMailedOnce() {
        UUID org = UUID.randomUUID();
        TestUser admin = TestUsers.create(org, Roles.GLOBAL_ADMIN);
        EnrollmentFixture.registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        EnrollmentFixture.userCreated(admin, List.of(Roles.GLOBAL_ADMIN));
        String id = create(admin.token(), org, "http://127.0.0.1:9/hook", List.of("payment.sent")).getString("id");
        Instant start = Instant.now();
        for (Instant at : List.of(start, start.plus(Duration.ofDays(5)).plusSeconds(1),
                start.plus(Duration.ofDays(6)))) {
            QuarkusTransaction.requiringNew().run(() -> delivery.failed(
                    WebhookEndpoint.findById(UUID.fromString(id), LockModeType.PESSIMISTIC_WRITE), at,
                    "connection refused"));
        }
        List<MailMessage> mails = QuarkusTransaction.requiringNew().call(() -> MailMessage.<MailMessage>list(
                "kind = ?1 and recipients like ?2", "webhook-disabled", "%" + EnrollmentFixture.email(admin) + "%"));
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).body).contains("http://127.0.0.1:9/hook").contains("connection refused");
        given().auth().oauth2(admin.token()).get(endpoints(org) + "/" + id).then()
                .body("enabled", equalTo(false)).body("disabledReason", containsString("5 days"));
    }

    @Test
    void badRegistrationsAreRefusedNamingTheFieldInTheCallersLanguage() {
        UUID org = UUID.randomUUID();
        String token = TestUsers.create(org, Roles.GLOBAL_ADMIN).token();
        Map<String, String> refusals = Map.of("http://10.0.0.1/hook", "webhook-url-not-https",
                "https://10.0.0.1/hook", "webhook-url-not-public",
                "https://169.254.169.254/latest/meta-data", "webhook-url-not-public",
                "https://[fd12::1]/hook", "webhook-url-not-public",
                "https://user:pw@93.184.216.34/hook", "webhook-url-user-info");
        refusals.forEach((url, code) -> given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("url", url, "eventTypes", List.of("payment.sent"))).post(endpoints(org)).then()
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("url"))
                .body("errors.code", hasItem(code)));
        given().auth().oauth2(token).contentType("application/json").header("Accept-Language", "ja")
                .body(Map.of("url", "http://127.0.0.1:9/hook", "eventTypes", List.of("payment.sent", "payment.lost")))
                .post(endpoints(org)).then().statusCode(400).header("Content-Language", "ja")
                .body("errors.field", equalTo(List.of("eventTypes[1]")))
                .body("errors.code", equalTo(List.of("webhook-event-type-unknown")))
                .body("errors[0].message", containsString("イベントタイプ"));
        given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("url", "http://127.0.0.1:9/hook", "eventTypes", List.of())).post(endpoints(org)).then()
                .statusCode(400).body("errors.field", hasItem("eventTypes"));
        given().auth().oauth2(token).get(endpoints(org)).then().statusCode(200).body("totalItems", equalTo(0));
    }

    @Test
    void globalAdminsOfTheOrganizationAndOperatorsManageThemNobodyElse() {
        UUID org = UUID.randomUUID();
        String id = create(TestTokens.operator(), org, "http://127.0.0.1:9/hook", List.of("payment.sent"))
                .getString("id");
        given().auth().oauth2(TestUsers.create(org, Roles.GLOBAL_ADMIN).token()).get(endpoints(org) + "/" + id)
                .then().statusCode(200);
        for (String role : List.of(Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER, Roles.USER_ADMIN,
                Roles.ACCOUNT_ADMIN)) {
            String token = TestUsers.create(org, role).token();
            given().auth().oauth2(token).get(endpoints(org)).then().statusCode(403)
                    .contentType("application/problem+json");
            given().auth().oauth2(token).contentType("application/json")
                    .body(Map.of("url", "http://127.0.0.1:9/hook", "eventTypes", List.of("payment.sent")))
                    .post(endpoints(org)).then().statusCode(403);
        }
        String other = TestUsers.create(UUID.randomUUID(), Roles.GLOBAL_ADMIN).token();
        given().auth().oauth2(other).get(endpoints(org)).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(other).get(endpoints(org) + "/" + id).then().statusCode(404);
        given().auth().oauth2(other).post(endpoints(org) + "/" + id + "/secret-rotations").then().statusCode(404);
        // an endpoint is found only under its own organization, even by an operator
        given().auth().oauth2(TestTokens.operator()).get(endpoints(UUID.randomUUID()) + "/" + id).then()
                .statusCode(404);
        given().get(endpoints(org)).then().statusCode(401);
    }

    @Test
    void aSlowEndpointHoldsAtMostItsShareOfTheSendersWhileAnotherIsServed() throws Exception {
        UUID org = UUID.randomUUID();
        String token = TestUsers.create(org, Roles.GLOBAL_ADMIN).token();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService handlers = Executors.newCachedThreadPool();
        slow.setExecutor(handlers);
        slow.createContext("/hook", exchange -> {
            most.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
                // held until the other endpoint was served; never past the worker's 10 s request timeout, so every
                // request held here is one sender held there
                release.await(8, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                concurrent.decrementAndGet();
            }
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        slow.start();
        try (WebhookReceiver fast = new WebhookReceiver(0)) {
            create(token, org, "http://127.0.0.1:" + slow.getAddress().getPort() + "/hook", List.of("payment.issued"));
            fast.trust(create(token, org, fast.url(), List.of("payment.sent")).getString("secret"));
            String partnerId = EnrollmentFixture.newPartnerId();
            for (int i = 0; i < 10; i++) {
                payment(org, partnerId, UUID.randomUUID().toString(), "PaymentIssued");
            }
            payment(org, partnerId, UUID.randomUUID().toString(), "PaymentSent");
            await().atMost(WAIT).until(() -> fast.applied().size() == 1);
            release.countDown();
            // 10 payments due at once to the slow endpoint took at most enrollment.webhooks.per-endpoint (4) of the 8
            assertThat(most.get()).isBetween(1, 4);
        } finally {
            release.countDown();
            slow.stop(0);
            handlers.shutdownNow();
        }
    }
}
