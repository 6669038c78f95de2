package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.BankFixture;
import com.acme.incentives.payout.PayoutFixture;
import com.acme.incentives.payout.service.Disbursement;
import com.acme.incentives.payout.service.PayoutRunService;
import com.acme.incentives.payout.service.PayoutRunWorker;
import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.acme.incentives.platform.testing.TestUsers.TestUser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.acme.incentives.platform.testing.TestSql.update;
import static com.acme.incentives.payout.PayoutFixture.earning;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * Operators hold and release payments: the hold outlives runs until released, the release lets the next run issue
 * the payment, and above payout.release.four-eyes-above (10,000 USD) two different operators must release it. Every
 * step is in the payment's history with who, what and why.
 */
@QuarkusTest
class OperatorHoldTest {

    @Inject
    PayoutRunService runs;

    @Inject
    PayoutRunWorker worker;

    @Inject
    Disbursement disbursement;

    @Inject
    AgroalDataSource dataSource;

    private static final ObjectMapper JSON = new ObjectMapper();

    record Held(UUID org, String admin, PayoutRunTest.Ready ready, String period, String paymentId) {
    }

    /** A location whose partner holds its payments (PARTNER_HOLD), with one held REBATE payment of this amount. */
    static Held heldByThePartner(String amount) {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "GLOBAL_ADMIN").token();
        PayoutRunTest.Ready r = PayoutRunTest.ready(org, admin);
        PayoutFixture.assign(admin, r.partner(), r.bankId(), true);
        PayoutFixture.pushEarnings(List.of(earning(r.partner(), "REBATE", amount, "EUR",
                PayoutFixture.dayOf(period, 3)))).then().statusCode(200);
        PayoutFixture.runPayout(period, List.of(r.partner()));
        Map<String, Object> payment = PayoutFixture.payments(admin, org, r.partner()).get(0);
        assertThat(payment.get("status")).isEqualTo("ON_HOLD");
        return new Held(org, admin, r, period, (String) payment.get("id"));
    }

    static Response act(String token, String paymentId, String action, String reason) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("reason", reason))
                .post("/api/v1/payments/" + paymentId + "/" + action);
    }

    static TestUser newOperator() {
        return TestUsers.create(null, "PROGRAM_OPERATOR");
    }

    @Test
    void anOperatorsHoldOutlivesRunsUntilReleasedThenTheNextRunIssuesThePayment() {
        Held h = heldByThePartner("300.00");
        TestUser operator = newOperator();
        String token = operator.token();

        String heldSinceText;
        try (TestEvents events = TestEvents.listen("payout.events")) {
            heldSinceText = act(token, h.paymentId(), "hold", "Customer disputes the deal").then()
                    .statusCode(200)
                    .body("payment.status", equalTo("ON_HOLD"))
                    .body("payment.holdReasons", contains("PARTNER_HOLD", "OPERATOR_HOLD"))
                    .body("payment.nextActions[1]", equalTo("Wait: an operator is reviewing this payment"))
                    .body("payment.operatorHold.heldBy", equalTo(operator.id()))
                    .body("payment.operatorHold.reason", equalTo("Customer disputes the deal"))
                    .body("payment.operatorHold.releaseRequestedBy", nullValue())
                    .body("history[-1].action", equalTo("HOLD"))
                    .body("history[-1].changedBy", equalTo(operator.id()))
                    .body("history[-1].reason", equalTo("Customer disputes the deal"))
                    .body("history[-1].fromStatus", equalTo("ON_HOLD"))
                    .body("history[-1].toStatus", equalTo("ON_HOLD"))
                    .extract().path("payment.heldSince");
            Instant heldSince = Instant.parse(heldSinceText);
            JsonNode held = events.await(TestEvents.ofType("PaymentHeld", h.ready().partner()), 1).get(0)
                    .path("data");
            assertThat(held.path("paymentId").asText()).isEqualTo(h.paymentId());
            assertThat(held.path("holdReasons").toString()).isEqualTo("[\"PARTNER_HOLD\",\"OPERATOR_HOLD\"]");
            assertThat(Instant.parse(held.path("heldSince").asText())).isEqualTo(heldSince);
            assertThat(Instant.parse(held.path("forfeitsAt").asText())).isEqualTo(heldSince.plus(Duration.ofDays(180)));
        }
        // the partner's own texts, in their language
        given().auth().oauth2(h.admin()).header("Accept-Language", "ja")
                .get("/api/v1/organizations/" + h.org() + "/payments/" + h.paymentId()).then().statusCode(200)
                .body("payment.nextActions[1]", containsString("オペレーター"));
        // held already: a second hold is a conflict
        act(TestTokens.operator(), h.paymentId(), "hold", "again").then().statusCode(409)
                .contentType("application/problem+json").body("type", equalTo("/problems/conflict"));

        // The partner's hold ends; a run keeps the payment held for the operator only.
        PayoutFixture.assign(h.admin(), h.ready().partner(), h.ready().bankId(), false);
        PayoutFixture.runPayout(h.period(), List.of(h.ready().partner()));
        String detail = "/api/v1/organizations/" + h.org() + "/payments/" + h.paymentId();
        given().auth().oauth2(h.admin()).get(detail).then().statusCode(200)
                .body("payment.status", equalTo("ON_HOLD"))
                .body("payment.holdReasons", contains("OPERATOR_HOLD"))
                .body("payment.heldSince", equalTo(heldSinceText))
                .body("history[-1].note", equalTo("still held"))
                .body("history[-1].changedBy", nullValue());

        // Released (EUR 300 is below the four-eyes threshold): one operator is enough; it waits for the next run.
        act(token, h.paymentId(), "release", "Dispute settled").then().statusCode(200)
                .body("payment.status", equalTo("ON_HOLD"))
                .body("payment.holdReasons", empty())
                .body("payment.operatorHold", nullValue())
                .body("history[-1].action", equalTo("RELEASED"))
                .body("history[-1].changedBy", equalTo(operator.id()))
                .body("history[-1].reason", equalTo("Dispute settled"));
        act(token, h.paymentId(), "release", "again").then().statusCode(409)
                .body("type", equalTo("/problems/conflict"));
        String run = PayoutFixture.runPayout(h.period(), List.of(h.ready().partner()));
        given().auth().oauth2(h.admin()).get(detail).then().statusCode(200)
                .body("payment.status", equalTo("IN_PROGRESS"))
                .body("payment.releasedByRun", equalTo(run))
                .body("payment.forfeitsAt", nullValue())
                .body("history.action", hasItem("HOLD"))
                .body("history.action", hasItem("RELEASED"));

        // In the bank file now: too late for a hold. Sent (the bank accepted it): still refused.
        act(token, h.paymentId(), "hold", "late").then().statusCode(409)
                .body("type", equalTo("/problems/conflict")).body("paymentStatus", equalTo("IN_PROGRESS"));
        BankFixture.deliver(BankFixture.pain002(h.paymentId(), "ACSP", null, "REF-HOLD")).then().statusCode(200);
        act(token, h.paymentId(), "hold", "late").then().statusCode(409)
                .body("type", equalTo("/problems/conflict")).body("paymentStatus", equalTo("SENT"))
                .body("detail", containsString("SENT"));
        given().auth().oauth2(h.admin()).get(detail).then().body("payment.status", equalTo("SENT"));
    }

    @Test
    void aboveTheThresholdASecondOperatorMustApproveTheRelease() {
        // EUR 12,000 at 1.10 = USD 13,200: above 10,000
        Held h = heldByThePartner("12000.00");
        TestUser first = newOperator();
        TestUser second = newOperator();
        act(first.token(), h.paymentId(), "hold", "Fraud check").then().statusCode(200);

        act(first.token(), h.paymentId(), "release", "Checked, fine").then().statusCode(202)
                .body("payment.status", equalTo("ON_HOLD"))
                .body("payment.holdReasons", contains("PARTNER_HOLD", "OPERATOR_HOLD"))
                .body("payment.operatorHold.heldBy", equalTo(first.id()))
                .body("payment.operatorHold.releaseRequestedBy", equalTo(first.id()))
                .body("payment.operatorHold.releaseRequestedAt", notNullValue())
                .body("payment.operatorHold.releaseRequestReason", equalTo("Checked, fine"))
                .body("history[-1].action", equalTo("RELEASE_REQUESTED"));
        // the same operator cannot approve their own request: refused, and the refusal is recorded, in the payment's
        // history and in the organization's audit log (published although the answer is a 409)
        String correlationId = "four-eyes-" + h.paymentId();
        try (TestEvents events = TestEvents.listen("payout.events")) {
            given().auth().oauth2(first.token()).contentType(ContentType.JSON).header("X-Correlation-Id", correlationId)
                    .body(Map.of("reason", "Approving myself"))
                    .post("/api/v1/payments/" + h.paymentId() + "/release").then().statusCode(409)
                    .contentType("application/problem+json").body("type", equalTo("/problems/conflict"))
                    .body("detail", containsString("another operator"));
            JsonNode refused = events.await(e -> TestEvents.ofType("AuditRecorded", h.org().toString()).test(e)
                    && "PAYMENT_RELEASE_REFUSED".equals(e.path("data").path("action").asText()), 1).get(0)
                    .path("data");
            assertThat(refused.path("targetType").asText()).isEqualTo("PAYMENT");
            assertThat(refused.path("targetId").asText()).isEqualTo(h.paymentId());
            assertThat(refused.path("correlationId").asText()).isEqualTo(correlationId);
            assertThat(refused.path("actor").path("subject").asText()).isEqualTo(first.id());
            assertThat(refused.path("actor").path("kind").asText()).isEqualTo("OPERATOR");
            assertThat(refused.path("details").path("reason").asText()).isEqualTo("Approving myself");
            assertThat(refused.path("details").path("amount").asText()).isEqualTo("12000.00");
            assertThat(refused.path("details").path("holdReasons").toString())
                    .isEqualTo("[\"PARTNER_HOLD\",\"OPERATOR_HOLD\"]");
        }
        // a run meanwhile keeps it held
        PayoutFixture.assign(h.admin(), h.ready().partner(), h.ready().bankId(), false);
        PayoutFixture.runPayout(h.period(), List.of(h.ready().partner()));
        String detail = "/api/v1/organizations/" + h.org() + "/payments/" + h.paymentId();
        given().auth().oauth2(h.admin()).get(detail).then().statusCode(200)
                .body("payment.status", equalTo("ON_HOLD"))
                .body("payment.holdReasons", contains("OPERATOR_HOLD"))
                .body("payment.operatorHold.releaseRequestedBy", equalTo(first.id()));

        act(second.token(), h.paymentId(), "release", "Second look: fine").then().statusCode(200)
                .body("payment.operatorHold", nullValue())
                .body("payment.holdReasons", empty())
                .body("history[-1].action", equalTo("RELEASE_APPROVED"))
                .body("history[-1].changedBy", equalTo(second.id()));

        // The audit trail, as the organization's global admin reads it: who, what, why.
        List<Map<String, Object>> audit = given().auth().oauth2(h.admin()).get(detail).then().statusCode(200)
                .extract().path("history.findAll { it.action != null }");
        assertThat(audit).extracting(e -> e.get("action")).containsExactly("HOLD", "RELEASE_REQUESTED",
                "RELEASE_REFUSED", "RELEASE_APPROVED");
        assertThat(audit).extracting(e -> e.get("changedBy")).containsExactly(first.id(), first.id(), first.id(),
                second.id());
        assertThat(audit).extracting(e -> e.get("reason")).containsExactly("Fraud check", "Checked, fine",
                "Approving myself", "Second look: fine");
        // the same four steps in the organization's audit log, each by its operator, in order
        List<JsonNode> logged = auditEntries(h.org(), h.paymentId(), 4);
        assertThat(logged).extracting(e -> e.path("action").asText()).containsExactly("PAYMENT_HELD_BY_OPERATOR",
                "PAYMENT_RELEASE_REQUESTED", "PAYMENT_RELEASE_REFUSED", "PAYMENT_RELEASE_APPROVED");
        assertThat(logged).extracting(e -> e.path("actor").path("subject").asText()).containsExactly(first.id(),
                first.id(), first.id(), second.id());
        assertThat(logged.get(3).path("details").path("holdReasons").toString()).isEqualTo("[]");

        String run = PayoutFixture.runPayout(h.period(), List.of(h.ready().partner()));
        given().auth().oauth2(h.admin()).get(detail).then().body("payment.status", equalTo("IN_PROGRESS"))
                .body("payment.releasedByRun", equalTo(run));
    }

    @Test
    void anUpcomingPaymentHeldBeforeItsBankFileStaysOutOfIt() {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        PayoutRunTest.Ready r = PayoutRunTest.ready(org, admin);
        PayoutFixture.pushEarnings(List.of(earning(r.partner(), "REBATE", "400.00", "EUR",
                PayoutFixture.dayOf(period, 4)))).then().statusCode(200);
        // a run issued the payment and has not written its bank file yet
        UUID stopped = runs.openWithoutWorker(java.time.YearMonth.parse(period), List.of(r.partner()), "test");
        while (worker.processChunk(stopped)) {
            // every chunk
        }
        update(dataSource, "UPDATE payout_run SET status = 'COMPLETED', completed_at = now() WHERE id = '" + stopped + "'");
        Map<String, Object> payment = PayoutFixture.payments(admin, org, r.partner()).get(0);
        assertThat(payment.get("status")).isEqualTo("UPCOMING");
        String id = (String) payment.get("id");

        act(TestTokens.operator(), id, "hold", "Wrong amount?").then().statusCode(200)
                .body("payment.status", equalTo("ON_HOLD"))
                .body("payment.holdReasons", contains("OPERATOR_HOLD"))
                .body("payment.payoutAmount", nullValue())
                .body("payment.heldSince", notNullValue())
                .body("history[-1].fromStatus", equalTo("UPCOMING"));
        QuarkusTransaction.requiringNew().run(() -> disbursement.disburse(stopped));
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/payments/" + id).then()
                .body("payment.status", equalTo("ON_HOLD"));
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/payout-runs/" + stopped).then()
                .body("bankFiles.size()", equalTo(0));

        act(TestTokens.operator(), id, "release", "Amount is right").then().statusCode(200);
        String run = PayoutFixture.runPayout(period, List.of(r.partner()));
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/payments/" + id).then()
                .body("payment.status", equalTo("IN_PROGRESS")).body("payment.releasedByRun", equalTo(run));
    }

    @Test
    void aHoldNeedsAReason() {
        String payment = "/api/v1/payments/" + UUID.randomUUID() + "/";
        String operator = TestTokens.operator();
        for (String action : List.of("hold", "release")) {
            for (Object body : List.of(Map.of(), Map.of("reason", ""), Map.of("reason", " "),
                    Map.of("reason", "x".repeat(501)))) {
                given().auth().oauth2(operator).contentType(ContentType.JSON).body(body).post(payment + action)
                        .then().statusCode(400).contentType("application/problem+json")
                        .body("errors.field", hasItem("reason"));
            }
            given().auth().oauth2(operator).contentType(ContentType.JSON)
                    .body(Map.of("reason", "ok", "until", "2027-01-01")).post(payment + action).then()
                    .statusCode(400).body("errors.field", hasItem("until"));
        }
    }

    @Test
    void theHoldIsIdempotentWithAKey() {
        Held h = heldByThePartner("250.00");
        String key = UUID.randomUUID().toString();
        String operator = TestTokens.operator();
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(operator).contentType(ContentType.JSON).header("Idempotency-Key", key)
                    .body(Map.of("reason", "Review")).post("/api/v1/payments/" + h.paymentId() + "/hold").then()
                    .statusCode(200).body("payment.holdReasons", contains("PARTNER_HOLD", "OPERATOR_HOLD"));
        }
        List<Object> holds = given().auth().oauth2(h.admin())
                .get("/api/v1/organizations/" + h.org() + "/payments/" + h.paymentId()).then()
                .extract().path("history.findAll { it.action == 'HOLD' }");
        assertThat(holds).hasSize(1);
    }

    /**
     * The organization's AuditRecorded events about this payment still in the outbox table (the relay keeps sent
     * rows), in the order they were written: {@code count} of them, or the test fails.
     */
    private List<JsonNode> auditEntries(UUID org, String paymentId, int count) {
        List<JsonNode> entries = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT payload FROM outbox_event WHERE event_type = 'AuditRecorded' AND aggregate_id = ? ORDER BY id")) {
            s.setString(1, org.toString());
            try (java.sql.ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    JsonNode entry = JSON.readTree(rs.getString(1)).path("data");
                    if (paymentId.equals(entry.path("targetId").asText())) {
                        entries.add(entry);
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertThat(entries).hasSize(count);
        return entries;
    }
}
