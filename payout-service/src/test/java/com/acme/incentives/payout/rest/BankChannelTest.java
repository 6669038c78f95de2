package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.BankFixture;
import com.acme.incentives.payout.BankFixture.Tx;
import com.acme.incentives.payout.BankSimulatorProcess;
import com.acme.incentives.payout.PayoutFixture;
import com.acme.incentives.payout.bank.Iso20022Schemas;
import com.acme.incentives.payout.service.BankFileSender;
import com.acme.incentives.payout.service.BankReportPoller;
import com.acme.incentives.payout.encryption.FieldEncryption;
import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.acme.incentives.platform.testing.TestSql.count;
import static com.acme.incentives.platform.testing.TestSql.text;
import static com.acme.incentives.platform.testing.TestSql.update;
import static com.acme.incentives.payout.PayoutFixture.DE_BIC;
import static com.acme.incentives.payout.PayoutFixture.DE_IBAN;
import static com.acme.incentives.payout.PayoutFixture.earning;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * The bank channel end to end, against the real bank simulator process (BankSimulatorProcess): bank files in the
 * database handed over once by concurrent senders, status reports pushed by the simulator through the API with a
 * real bank-connector token, or pulled through the channel, and the payments' SENT, PAID, REJECTED and RETURNED.
 * Test profile: the scheduled sender and poll are off, so each test hands files over and pulls itself; the simulator
 * settles after 1 s and returns after 1 s more.
 */
@QuarkusTest
@QuarkusTestResource(BankSimulatorProcess.class)
public class BankChannelTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    BankFileSender sender;

    @Inject
    BankReportPoller poller;

    @Inject
    FieldEncryption encryption;

    record Location(UUID org, String partner, String admin, String bankId) {
    }

    /** Enrolled, valid tax profile, an approved bank profile with this IBAN, assigned. */
    static Location ready(UUID org, String admin, String iban) {
        String partner = PayoutFixture.addLocation(org, "DE");
        PayoutFixture.enroll(org, partner, "ENROLLED");
        PayoutFixture.createTaxProfile(admin, org, partner);
        String bank = PayoutFixture.createBankProfile(admin, org,
                PayoutFixture.bankBody("Bank " + partner, "DE", "EUR", iban, DE_BIC), "APPROVED");
        PayoutFixture.assign(admin, partner, bank, false);
        return new Location(org, partner, admin, bank);
    }

    /** One REBATE payment of {@code amount} EUR for the location, issued by a run; returns {run id, payment id}. */
    static String[] pay(Location l, String amount) {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        PayoutFixture.pushEarnings(List.of(earning(l.partner, "REBATE", amount, "EUR", PayoutFixture.dayOf(period, 4))))
                .then().statusCode(200);
        String run = PayoutFixture.runPayout(period, List.of(l.partner));
        List<Map<String, Object>> payments = PayoutFixture.payments(l.admin, l.org, l.partner);
        String payment = payments.stream().filter(p -> "IN_PROGRESS".equals(p.get("status")))
                .map(p -> (String) p.get("id")).findFirst().orElseThrow();
        return new String[] { run, payment };
    }

    static Response payment(Location l, String paymentId) {
        return given().auth().oauth2(l.admin).get("/api/v1/organizations/" + l.org + "/payments/" + paymentId);
    }

    static List<String> history(Location l, String paymentId) {
        return payment(l, paymentId).then().statusCode(200).extract().path("history.toStatus");
    }

    /**
     * A bank profile's correction in flight (the profile locked and set back to PENDING_VALIDATION, not yet committed)
     * while a run decides its payments: the run waits for it and then holds the payment, rather than issuing it on
     * the status read before the correction and sending the corrected, unvalidated account to the bank.
     */
    @Test
    void aRunWaitsForABankCorrectionInFlightAndHoldsThePayment() throws Exception {
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        Location l = ready(org, admin, DE_IBAN);
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        PayoutFixture.pushEarnings(List.of(earning(l.partner, "REBATE", "320.00", "EUR", PayoutFixture.dayOf(period, 5))))
                .then().statusCode(200);
        String run;
        try (Connection correction = dataSource.getConnection()) {
            correction.setAutoCommit(false);
            try (PreparedStatement lock = correction.prepareStatement(
                    "SELECT id FROM bank_profile WHERE id = ? FOR UPDATE");
                    PreparedStatement pending = correction.prepareStatement(
                            "UPDATE bank_profile SET status = 'PENDING_VALIDATION' WHERE id = ?")) {
                lock.setObject(1, UUID.fromString(l.bankId));
                lock.executeQuery().close();
                pending.setObject(1, UUID.fromString(l.bankId));
                assertThat(pending.executeUpdate()).isEqualTo(1);
            }
            run = given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                    .body(Map.of("period", period, "partnerIds", List.of(l.partner))).post("/api/v1/payout-runs")
                    .then().statusCode(202).extract().path("id");
            String runId = run;
            // The run's decision waits on the profile's lock (before the fix it did not, and completed here).
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> waitingOnALock("FROM bank_profile b") || "COMPLETED".equals(
                            given().auth().oauth2(TestTokens.operator()).get("/api/v1/payout-runs/" + runId)
                                    .path("status")));
            correction.commit();
        }
        PayoutFixture.awaitCompleted(run);
        List<Map<String, Object>> payments = PayoutFixture.payments(l.admin, l.org, l.partner);
        assertThat(payments).hasSize(1);
        assertThat(payments.get(0).get("status")).isEqualTo("ON_HOLD");
        assertThat(payments.get(0).get("holdReasons")).isEqualTo(List.of("BANK_PROFILE_NOT_APPROVED"));
    }

    private boolean waitingOnALock(String queryPart) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE wait_event_type = 'Lock' AND datname = current_database() AND query LIKE ?")) {
            s.setString(1, "%" + queryPart + "%");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    @Test
    void aPaymentIsHandedToTheBankThenSentThenPaid() {
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        Location l = ready(org, admin, DE_IBAN);
        String[] paid = pay(l, "320.00");
        String run = paid[0];
        String paymentId = paid[1];

        // The run's file is in the database, READY, shown by id (never a path).
        Response view = given().auth().oauth2(TestTokens.operator()).get("/api/v1/payout-runs/" + run);
        view.then().statusCode(200).body("bankFiles.size()", equalTo(1))
                .body("bankFiles[0].state", equalTo("READY")).body("bankFiles[0].transferCount", equalTo(1))
                .body("bankFiles[0].controlSums.EUR", equalTo("320.00")).body("bankFiles[0].attempts", equalTo(0));
        String messageId = view.path("bankFiles[0].messageId");
        assertThat(view.asString()).doesNotContain("bankFile\"").doesNotContain("/outbound")
                .doesNotContain("payout-bank").doesNotContain(".xml");

        try (TestEvents events = TestEvents.listen("payout.events")) {
            assertThat(sender.sendDue()).isGreaterThanOrEqualTo(1);
            // Pushed by the simulator: ACSP at once, ACSC a second later.
            await().atMost(Duration.ofSeconds(30)).until(() -> "PAID".equals(payment(l, paymentId).path(
                    "payment.status")));
            JsonNode sent = events.await(TestEvents.ofType("PaymentSent", l.partner), 1).get(0).path("data");
            assertThat(sent.path("paymentId").asText()).isEqualTo(paymentId);
            assertThat(sent.path("bankReference").asText()).startsWith("SIM");
            JsonNode paidEvent = events.await(TestEvents.ofType("PaymentPaid", l.partner), 1).get(0).path("data");
            assertThat(paidEvent.path("paymentId").asText()).isEqualTo(paymentId);
            assertThat(paidEvent.path("amount").asText()).isEqualTo("320.00");
            assertThat(paidEvent.path("currency").asText()).isEqualTo("EUR");
        }
        assertThat(history(l, paymentId)).containsExactly("UPCOMING", "IN_PROGRESS", "SENT", "PAID");
        simulatorFile(messageId).then().body("receipts", equalTo(1)).body("transfers", equalTo(1));
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/payout-runs/" + run).then()
                .body("bankFiles[0].state", equalTo("ACKNOWLEDGED")).body("bankFiles[0].attempts", equalTo(1));
        // Paid to date counts PAID; nothing is unpaid or upcoming.
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/summary").then().statusCode(200)
                .body("paidToDate.EUR", equalTo("320.00")).body("upcomingPayment.EUR", equalTo(null))
                .body("unpaidEarnings.EUR", equalTo(null));
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/earnings").then()
                .body("items[0].status", equalTo("PAID"));
        String csv = given().auth().oauth2(admin).accept("text/csv")
                .get("/api/v1/organizations/" + org + "/statements/" + PayoutFixture.lastMonth()).then()
                .statusCode(200).extract().asString();
        assertThat(csv).contains("," + paymentId + ",PAID,");
        awaitImmediateReportsApplied();
    }

    /**
     * A Japanese partner paid in yen to a Zengin account, end to end: the bank file routes it by the Zengin code
     * (bank + branch), names the kana holder, carries whole yen (no decimals, in the transfer and the sums), and the
     * simulator, which checks the Zengin shape, settles it.
     */
    @Test
    void aJpyPaymentToAZenginAccountIsFiledInWholeYenRoutedByZenginCodeAndPaid() throws Exception {
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        String partner = PayoutFixture.addLocation(org, "JP");
        PayoutFixture.enroll(org, partner, "ENROLLED");
        PayoutFixture.createTaxProfile(admin, org, partner);
        String bank = PayoutFixture.createBankProfile(admin, org, PayoutFixture.jpBankBody("Tokyo " + partner, "JPY"),
                "APPROVED");
        PayoutFixture.assign(admin, partner, bank, false);
        Location l = new Location(org, partner, admin, bank);
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        PayoutFixture.pushEarnings(List.of(earning(partner, "REBATE", "123456", "JPY",
                PayoutFixture.dayOf(period, 4)))).then().statusCode(200);
        String run = PayoutFixture.runPayout(period, List.of(partner));
        String paymentId = PayoutFixture.payments(admin, org, partner).stream()
                .filter(p -> "IN_PROGRESS".equals(p.get("status"))).map(p -> (String) p.get("id")).findFirst()
                .orElseThrow();

        String operator = TestTokens.operator();
        Response view = given().auth().oauth2(operator).get("/api/v1/payout-runs/" + run);
        view.then().statusCode(200).body("bankFiles.size()", equalTo(1))
                .body("bankFiles[0].controlSums.JPY", equalTo("123456"));
        String fileId = view.path("bankFiles[0].id");
        String messageId = view.path("bankFiles[0].messageId");
        byte[] xml = given().auth().oauth2(operator).accept("application/xml")
                .get("/api/v1/payout-runs/" + run + "/bank-files/" + fileId).then().statusCode(200).extract()
                .asByteArray();
        Iso20022Schemas.validate(Iso20022Schemas.PAIN_001_001_09, xml);
        javax.xml.parsers.DocumentBuilderFactory factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        org.w3c.dom.Element root = factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(xml))
                .getDocumentElement();
        assertThat(xmlText(root, "CstmrCdtTrfInitn/GrpHdr/CtrlSum")).isEqualTo("123456");
        assertThat(xmlText(root, "CstmrCdtTrfInitn/PmtInf/CtrlSum")).isEqualTo("123456");
        String tx = "CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf/";
        assertThat(xmlText(root, tx + "PmtId/EndToEndId")).isEqualTo(paymentId.replace("-", ""));
        assertThat(xmlText(root, tx + "Amt/InstdAmt")).isEqualTo("123456");
        assertThat(xmlElement(root, tx + "Amt/InstdAmt").getAttribute("Ccy")).isEqualTo("JPY");
        assertThat(xmlText(root, tx + "CdtrAgt/FinInstnId/ClrSysMmbId/ClrSysId/Cd")).isEqualTo("JPZGN");
        assertThat(xmlText(root, tx + "CdtrAgt/FinInstnId/ClrSysMmbId/MmbId")).isEqualTo("0005001");
        assertThat(xmlText(root, tx + "Cdtr/Nm")).isEqualTo("ｶ)ｱｸﾒ");
        assertThat(xmlText(root, tx + "CdtrAcct/Id/Othr/Id")).isEqualTo("1234567");
        assertThat(xmlText(root, tx + "CdtrAcct/Tp/Cd")).isEqualTo("SVGS");

        assertThat(sender.sendDue()).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> "PAID".equals(payment(l, paymentId).path(
                "payment.status")));
        assertThat(history(l, paymentId)).containsExactly("UPCOMING", "IN_PROGRESS", "SENT", "PAID");
        simulatorFile(messageId).then().body("receipts", equalTo(1)).body("statuses.ACSC", equalTo(1));
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/summary").then().statusCode(200)
                .body("paidToDate.JPY", equalTo("123456"));
        awaitImmediateReportsApplied();
    }

    /** The one element at this path of direct children (pain.001 namespace) below {@code root}. */
    private static org.w3c.dom.Element xmlElement(org.w3c.dom.Element root, String path) {
        org.w3c.dom.Element current = root;
        for (String name : path.split("/")) {
            org.w3c.dom.Element found = null;
            for (org.w3c.dom.Node n = current.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof org.w3c.dom.Element e && name.equals(e.getLocalName())
                        && "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09".equals(e.getNamespaceURI())) {
                    assertThat(found).as("one " + name + " in " + path).isNull();
                    found = e;
                }
            }
            assertThat(found).as(name + " in " + path).isNotNull();
            current = found;
        }
        return current;
    }

    private static String xmlText(org.w3c.dom.Element root, String path) {
        return xmlElement(root, path).getTextContent();
    }

    @Test
    void anAccountEndingIn13IsRejectedItsEarningsAreUnpaidAgainAndItsProfileNeedsAction() {
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        Location l = ready(org, admin, BankFixture.germanIbanEndingIn("13"));
        String paymentId = pay(l, "410.00")[1];

        try (TestEvents events = TestEvents.listen("payout.events")) {
            sender.sendDue();
            JsonNode rejected = events.await(TestEvents.ofType("PaymentRejected", l.partner), 1).get(0)
                    .path("data");
            assertThat(rejected.path("paymentId").asText()).isEqualTo(paymentId);
            assertThat(rejected.path("status").asText()).isEqualTo("REJECTED");
            assertThat(rejected.path("reason").asText()).isEqualTo("AC01");
            assertThat(rejected.path("earningsReturned").asInt()).isEqualTo(1);
            JsonNode profile = events.await(TestEvents.ofType("PayoutProfileStatusChanged", l.partner), 1).get(0)
                    .path("data");
            assertThat(profile.path("bankProfile").asText()).isEqualTo("ACTION_REQUIRED");
        }
        assertThat(history(l, paymentId)).containsExactly("UPCOMING", "IN_PROGRESS", "REJECTED");
        payment(l, paymentId).then().body("history[2].note", containsString("RJCT: AC01"));
        assertThat(PayoutFixture.bankStatus(admin, org, l.bankId)).isEqualTo("ACTION_REQUIRED");
        given().auth().oauth2(admin).header("Accept-Language", "ja")
                .get("/api/v1/organizations/" + org + "/payment-profiles/" + l.bankId).then().statusCode(200)
                .body("statusReasonCode", equalTo("BANK_REFUSED_ACCOUNT"))
                .body("statusReason", equalTo("銀行が支払い " + paymentId + " を拒否しました（AC01）。口座情報を修正してください"));
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/earnings").then()
                .body("items[0].status", equalTo("UNPAID")).body("items[0].paymentId", equalTo(null));
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/summary").then()
                .body("unpaidEarnings.EUR", equalTo("410.00")).body("paidToDate.EUR", equalTo(null));
        awaitImmediateReportsApplied();
    }

    @Test
    void anAccountEndingIn99IsPaidThenReturned() {
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        Location l = ready(org, admin, BankFixture.germanIbanEndingIn("99"));
        String paymentId = pay(l, "275.50")[1];

        try (TestEvents events = TestEvents.listen("payout.events")) {
            sender.sendDue();
            JsonNode returned = events.await(TestEvents.ofType("PaymentReturned", l.partner), 1).get(0)
                    .path("data");
            assertThat(returned.path("paymentId").asText()).isEqualTo(paymentId);
            assertThat(returned.path("status").asText()).isEqualTo("RETURNED");
            assertThat(returned.path("reason").asText()).isEqualTo("AC04");
            assertThat(returned.path("amount").asText()).isEqualTo("275.50");
            events.await(TestEvents.ofType("PaymentPaid", l.partner), 1);
        }
        assertThat(history(l, paymentId)).containsExactly("UPCOMING", "IN_PROGRESS", "SENT", "PAID", "RETURNED");
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/earnings").then()
                .body("items[0].status", equalTo("UNPAID"));
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/summary").then()
                .body("unpaidEarnings.EUR", equalTo("275.50")).body("paidToDate.EUR", equalTo(null));
        // AC04 (closed account): the next run holds the earnings instead of paying the same account again.
        assertThat(PayoutFixture.bankStatus(admin, org, l.bankId)).isEqualTo("ACTION_REQUIRED");
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/payments?status=RETURNED").then()
                .body("items.id", equalTo(List.of(paymentId)));
        awaitImmediateReportsApplied();
    }

    @Test
    void theSameReportTwiceChangesNothingAndALateReportNeverMovesAPaymentBack() {
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        Location l = ready(org, admin, DE_IBAN);
        String paymentId = pay(l, "500.00")[1];

        String settled = BankFixture.pain002(BankFixture.newReportId(), "F1", List.of(
                new Tx(paymentId, "ACSC", null, "REF-SETTLED")));
        String first = BankFixture.deliver(settled).then().statusCode(200).contentType(ContentType.JSON)
                .body("applied", equalTo(1)).body("unchanged", equalTo(0))
                .body("transactions[0].result", equalTo("APPLIED"))
                .body("transactions[0].paymentStatus", equalTo("PAID"))
                .body("transactions[0].paymentId", equalTo(paymentId)).extract().asString();
        long changes = count(dataSource, "SELECT count(*) FROM payment_history WHERE payment_id = '" + paymentId + "'");
        long events = count(dataSource, "SELECT count(*) FROM outbox_event WHERE aggregate_id = '" + l.partner + "'");
        // The same report again: the same answer, nothing changed, nothing published.
        String second = BankFixture.deliver(settled).then().statusCode(200).extract().asString();
        assertThat(second).isEqualTo(first);
        assertThat(count(dataSource, "SELECT count(*) FROM payment_history WHERE payment_id = '" + paymentId + "'"))
                .isEqualTo(changes);
        assertThat(count(dataSource, "SELECT count(*) FROM outbox_event WHERE aggregate_id = '" + l.partner + "'"))
                .isEqualTo(events);

        // A late acceptance (ACSP after ACSC) in a report of its own: unchanged, the payment stays PAID.
        BankFixture.deliver(BankFixture.pain002(BankFixture.newReportId(), "F1", List.of(Tx.of(paymentId, "ACSP"),
                Tx.of(paymentId, "PDNG")))).then().statusCode(200)
                .body("applied", equalTo(0)).body("unchanged", equalTo(2))
                .body("transactions.result", equalTo(List.of("UNCHANGED", "UNCHANGED")))
                .body("transactions.paymentStatus", equalTo(List.of("PAID", "PAID")));
        assertThat(history(l, paymentId)).containsExactly("UPCOMING", "IN_PROGRESS", "PAID");

        // The same message id with other content is a conflict, not a silent replay.
        BankFixture.deliver(settled.replace("REF-SETTLED", "REF-OTHER")).then().statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void aReportNamingAnUnknownPaymentIs422AndAppliesNothing() {
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        Location l = ready(org, admin, DE_IBAN);
        String paymentId = pay(l, "260.00")[1];
        String unknown = UUID.randomUUID().toString();
        String reportId = BankFixture.newReportId();

        BankFixture.deliver(BankFixture.pain002(reportId, "F2", List.of(Tx.of(paymentId, "ACSP"),
                Tx.of(unknown, "ACSP"), new Tx("NOTOURS42", "RJCT", "AC01", "R")))).then().statusCode(422)
                .contentType("application/problem+json").body("type", equalTo("/problems/unprocessable"))
                .body("reportMessageId", equalTo(reportId))
                .body("unknownEndToEndIds", equalTo(List.of(unknown.replace("-", ""), "NOTOURS42")));
        assertThat(history(l, paymentId)).containsExactly("UPCOMING", "IN_PROGRESS");
        assertThat(count(dataSource, "SELECT count(*) FROM bank_status_report WHERE message_id = '" + reportId + "'")).isZero();

        // A payment that exists but was never handed to the bank is not the bank's to report on either.
        String held = heldPayment(org, admin);
        BankFixture.deliver(BankFixture.pain002(BankFixture.newReportId(), "F2", List.of(Tx.of(held, "ACSC"))))
                .then().statusCode(422).body("unknownEndToEndIds", equalTo(List.of(held.replace("-", ""))));

        // A status code ISO 20022 does not have: 422 naming it, nothing applied.
        BankFixture.deliver(BankFixture.pain002(BankFixture.newReportId(), "F2", List.of(Tx.of(paymentId, "DONE"))))
                .then().statusCode(422).body("unknownStatusCodes", equalTo(List.of("DONE")));

        // The corrected report, under the same message id (nothing of the refused one was kept), applies.
        BankFixture.deliver(BankFixture.pain002(reportId, "F2", List.of(Tx.of(paymentId, "ACSP")))).then()
                .statusCode(200).body("applied", equalTo(1));
        assertThat(history(l, paymentId)).containsExactly("UPCOMING", "IN_PROGRESS", "SENT");
    }

    @Test
    void malformedReportsAre400OtherMediaTypes415AndOnlyTheBankConnectorMayDeliver() {
        String bank = TestTokens.bankConnector();
        given().auth().oauth2(bank).contentType("application/xml")
                .body("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.10\"><not-closed>")
                .post(BankFixture.REPORTS).then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("/problems/malformed-request"))
                .body("detail", containsString("Not well-formed XML"));
        given().auth().oauth2(bank).contentType("application/xml")
                .body("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\"/>")
                .post(BankFixture.REPORTS).then().statusCode(400).body("detail", containsString("Not a pain.002"));
        // An entity that would read a server file: refused before anything is expanded, nothing echoed.
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
                <GrpHdr><MsgId>&xxe;</MsgId></GrpHdr></CstmrPmtStsRpt></Document>""";
        String refused = given().auth().oauth2(bank).contentType("application/xml").body(xxe)
                .post(BankFixture.REPORTS).then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("DOCTYPE")).extract().asString();
        assertThat(refused).doesNotContain("root:");
        given().auth().oauth2(bank).contentType("application/xml").body(new byte[0]).post(BankFixture.REPORTS)
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(bank).contentType(ContentType.JSON).body("{\"report\":\"x\"}")
                .post(BankFixture.REPORTS).then().statusCode(415).contentType("application/problem+json")
                .body("type", equalTo("/problems/unsupported-media-type"));
        given().auth().oauth2(bank).contentType("text/plain").body("hello").post(BankFixture.REPORTS).then()
                .statusCode(415).contentType("application/problem+json");

        String report = BankFixture.pain002(UUID.randomUUID().toString(), "ACSP", null, "R");
        given().contentType("application/xml").body(report).post(BankFixture.REPORTS).then().statusCode(401)
                .contentType("application/problem+json");
        // As the generated security suite calls it: no body at all.
        given().post(BankFixture.REPORTS).then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.operator()).post(BankFixture.REPORTS).then().statusCode(403)
                .contentType("application/problem+json");
        UUID org = UUID.randomUUID();
        for (String wrong : List.of(TestTokens.operator(), TestTokens.billingSystem(),
                TestUsers.create(org, "INCENTIVE_ADMIN").token())) {
            given().auth().oauth2(wrong).contentType("application/xml").body(report).post(BankFixture.REPORTS)
                    .then().statusCode(403).contentType("application/problem+json");
        }
    }

    @Test
    void twoSendersAtOnceHandEachFileOverExactlyOnce() throws Exception {
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        List<String> messageIds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Location l = ready(org, admin, DE_IBAN);
            String run = pay(l, (300 + i) + ".00")[0];
            messageIds.add(given().auth().oauth2(TestTokens.operator()).get("/api/v1/payout-runs/" + run).then()
                    .extract().path("bankFiles[0].messageId"));
        }

        // Two "replicas" claim and hand over at the same moment, each in its own transactions.
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> handed = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                handed.add(replicas.submit(() -> {
                    start.await();
                    return sender.sendDue();
                }));
            }
            start.countDown();
            int total = handed.get(0).get() + handed.get(1).get();
            assertThat(total).isGreaterThanOrEqualTo(messageIds.size());
        } finally {
            replicas.shutdownNow();
        }
        // The bank saw each file once; every one of them is SUBMITTED (or already acknowledged).
        for (String messageId : messageIds) {
            simulatorFile(messageId).then().statusCode(200).body("receipts", equalTo(1));
            assertThat(text(dataSource, "SELECT state FROM bank_file WHERE message_id = '" + messageId + "'"))
                    .isIn("SUBMITTED", "ACKNOWLEDGED");
            assertThat(count(dataSource, "SELECT attempts FROM bank_file WHERE message_id = '" + messageId + "'")).isEqualTo(1);
        }
        // Sending again finds nothing to send for them.
        sender.sendDue();
        for (String messageId : messageIds) {
            simulatorFile(messageId).then().body("receipts", equalTo(1));
        }
        awaitImmediateReportsApplied();
    }

    @Test
    void whenPushIsDownTheReportsArePulledThroughTheChannel() {
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        Location l = ready(org, admin, DE_IBAN);
        String paymentId = pay(l, "333.00")[1];
        BankFixture.simulator().contentType(ContentType.JSON).body(Map.of("enabled", false)).put("/push").then()
                .statusCode(200).body("enabled", equalTo(false));
        try {
            sender.sendDue();
            // Nothing arrives by itself now: each poll reads what the bank has after the stored cursor.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
                poller.poll();
                return "PAID".equals(payment(l, paymentId).path("payment.status"));
            });
        } finally {
            BankFixture.simulator().contentType(ContentType.JSON).body(Map.of("enabled", true)).put("/push")
                    .then().statusCode(200);
        }
        assertThat(history(l, paymentId)).containsExactly("UPCOMING", "IN_PROGRESS", "SENT", "PAID");
        String pulled = """
                SELECT count(*) FROM bank_status_report WHERE source = 'CHANNEL' AND summary LIKE '%%%s%%'"""
                .formatted(paymentId);
        assertThat(count(dataSource, pulled)).isEqualTo(2);
        // The cursor is kept in the database: polling again reads on from it, not the same reports again.
        String cursor = text(dataSource, "SELECT cursor FROM bank_channel_cursor WHERE channel = 'bank'");
        assertThat(cursor).isNotBlank();
        poller.poll();
        assertThat(count(dataSource, pulled)).isEqualTo(2);
        awaitImmediateReportsApplied();
    }

    @Test
    void aHandOverTheBankRefusesIsRecordedAndRetriedAfterABackOff() {
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        Location l = ready(org, admin, DE_IBAN);
        String run = pay(l, "210.00")[0];
        // A file whose header does not add up: the bank refuses it at the channel (HTTP 422), every time.
        String messageId = "BROKEN" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        String broken = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn><GrpHdr>
                <MsgId>%s</MsgId><NbOfTxs>3</NbOfTxs><CtrlSum>1.00</CtrlSum></GrpHdr></CstmrCdtTrfInitn></Document>"""
                .formatted(messageId);
        UUID fileId = UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO bank_file (id, message_id, payout_run_id, content, content_sha256, transfer_count, state,
                    next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'x', 3, 'READY', now(), now())""")) {
            s.setObject(1, fileId);
            s.setString(2, messageId);
            s.setObject(3, UUID.fromString(run));
            s.setBytes(4, encryption.seal(broken.getBytes(StandardCharsets.UTF_8)));
            s.executeUpdate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        try {
            sender.sendDue();
            assertThat(text(dataSource, "SELECT state || ' ' || attempts || ' ' || last_error FROM bank_file WHERE id = '"
                    + fileId + "'")).isEqualTo("READY 1 The bank refused the file: HTTP 422");
            assertThat(count(dataSource, "SELECT count(*) FROM bank_file WHERE id = '" + fileId
                    + "' AND next_attempt_at > now()")).isEqualTo(1);
            given().auth().oauth2(TestTokens.operator()).get("/api/v1/payout-runs/" + run).then()
                    .body("bankFiles.lastError", hasItem("The bank refused the file: HTTP 422"));
            // Not again before its back-off (1 s in tests), then again, and recorded again: never dropped.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
                sender.sendDue();
                return count(dataSource, "SELECT attempts FROM bank_file WHERE id = '" + fileId + "'") >= 2;
            });
            assertThat(text(dataSource, "SELECT state FROM bank_file WHERE id = '" + fileId + "'")).isEqualTo("READY");
        } finally {
            // The test's own broken file must not be retried by every later test.
            update(dataSource, "DELETE FROM bank_file WHERE id = '" + fileId + "'");
        }
        awaitImmediateReportsApplied();
    }

    @Test
    void operatorsDownloadARunsBankFileByIdAndNoResponseShowsAPath() throws Exception {
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        Location l = ready(org, admin, DE_IBAN);
        String[] paid = pay(l, "250.00");
        String run = paid[0];
        String operator = TestTokens.operator();
        Response view = given().auth().oauth2(operator).get("/api/v1/payout-runs/" + run);
        String fileId = view.path("bankFiles[0].id");
        String messageId = view.path("bankFiles[0].messageId");
        assertThat(view.path("bankFiles[0].createdAt").toString()).isNotEmpty();
        assertThat((Object) view.path("bankFiles[0].submittedAt")).isNull();

        Response file = given().auth().oauth2(operator).accept("application/xml")
                .get("/api/v1/payout-runs/" + run + "/bank-files/" + fileId);
        file.then().statusCode(200).contentType("application/xml")
                .header("Content-Disposition", equalTo("attachment; filename=\"pain001-" + messageId + ".xml\""))
                .header("Cache-Control", equalTo("no-store"));
        String xml = file.asString();
        Iso20022Schemas.validate(Iso20022Schemas.PAIN_001_001_09, xml.getBytes(StandardCharsets.UTF_8));
        assertThat(xml).contains("<MsgId>" + messageId + "</MsgId>")
                .contains("<EndToEndId>" + paid[1].replace("-", "") + "</EndToEndId>")
                .contains("<IBAN>" + DE_IBAN + "</IBAN>").contains("<InstdAmt Ccy=\"EUR\">250.00</InstdAmt>");
        // Sealed at rest: the account number is not readable in the database.
        assertThat(count(dataSource, "SELECT count(*) FROM bank_file WHERE id = '" + fileId + "' AND position('"
                + DE_IBAN + "'::bytea IN content) > 0")).isZero();

        given().auth().oauth2(operator).accept("application/xml")
                .get("/api/v1/payout-runs/" + run + "/bank-files/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(operator).accept(ContentType.JSON)
                .get("/api/v1/payout-runs/" + run + "/bank-files/" + fileId).then().statusCode(406)
                .contentType("application/problem+json");
        given().auth().oauth2(operator).get("/api/v1/payout-runs/" + UUID.randomUUID() + "/bank-files/" + fileId)
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(admin).get("/api/v1/payout-runs/" + run + "/bank-files/" + fileId).then()
                .statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.bankConnector()).get("/api/v1/payout-runs/" + run + "/bank-files/" + fileId)
                .then().statusCode(403);
        given().get("/api/v1/payout-runs/" + run + "/bank-files/" + fileId).then().statusCode(401);

        // Nothing a caller sees names a place on a server's disk: the run, payments, statements, summaries.
        sender.sendDue();
        awaitImmediateReportsApplied();
        List<String> answers = List.of(
                given().auth().oauth2(operator).get("/api/v1/payout-runs/" + run).asString(),
                given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/payments").asString(),
                payment(l, paid[1]).asString(),
                given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/statements/"
                        + PayoutFixture.lastMonth()).asString(),
                given().auth().oauth2(admin).accept("text/csv").get("/api/v1/organizations/" + org + "/statements/"
                        + PayoutFixture.lastMonth()).asString());
        for (String answer : answers) {
            assertThat(answer).doesNotContainPattern("(/[A-Za-z0-9._-]+){2,}\\.xml")
                    .doesNotContain("outbound").doesNotContain("payout-bank").doesNotContain("target/")
                    .doesNotContain("/var/").doesNotContain("/tmp/");
        }
    }

    @Test
    void theNewOperationsAreDocumentedWithTheirRolesAndMediaTypes() {
        io.restassured.path.json.JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().jsonPath();
        String report = "paths.'/api/v1/bank/status-reports'.post";
        assertThat(doc.getMap(report + ".requestBody.content")).containsOnlyKeys("application/xml");
        assertThat(doc.getList(report + ".security.flatten()").toString()).contains("BANK_CONNECTOR");
        assertThat(doc.getString(report + ".summary")).contains("pain.002");
        String download = "paths.'/api/v1/payout-runs/{runId}/bank-files/{fileId}'.get";
        assertThat(doc.getMap(download + ".responses.'200'.content")).containsOnlyKeys("application/xml");
        assertThat(doc.getList(download + ".security.flatten()").toString()).contains("PROGRAM_OPERATOR");
        assertThat(doc.getString(download + ".summary")).contains("bank files");
    }

    /** A held payment (below the threshold): it exists, and was never handed to the bank. */
    private static String heldPayment(UUID org, String admin) {
        Location l = ready(org, admin, DE_IBAN);
        String period = PayoutFixture.lastMonth();
        PayoutFixture.pushEarnings(List.of(earning(l.partner, "COOP", "20.00", "EUR", LocalDate.parse(period + "-03"))))
                .then().statusCode(200);
        PayoutFixture.runPayout(period, List.of(l.partner));
        Map<String, Object> held = PayoutFixture.payments(admin, org, l.partner).get(0);
        assertThat(held.get("status")).isEqualTo("ON_HOLD");
        return (String) held.get("id");
    }

    private static Response simulatorFile(String messageId) {
        return BankFixture.simulator().get("/files/" + messageId);
    }

    /**
     * Every file handed over so far has had its first report (ACSP or RJCT, pushed at once) applied, so no state
     * change of this test's files is still in flight when the next test counts payments.
     */
    private void awaitImmediateReportsApplied() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> count(dataSource, "SELECT count(*) FROM bank_file WHERE state = 'SUBMITTED'") == 0);
    }
}
