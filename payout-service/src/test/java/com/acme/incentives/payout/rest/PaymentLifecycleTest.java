package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.BankFixture;
import com.acme.incentives.payout.PayoutFixture;
import com.acme.incentives.payout.bank.Iso20022Schemas;
import com.acme.incentives.payout.jobs.TaxProfileExpiryJob;
import com.acme.incentives.payout.service.Disbursement;
import com.acme.incentives.payout.service.PayoutRunService;
import com.acme.incentives.payout.service.PayoutRunWorker;
import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static com.acme.incentives.platform.testing.TestSql.count;
import static com.acme.incentives.platform.testing.TestSql.update;
import static com.acme.incentives.payout.PayoutFixture.DE_BIC;
import static com.acme.incentives.payout.PayoutFixture.DE_IBAN;
import static com.acme.incentives.payout.PayoutFixture.earning;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * What happens to a payment after it is issued or held: forfeiture (180 days on hold, earnings before the earnings
 * start date), disbursement scoped to its run, the bank's rejections and returns, tax profiles expiring by the
 * passing of time, and what a location-limited user sees. Time is passed by dating the data (held_since, expiry
 * dates, transaction dates), never by waiting.
 */
@QuarkusTest
public class PaymentLifecycleTest {

    private static final String PAIN001_NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    PayoutRunService runs;

    @Inject
    PayoutRunWorker worker;

    @Inject
    Disbursement disbursement;

    @Inject
    TaxProfileExpiryJob expiryJob;

    record Location(UUID org, String partner, String admin, String bankId) {
    }

    /** Enrolled, valid tax profile, approved bank profile, assigned; optionally with "hold my payment" on. */
    static Location ready(UUID org, String admin, boolean hold) {
        String partner = PayoutFixture.addLocation(org, "DE");
        PayoutFixture.enroll(org, partner, "ENROLLED");
        PayoutFixture.createTaxProfile(admin, org, partner);
        String bank = PayoutFixture.createBankProfile(admin, org,
                PayoutFixture.bankBody("Bank " + partner, "DE", "EUR", DE_IBAN, DE_BIC), "APPROVED");
        PayoutFixture.assign(admin, partner, bank, hold);
        return new Location(org, partner, admin, bank);
    }

    @Test
    void aPaymentOnHoldForMoreThan180DaysIsForfeitedByTheNextRun() {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        Location old = ready(org, admin, true);
        Location recent = ready(org, admin, true);
        LocalDate day = PayoutFixture.dayOf(period, 3);
        PayoutFixture.pushEarnings(List.of(earning(old.partner, "REBATE", "500.00", "EUR", day),
                earning(recent.partner, "REBATE", "500.00", "EUR", day))).then().statusCode(200);
        PayoutFixture.runPayout(period, List.of(old.partner, recent.partner));
        String oldId = onlyPayment(old).get("id").toString();
        String recentId = onlyPayment(recent).get("id").toString();
        assertThat(onlyPayment(old).get("status")).isEqualTo("ON_HOLD");

        // Time passes: one was first held 181 days ago, the other 179 (held_since is when it was first held).
        update(dataSource, "UPDATE payment SET held_since = now() - interval '181 days' WHERE id = '" + oldId + "'");
        update(dataSource, "UPDATE payment SET held_since = now() - interval '179 days' WHERE id = '" + recentId + "'");
        String run;
        try (TestEvents events = TestEvents.listen("payout.events")) {
            run = PayoutFixture.runPayout(period, List.of(old.partner, recent.partner));
            JsonNode forfeited = events.await(TestEvents.ofType("PaymentForfeited", old.partner), 1).get(0)
                    .path("data");
            assertThat(forfeited.path("paymentId").asText()).isEqualTo(oldId);
            assertThat(forfeited.path("payoutRunId").asText()).isEqualTo(run);
            assertThat(forfeited.path("reason").asText()).isEqualTo("HELD_TOO_LONG");
            assertThat(forfeited.path("holdReasons").toString()).isEqualTo("[\"PARTNER_HOLD\"]");
            assertThat(forfeited.path("amount").asText()).isEqualTo("500.00");
            assertThat(forfeited.path("currency").asText()).isEqualTo("EUR");
            assertThat(forfeited.path("heldSince").asText()).isNotEmpty();
        }
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/payout-runs/" + run).then()
                .body("paymentsForfeited", equalTo(1));
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/payments/" + oldId).then()
                .statusCode(200).body("payment.status", equalTo("FORFEITED"))
                .body("payment.holdReasons", equalTo(List.of("PARTNER_HOLD")))
                .body("payment.nextActions", equalTo(List.of())) // nothing left to do about it
                .body("history.toStatus", equalTo(List.of("ON_HOLD", "FORFEITED")))
                .body("history[1].note", containsString("180 days"));
        assertThat(onlyPayment(recent).get("status")).isEqualTo("ON_HOLD");

        // Its earning still names the payment that closed it, and is no longer counted as unpaid.
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/earnings?partnerId=" + old.partner)
                .then().statusCode(200).body("items[0].paymentId", equalTo(oldId))
                .body("items[0].status", equalTo("FORFEITED"));
        String user = TestUsers.create(org, List.of("INCENTIVE_USER"), List.of(old.partner)).token();
        given().auth().oauth2(user).get("/api/v1/organizations/" + org + "/summary").then().statusCode(200)
                .body("unpaidEarnings.EUR", nullValue())
                .body("onHold.EUR", nullValue());
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/statements/" + period + "?partnerId="
                + old.partner).then().statusCode(200)
                .body("locations[0].totals.unpaidEarnings.EUR", nullValue());

        // A later earning of the same group starts a new payment: the forfeited one is closed for good.
        PayoutFixture.pushEarnings(List.of(earning(old.partner, "REBATE", "250.00", "EUR", day))).then()
                .statusCode(200);
        PayoutFixture.runPayout(period, List.of(old.partner));
        List<Map<String, Object>> payments = PayoutFixture.payments(admin, org, old.partner);
        assertThat(payments).hasSize(2);
        assertThat(payments).anySatisfy(p -> {
            assertThat(p.get("status")).isEqualTo("ON_HOLD");
            assertThat(p.get("amount")).isEqualTo("250.00");
        });
    }

    @Test
    void earningsBeforeTheEarningsStartDateAreForfeitedAndTheRestIsPaid() {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        // Profiles in order but not enrolled yet: the first run holds everything (NOT_ENROLLED).
        String partner = PayoutFixture.addLocation(org, "DE");
        PayoutFixture.createTaxProfile(admin, org, partner);
        String bank = PayoutFixture.createBankProfile(admin, org,
                PayoutFixture.bankBody("Main", "DE", "EUR", DE_IBAN, DE_BIC), "APPROVED");
        PayoutFixture.assign(admin, partner, bank, false);
        Map<String, Object> early = earning(partner, "REBATE", "300.00", "EUR", PayoutFixture.dayOf(period, 5));
        Map<String, Object> payable = earning(partner, "REBATE", "400.00", "EUR", PayoutFixture.dayOf(period, 20));
        PayoutFixture.pushEarnings(List.of(early, payable)).then().statusCode(200);
        PayoutFixture.runPayout(period, List.of(partner));
        String heldId = (String) PayoutFixture.payments(admin, org, partner).get(0).get("id");

        // Enrolled: earnings count from the 15th. One more early earning arrives late, never claimed yet.
        PayoutFixture.enroll(org, partner, "ENROLLED", PayoutFixture.dayOf(period, 15));
        Map<String, Object> lateEarly = earning(partner, "REBATE", "100.00", "EUR", PayoutFixture.dayOf(period, 10));
        PayoutFixture.pushEarnings(List.of(lateEarly)).then().statusCode(200);
        String run;
        JsonNode forfeited;
        try (TestEvents events = TestEvents.listen("payout.events")) {
            run = PayoutFixture.runPayout(period, List.of(partner));
            forfeited = events.await(TestEvents.ofType("PaymentForfeited", partner), 1).get(0).path("data");
            events.await(TestEvents.ofType("PaymentIssued", partner), 1);
        }
        assertThat(forfeited.path("reason").asText()).isEqualTo("BEFORE_EARNINGS_START");
        assertThat(forfeited.path("amount").asText()).isEqualTo("400.00");
        assertThat(forfeited.path("payoutRunId").asText()).isEqualTo(run);
        String forfeitedId = forfeited.path("paymentId").asText();

        List<Map<String, Object>> payments = PayoutFixture.payments(admin, org, partner);
        assertThat(payments).hasSize(2);
        Map<String, Object> released = payments.stream().filter(p -> heldId.equals(p.get("id"))).findFirst()
                .orElseThrow();
        assertThat(released.get("status")).isEqualTo("IN_PROGRESS");
        assertThat(released.get("amount")).isEqualTo("400.00");
        assertThat(released.get("earningCount")).isEqualTo(1);
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/payments/" + forfeitedId).then()
                .statusCode(200).body("payment.status", equalTo("FORFEITED"))
                .body("payment.earningCount", equalTo(2))
                .body("history.toStatus", equalTo(List.of("FORFEITED")))
                .body("history[0].note", containsString("earnings start date"));
        Map<String, String> paymentOf = new java.util.HashMap<>();
        List<Map<String, Object>> earnings = given().auth().oauth2(admin)
                .get("/api/v1/organizations/" + org + "/earnings?partnerId=" + partner).then().statusCode(200)
                .extract().path("items");
        earnings.forEach(e -> paymentOf.put((String) e.get("earningId"), (String) e.get("paymentId")));
        assertThat(paymentOf).containsEntry((String) early.get("earningId"), forfeitedId)
                .containsEntry((String) lateEarly.get("earningId"), forfeitedId)
                .containsEntry((String) payable.get("earningId"), heldId);
        // Money: every earning is in exactly one payment, paid or forfeited; none is left unpaid.
        assertThat(count(dataSource, "SELECT count(*) FROM earning e JOIN earning_lot l ON l.id = e.lot_id"
                + " WHERE e.partner_id = '" + partner + "' AND l.payment_id IS NULL"))
                .isZero();
        assertThat(count(dataSource, "SELECT count(*) FROM payment p WHERE partner_id = '" + partner
                + "' AND amount <> (SELECT sum(e.amount) FROM earning e JOIN earning_lot l ON l.id = e.lot_id"
                + " WHERE l.payment_id = p.id)")).isZero();
        // The run split the held lot at the earnings start date and marked the late one: each earning's lot holds
        // only its month, the parts before the start are marked so, and no lot was left empty.
        assertThat(count(dataSource, "SELECT count(*) FROM earning e JOIN earning_lot l ON l.id = e.lot_id"
                + " WHERE e.partner_id = '" + partner + "' AND (date_trunc('month', e.transaction_date) <> l.month"
                + " OR e.transaction_date >= COALESCE(l.before_date, 'infinity'))")).isZero();
        assertThat(count(dataSource, "SELECT count(*) FROM earning_lot WHERE partner_id = '" + partner
                + "' AND before_date IS NOT NULL")).isEqualTo(2);
        assertThat(count(dataSource, "SELECT count(*) FROM earning_lot l WHERE partner_id = '" + partner
                + "' AND NOT EXISTS (SELECT 1 FROM earning e WHERE e.lot_id = l.id)")).isZero();

        // Running again changes nothing.
        PayoutFixture.runPayout(period, List.of(partner));
        assertThat(PayoutFixture.payments(admin, org, partner)).hasSize(2);
    }

    @Test
    void aHeldPaymentWhoseEarningsAllPredateTheStartDateIsClosedToo() {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        String partner = PayoutFixture.addLocation(org, "DE");
        PayoutFixture.pushEarnings(List.of(earning(partner, "COOP", "900.00", "EUR", PayoutFixture.dayOf(period, 2))))
                .then().statusCode(200);
        PayoutFixture.runPayout(period, List.of(partner));
        String heldId = (String) PayoutFixture.payments(admin, org, partner).get(0).get("id");
        // Enrolled from the first day of this month: last month's earnings never count.
        PayoutFixture.enroll(org, partner, "ENROLLED", LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1));
        PayoutFixture.runPayout(period, List.of(partner));
        List<Map<String, Object>> payments = PayoutFixture.payments(admin, org, partner);
        assertThat(payments).hasSize(2).allSatisfy(p -> assertThat(p.get("status")).isEqualTo("FORFEITED"));
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/payments/" + heldId).then()
                .statusCode(200).body("payment.amount", equalTo("0.00")).body("payment.earningCount", equalTo(0))
                .body("history.toStatus", equalTo(List.of("ON_HOLD", "FORFEITED")));
        assertThat(payments.stream().map(p -> (String) p.get("amount")).toList())
                .containsExactlyInAnyOrder("0.00", "900.00");
    }

    @Test
    void aRunHandsOnlyItsOwnPaymentsToTheBankInAWellFormedPain001() throws Exception {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        Location other = ready(org, admin, false);
        Location mine = ready(org, admin, false);
        LocalDate day = PayoutFixture.dayOf(period, 8);
        PayoutFixture.pushEarnings(List.of(earning(other.partner, "REBATE", "210.00", "EUR", day),
                earning(mine.partner, "REBATE", "300.10", "EUR", day),
                earning(mine.partner, "COOP", "450.25", "EUR", day),
                earning(mine.partner, "FEE", "3000", "JPY", day.plusDays(1)),
                earning(mine.partner, "FEE", "60000", "JPY", day))).then().statusCode(200);

        // Another run issued a payment and stopped before its disbursement (its UPCOMING payment is its own to send).
        UUID stopped = runs.openWithoutWorker(java.time.YearMonth.parse(period), List.of(other.partner), "test");
        while (worker.processChunk(stopped)) {
            // every chunk
        }
        update(dataSource, "UPDATE payout_run SET status = 'COMPLETED', completed_at = now() WHERE id = '" + stopped + "'");
        String otherPayment = (String) PayoutFixture.payments(admin, org, other.partner).get(0).get("id");
        assertThat(PayoutFixture.payments(admin, org, other.partner).get(0).get("status")).isEqualTo("UPCOMING");

        String run = PayoutFixture.runPayout(period, List.of(mine.partner));
        List<String> mineIds = PayoutFixture.payments(admin, org, mine.partner).stream()
                .map(p -> ((String) p.get("id")).replace("-", "")).toList();
        assertThat(mineIds).hasSize(3);
        Document xml = bankFile(run);
        assertThat(endToEndIds(xml)).containsExactlyInAnyOrderElementsOf(mineIds)
                .doesNotContain(otherPayment.replace("-", ""));
        assertThat(PayoutFixture.payments(admin, org, other.partner).get(0).get("status")).isEqualTo("UPCOMING");
        String messageId = given().auth().oauth2(TestTokens.operator()).get("/api/v1/payout-runs/" + run).then()
                .body("bankFiles.size()", equalTo(1)).body("bankFiles[0].transferCount", equalTo(3))
                .body("bankFiles[0].controlSums.EUR", equalTo("1134.08")).extract().path("bankFiles[0].messageId");
        assertPain001(xml, messageId);

        // The other run's payment goes in the other run's file, once.
        QuarkusTransaction.requiringNew().run(() -> disbursement.disburse(stopped));
        assertThat(PayoutFixture.payments(admin, org, other.partner).get(0).get("status")).isEqualTo("IN_PROGRESS");
        assertThat(endToEndIds(bankFile(stopped.toString()))).containsExactly(otherPayment.replace("-", ""));
        QuarkusTransaction.requiringNew().run(() -> disbursement.disburse(stopped));
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/payout-runs/" + stopped).then()
                .body("bankFiles.size()", equalTo(1));
    }

    /** The run's one bank file, downloaded as an operator does, valid by ISO 20022's schema, parsed. */
    private static Document bankFile(String runId) throws Exception {
        String fileId = given().auth().oauth2(TestTokens.operator()).get("/api/v1/payout-runs/" + runId).then()
                .statusCode(200).body("bankFiles.size()", equalTo(1)).extract().path("bankFiles[0].id");
        byte[] document = given().auth().oauth2(TestTokens.operator())
                .get("/api/v1/payout-runs/" + runId + "/bank-files/" + fileId).then().statusCode(200)
                .contentType("application/xml").extract().asByteArray();
        Iso20022Schemas.validate(Iso20022Schemas.PAIN_001_001_09, document);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(document));
    }

    /** Structure of pain.001.001.09 the bank checks first: namespace, counts and control sums, per block. */
    private static void assertPain001(Document xml, String messageId) {
        Element root = xml.getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo(PAIN001_NS);
        assertThat(root.getLocalName()).isEqualTo("Document");
        Element initiation = child(root, "CstmrCdtTrfInitn");
        Element header = child(initiation, "GrpHdr");
        assertThat(text(header, "MsgId")).isEqualTo(messageId).hasSize(32); // Max35Text; the bank dedups on it
        List<Element> transactions = all(initiation, "CdtTrfTxInf");
        assertThat(Integer.parseInt(text(header, "NbOfTxs"))).isEqualTo(transactions.size());
        assertThat(new BigDecimal(text(header, "CtrlSum"))).isEqualByComparingTo(sumOf(transactions));
        List<Element> blocks = all(initiation, "PmtInf");
        assertThat(blocks).isNotEmpty();
        int inBlocks = 0;
        for (Element block : blocks) {
            List<Element> own = all(block, "CdtTrfTxInf");
            inBlocks += own.size();
            assertThat(Integer.parseInt(text(block, "NbOfTxs"))).isEqualTo(own.size());
            assertThat(new BigDecimal(text(block, "CtrlSum"))).isEqualByComparingTo(sumOf(own));
            assertThat(text(block, "PmtMtd")).isEqualTo("TRF");
            String currency = ((Element) own.get(0).getElementsByTagNameNS(PAIN001_NS, "InstdAmt").item(0))
                    .getAttribute("Ccy");
            for (Element t : own) {
                Element amount = (Element) t.getElementsByTagNameNS(PAIN001_NS, "InstdAmt").item(0);
                assertThat(amount.getAttribute("Ccy")).isEqualTo(currency);
                // The currency's own scale: 2 decimals for EUR, none for JPY.
                assertThat(new BigDecimal(amount.getTextContent()).scale())
                        .isEqualTo(java.util.Currency.getInstance(currency).getDefaultFractionDigits());
                assertThat(text(t, "EndToEndId")).hasSize(32);
                assertThat(text(t, "IBAN")).isEqualTo(DE_IBAN);
                assertThat(text(t, "Ustrd").length()).isLessThanOrEqualTo(140);
            }
        }
        assertThat(inBlocks).isEqualTo(transactions.size());
        // Paid in the bank profile's currency: the JPY fee converted at the period's rates (0.0067 / 1.10).
        assertThat(transactions.stream().map(t -> text(t, "InstdAmt")).toList())
                .containsExactlyInAnyOrder("300.10", "450.25", "383.73");
    }

    /**
     * A report with only a group status is the bank's word on the whole file: it moves every payment of the file,
     * as the same status would one by one.
     */
    @Test
    void aGroupStatusAloneMovesEveryPaymentOfTheFile() {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        Location r = ready(org, admin, false);
        LocalDate day = PayoutFixture.dayOf(period, 11);
        PayoutFixture.pushEarnings(List.of(earning(r.partner, "REBATE", "300.00", "EUR", day),
                earning(r.partner, "COOP", "250.00", "EUR", day))).then().statusCode(200);
        String run = PayoutFixture.runPayout(period, List.of(r.partner));
        String file = given().auth().oauth2(TestTokens.operator()).get("/api/v1/payout-runs/" + run).then()
                .statusCode(200).body("bankFiles.size()", equalTo(1)).extract().path("bankFiles[0].messageId");
        List<String> ids = List.of(paymentOfType(r, "REBATE"), paymentOfType(r, "COOP"));

        BankFixture.deliver(BankFixture.pain002Group(file, "ACSP", null)).then().statusCode(200)
                .body("groupStatus", equalTo("ACSP")).body("applied", equalTo(2))
                .body("transactions.paymentId", containsInAnyOrder(ids.toArray()))
                .body("transactions.paymentStatus", equalTo(List.of("SENT", "SENT")));
        BankFixture.deliver(BankFixture.pain002Group(file, "RJCT", "FF01")).then().statusCode(200)
                .body("applied", equalTo(2)).body("transactions.reason", equalTo(List.of("FF01", "FF01")))
                .body("transactions.paymentStatus", equalTo(List.of("REJECTED", "REJECTED")));
        for (String id : ids) {
            given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/payments/" + id).then()
                    .statusCode(200).body("payment.status", equalTo("REJECTED"))
                    .body("history.toStatus", equalTo(List.of("UPCOMING", "IN_PROGRESS", "SENT", "REJECTED")));
        }
        // A group status about a file that is not ours names no payment: refused, nothing applied.
        BankFixture.deliver(BankFixture.pain002Group("NOT-OURS-" + run.substring(0, 8), "ACSC", null)).then().statusCode(422)
                .body("unknownMessageIds", equalTo(List.of("NOT-OURS-" + run.substring(0, 8))));
    }

    @Test
    void theBanksRejectionAndReturnGiveTheEarningsBackToUnpaidForTheNextRun() {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        Location r = ready(org, admin, false);
        LocalDate day = PayoutFixture.dayOf(period, 9);
        Map<String, Object> rebate = earning(r.partner, "REBATE", "300.00", "EUR", day);
        Map<String, Object> coop = earning(r.partner, "COOP", "250.00", "EUR", day);
        PayoutFixture.pushEarnings(List.of(rebate, coop)).then().statusCode(200);
        PayoutFixture.runPayout(period, List.of(r.partner));
        String rejectedId = paymentOfType(r, "REBATE");
        String returnedId = paymentOfType(r, "COOP");

        String rejection = BankFixture.pain002(rejectedId, "RJCT", "AM04", "REF-RJ");
        try (TestEvents events = TestEvents.listen("payout.events")) {
            // Refused before settlement: rejected. Settled, then refused afterwards: the money came back.
            BankFixture.deliver(rejection).then().statusCode(200).body("applied", equalTo(1));
            BankFixture.deliver(BankFixture.pain002(returnedId, "ACSC", null, "REF-OK")).then().statusCode(200)
                    .body("transactions[0].paymentStatus", equalTo("PAID"));
            BankFixture.deliver(BankFixture.pain002(returnedId, "RJCT", "MD06", "REF-RV")).then().statusCode(200)
                    .body("transactions[0].paymentStatus", equalTo("RETURNED"));
            JsonNode rejected = events.await(TestEvents.ofType("PaymentRejected", r.partner), 1).get(0).path("data");
            assertThat(rejected.path("paymentId").asText()).isEqualTo(rejectedId);
            assertThat(rejected.path("status").asText()).isEqualTo("REJECTED");
            assertThat(rejected.path("reason").asText()).isEqualTo("AM04");
            assertThat(rejected.path("amount").asText()).isEqualTo("300.00");
            assertThat(rejected.path("earningsReturned").asInt()).isEqualTo(1);
            JsonNode returned = events.await(TestEvents.ofType("PaymentReturned", r.partner), 1).get(0).path("data");
            assertThat(returned.path("paymentId").asText()).isEqualTo(returnedId);
            assertThat(returned.path("status").asText()).isEqualTo("RETURNED");
            assertThat(returned.path("bankReference").asText()).isEqualTo("REF-RV");
            events.await(TestEvents.ofType("PaymentPaid", r.partner), 1);
        }
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/payments/" + rejectedId).then()
                .statusCode(200).body("payment.status", equalTo("REJECTED"))
                .body("history.toStatus", equalTo(List.of("UPCOMING", "IN_PROGRESS", "REJECTED")))
                .body("history[2].note", containsString("bank RJCT: AM04"));
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/payments/" + returnedId).then()
                .statusCode(200).body("payment.status", equalTo("RETURNED"))
                .body("history.toStatus", equalTo(List.of("UPCOMING", "IN_PROGRESS", "PAID", "RETURNED")));
        // Both earnings are unpaid again; which payment had carried them is kept.
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/earnings?partnerId=" + r.partner).then()
                .statusCode(200).body("items.status", equalTo(List.of("UNPAID", "UNPAID")))
                .body("items.paymentId", equalTo(java.util.Arrays.asList(null, null)));
        assertThat(count(dataSource, "SELECT count(*) FROM payment_returned_earning WHERE payment_id IN ('" + rejectedId + "', '"
                + returnedId + "')")).isEqualTo(2);
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/summary").then().statusCode(200)
                .body("unpaidEarnings.EUR", equalTo("550.00")).body("paidToDate.EUR", equalTo(null));

        // The same report delivered again changes nothing.
        BankFixture.deliver(rejection).then().statusCode(200).body("applied", equalTo(1));
        assertThat(count(dataSource, "SELECT count(*) FROM payment_history WHERE payment_id = '" + rejectedId + "'"))
                .isEqualTo(3);

        // The next run pays them again, on new payments.
        PayoutFixture.runPayout(period, List.of(r.partner));
        List<Map<String, Object>> payments = PayoutFixture.payments(admin, org, r.partner);
        assertThat(payments).hasSize(4);
        List<Map<String, Object>> again = payments.stream().filter(p -> "IN_PROGRESS".equals(p.get("status")))
                .toList();
        assertThat(again.stream().map(p -> (String) p.get("amount")).toList())
                .containsExactlyInAnyOrder("300.00", "250.00");
        assertThat(count(dataSource, "SELECT count(*) FROM earning e JOIN earning_lot l ON l.id = e.lot_id WHERE e.partner_id = '"
                + r.partner + "' AND l.payment_id IN ('"
                + again.get(0).get("id") + "', '" + again.get(1).get("id") + "')")).isEqualTo(2);
    }

    @Test
    void aRejectionForTheAccountItselfPutsTheBankProfileInActionRequired() {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        Location r = ready(org, admin, false);
        PayoutFixture.pushEarnings(List.of(earning(r.partner, "REBATE", "300.00", "EUR",
                PayoutFixture.dayOf(period, 9)))).then().statusCode(200);
        PayoutFixture.runPayout(period, List.of(r.partner));
        String paymentId = paymentOfType(r, "REBATE");

        try (TestEvents events = TestEvents.listen("payout.events")) {
            BankFixture.deliver(BankFixture.pain002(paymentId, "RJCT", "AC04", "REF-AC04")).then().statusCode(200)
                    .body("applied", equalTo(1));
            events.await(TestEvents.ofType("PaymentRejected", r.partner), 1);
            JsonNode changed = events.await(TestEvents.ofType("PayoutProfileStatusChanged", r.partner), 1).get(0)
                    .path("data");
            assertThat(changed.path("bankProfile").asText()).isEqualTo("ACTION_REQUIRED");
            assertThat(changed.path("status").asText()).isEqualTo("INCOMPLETE");
        }
        assertThat(PayoutFixture.bankStatus(admin, org, r.bankId)).isEqualTo("ACTION_REQUIRED");
        List<Map<String, Object>> profiles = given().auth().oauth2(admin)
                .get("/api/v1/organizations/" + org + "/payment-profiles").then().statusCode(200).extract()
                .path("items");
        assertThat(profiles.get(0).toString()).contains("AC04");
        // The next run does not send to the refused account again: it holds the earnings until it is corrected.
        PayoutFixture.runPayout(period, List.of(r.partner));
        Map<String, Object> again = PayoutFixture.payments(admin, org, r.partner).stream()
                .filter(p -> !paymentId.equals(p.get("id"))).findFirst().orElseThrow();
        assertThat(again.get("status")).isEqualTo("ON_HOLD");
        assertThat(again.get("holdReasons")).isEqualTo(List.of("BANK_PROFILE_NOT_APPROVED"));
        assertThat(again.get("amount")).isEqualTo("300.00");
    }

    @Test
    void aTaxProfileThatExpiredYesterdayTellsEnrollmentTheLocationIsNoLongerComplete() {
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        Location r = ready(org, admin, false);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "COMPLETE".equals(status(r.partner)));
        long before = count(dataSource, "SELECT sequence FROM location_profile_status WHERE partner_id = '" + r.partner + "'");
        update(dataSource, "UPDATE tax_profile SET expires_on = current_date - 1 WHERE partner_id = '" + r.partner + "'");

        try (TestEvents events = TestEvents.listen("payout.events")) {
            // Two replicas' daily jobs at the same moment (each on its own connections and transactions): the
            // location's status changes once, with one event.
            CompletableFuture<Integer> one = CompletableFuture.supplyAsync(expiryJob::refreshExpired);
            CompletableFuture<Integer> two = CompletableFuture.supplyAsync(expiryJob::refreshExpired);
            assertThat(one.join() + two.join()).isGreaterThanOrEqualTo(1);
            List<JsonNode> published = events.await(TestEvents.ofType("PayoutProfileStatusChanged", r.partner), 1,
                    Duration.ofSeconds(30), Duration.ofSeconds(3));
            assertThat(published).hasSize(1);
            JsonNode changed = published.get(0).path("data");
            assertThat(changed.path("taxProfile").asText()).isEqualTo("EXPIRED");
            assertThat(changed.path("bankProfile").asText()).isEqualTo("APPROVED");
            assertThat(changed.path("status").asText()).isEqualTo("INCOMPLETE");
            assertThat(changed.path("sequence").asLong()).isEqualTo(before + 1);
        }
        // The next day's check finds nothing new for it.
        expiryJob.refreshExpired();
        assertThat(count(dataSource, "SELECT sequence FROM location_profile_status WHERE partner_id = '" + r.partner + "'"))
                .isEqualTo(before + 1);
        // A profile expiring today is still valid today.
        Location today = ready(org, admin, false);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "COMPLETE".equals(status(today.partner)));
        update(dataSource, "UPDATE tax_profile SET expires_on = current_date WHERE partner_id = '" + today.partner + "'");
        expiryJob.refreshExpired();
        assertThat(status(today.partner)).isEqualTo("COMPLETE");
    }

    @Test
    void aTaxProfileExpiringWithinThirtyDaysIsWarnedOnceEvenWhenTwoReplicasCheck() {
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        Location soon = ready(org, admin, false);
        Location later = ready(org, admin, false);
        update(dataSource, "UPDATE tax_profile SET expires_on = current_date + 20 WHERE partner_id = '" + soon.partner + "'");
        update(dataSource, "UPDATE tax_profile SET expires_on = current_date + 40 WHERE partner_id = '" + later.partner + "'");

        try (TestEvents events = TestEvents.listen("payout.events")) {
            CompletableFuture<Integer> one = CompletableFuture.supplyAsync(expiryJob::warnExpiring);
            CompletableFuture<Integer> two = CompletableFuture.supplyAsync(expiryJob::warnExpiring);
            assertThat(one.join() + two.join()).isGreaterThanOrEqualTo(1);
            expiryJob.warnExpiring(); // the next day's check: already warned for this date
            // once for the profile expiring in 20 days; never for the one expiring in 40
            List<JsonNode> warned = events.await(TestEvents.ofType("TaxProfileExpiring", soon.partner)
                    .or(TestEvents.ofType("TaxProfileExpiring", later.partner)), 1, Duration.ofSeconds(30),
                    Duration.ofSeconds(3));
            assertThat(warned).extracting(e -> e.path("aggregateId").asText()).containsExactly(soon.partner);
            JsonNode data = warned.get(0).path("data");
            assertThat(data.path("organizationId").asText()).isEqualTo(org.toString());
            assertThat(data.path("expiresOn").asText())
                    .isEqualTo(LocalDate.now(ZoneOffset.UTC).plusDays(20).toString());
        }
        // a correction that moves the date (still within 30 days) is warned for again, once
        update(dataSource, "UPDATE tax_profile SET expires_on = current_date + 25 WHERE partner_id = '" + soon.partner + "'");
        try (TestEvents events = TestEvents.listen("payout.events")) {
            expiryJob.warnExpiring();
            expiryJob.warnExpiring();
            assertThat(events.await(TestEvents.ofType("TaxProfileExpiring", soon.partner), 1,
                    Duration.ofSeconds(30), Duration.ofSeconds(3))).singleElement()
                    .satisfies(e -> assertThat(e.path("data").path("expiresOn").asText())
                            .isEqualTo(LocalDate.now(ZoneOffset.UTC).plusDays(25).toString()));
        }
    }

    @Test
    void aLocationLimitedUserSeesOnlyTheirLocationsEarningsPaymentsAndStatements() {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        Location mine = ready(org, admin, false);
        Location theirs = ready(org, admin, false);
        LocalDate day = PayoutFixture.dayOf(period, 11);
        PayoutFixture.pushEarnings(List.of(earning(mine.partner, "REBATE", "300.00", "EUR", day),
                earning(theirs.partner, "REBATE", "700.00", "EUR", day),
                earning(theirs.partner, "COOP", "20.00", "EUR", day))).then().statusCode(200);
        PayoutFixture.runPayout(period, List.of(mine.partner, theirs.partner));
        String theirPayment = paymentOfType(theirs, "REBATE");
        String minePayment = paymentOfType(mine, "REBATE");
        String base = "/api/v1/organizations/" + org;

        for (String role : List.of("INCENTIVE_USER", "INCENTIVE_ADMIN")) {
            String user = TestUsers.create(org, List.of(role), List.of(mine.partner)).token();
            given().auth().oauth2(user).get(base + "/earnings").then().statusCode(200)
                    .body("items.partnerId", equalTo(List.of(mine.partner)));
            String csv = given().auth().oauth2(user).accept("text/csv").get(base + "/earnings").then()
                    .statusCode(200).extract().asString();
            assertThat(csv).contains(mine.partner).doesNotContain(theirs.partner);
            given().auth().oauth2(user).get(base + "/payments").then().statusCode(200)
                    .body("items.id", equalTo(List.of(minePayment)));
            given().auth().oauth2(user).get(base + "/payments/" + minePayment).then().statusCode(200);
            given().auth().oauth2(user).get(base + "/statements/" + period).then().statusCode(200)
                    .body("locations.partnerId", equalTo(List.of(mine.partner)));
            String statement = given().auth().oauth2(user).accept("text/csv").get(base + "/statements/" + period)
                    .then().statusCode(200).extract().asString();
            assertThat(statement).contains(mine.partner).doesNotContain(theirs.partner);
            given().auth().oauth2(user).get(base + "/summary").then().statusCode(200)
                    .body("upcomingPayment.EUR", equalTo("300.00"))
                    .body("unpaidEarnings.EUR", nullValue());
            // The other location of the same organization does not exist for them.
            given().auth().oauth2(user).get(base + "/payments/" + theirPayment).then().statusCode(404)
                    .contentType("application/problem+json");
            for (String path : List.of("/earnings?partnerId=", "/payments?partnerId=",
                    "/statements/" + period + "?partnerId=")) {
                given().auth().oauth2(user).get(base + path + theirs.partner).then().statusCode(404)
                        .contentType("application/problem+json");
            }
        }
        // The organization-wide user still sees both.
        String everyone = TestUsers.create(org, "INCENTIVE_USER").token();
        given().auth().oauth2(everyone).get(base + "/statements/" + period).then().statusCode(200)
                .body("locations.partnerId", containsInAnyOrder(mine.partner, theirs.partner));
    }

    @Test
    void aBankProfileIsNotCorrectedUnderAFileBeingWrittenAndALateRefusalOfTheOldAccountSparesTheCorrection() {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        Location r = ready(org, admin, false);
        PayoutFixture.pushEarnings(List.of(earning(r.partner, "REBATE", "300.00", "EUR",
                PayoutFixture.dayOf(period, 9)))).then().statusCode(200);
        PayoutFixture.runPayout(period, List.of(r.partner));
        String paymentId = paymentOfType(r, "REBATE");
        assertThat(count(dataSource, "SELECT count(*) FROM payment WHERE id = '" + paymentId + "' AND bank_profile_version = 1"))
                .isEqualTo(1);
        String profile = "/api/v1/organizations/" + org + "/payment-profiles/" + r.bankId;
        Map<String, Object> corrected = PayoutFixture.bankBody("Corrected", "DE", "EUR", "DE44500105175407324931",
                "INGDDEFFXXX");

        // While a run is still to put a payment to this profile in its bank file (UPCOMING), a correction would
        // send that payment to an account not validated yet: refused. (The state is set by hand: a run passes it
        // within one transaction.)
        String filed = given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/payments/" + paymentId)
                .then().statusCode(200).extract().path("payment.status");
        update(dataSource, "UPDATE payment SET status = 'UPCOMING' WHERE id = '" + paymentId + "'");
        given().auth().oauth2(admin).contentType(io.restassured.http.ContentType.JSON).header("If-Match", "\"1\"").body(corrected)
                .put(profile).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("payout run"));
        update(dataSource, "UPDATE payment SET status = '" + filed + "' WHERE id = '" + paymentId + "'");

        // Once in the file, the partner may correct it; the new version is validated and, its account changed after
        // a payment was sent, waits for an operator (BankProfileReviewTest), who approves it.
        given().auth().oauth2(admin).contentType(io.restassured.http.ContentType.JSON).header("If-Match", "\"1\"").body(corrected)
                .put(profile).then().statusCode(200).header("ETag", "\"2\"");
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> "IN_REVIEW".equals(PayoutFixture.bankStatus(admin, org, r.bankId)));
        given().auth().oauth2(TestTokens.operator()).contentType(io.restassured.http.ContentType.JSON)
                .header("If-Match", "\"2\"").body(Map.of()).post("/api/v1/payment-profiles/" + r.bankId + "/approve")
                .then().statusCode(200).body("status", equalTo("APPROVED"));

        // The bank then refuses the old account (rejected, or returned if it had settled): the payment fails, but
        // the correction stays APPROVED.
        BankFixture.deliver(BankFixture.pain002(paymentId, "RJCT", "AC04", "REF-AC04-LATE")).then().statusCode(200)
                .body("applied", equalTo(1));
        String failed = given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/payments/" + paymentId)
                .then().statusCode(200).extract().path("payment.status");
        assertThat(failed).isIn("REJECTED", "RETURNED");
        assertThat(PayoutFixture.bankStatus(admin, org, r.bankId)).isEqualTo("APPROVED");
    }

    private String status(String partner) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT status FROM location_profile_status WHERE partner_id = ?")) {
            s.setString(1, partner);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> onlyPayment(Location l) {
        List<Map<String, Object>> payments = PayoutFixture.payments(l.admin, l.org, l.partner);
        assertThat(payments).hasSize(1);
        return payments.get(0);
    }

    private static String paymentOfType(Location l, String type) {
        return PayoutFixture.payments(l.admin, l.org, l.partner).stream()
                .filter(p -> type.equals(p.get("earningType"))).map(p -> (String) p.get("id")).findFirst()
                .orElseThrow();
    }

    private static List<String> endToEndIds(Document xml) {
        List<String> ids = new ArrayList<>();
        NodeList nodes = xml.getElementsByTagNameNS(PAIN001_NS, "EndToEndId");
        for (int i = 0; i < nodes.getLength(); i++) {
            ids.add(nodes.item(i).getTextContent());
        }
        return ids;
    }

    private static Element child(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagNameNS(PAIN001_NS, name);
        assertThat(nodes.getLength()).as(name).isGreaterThan(0);
        return (Element) nodes.item(0);
    }

    private static List<Element> all(Element parent, String name) {
        List<Element> list = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagNameNS(PAIN001_NS, name);
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }

    private static String text(Element parent, String name) {
        return child(parent, name).getTextContent();
    }

    private static BigDecimal sumOf(List<Element> transactions) {
        return transactions.stream().map(t -> new BigDecimal(text(t, "InstdAmt"))).reduce(BigDecimal.ZERO,
                BigDecimal::add);
    }
}
