package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.BankFixture;
import com.acme.incentives.payout.PayoutFixture;
import com.acme.incentives.payout.bank.Iso20022Schemas;
import com.acme.incentives.payout.service.PayoutRunService;
import com.acme.incentives.payout.service.PayoutRunWorker;
import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static com.acme.incentives.platform.testing.TestSql.count;
import static com.acme.incentives.platform.testing.TestSql.update;
import static com.acme.incentives.payout.PayoutFixture.DE_BIC;
import static com.acme.incentives.payout.PayoutFixture.DE_IBAN;
import static com.acme.incentives.payout.PayoutFixture.earning;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import org.hamcrest.Matchers;

@QuarkusTest
public class PayoutRunTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    PayoutRunService runs;

    @Inject
    PayoutRunWorker worker;

    record Ready(UUID org, String partner, String admin, String bankId) {
    }

    /** A location with everything in order: enrolled, valid tax profile, approved bank profile, assignment. */
    static Ready ready(UUID org, String admin) {
        String partner = PayoutFixture.addLocation(org, "DE");
        PayoutFixture.enroll(org, partner, "ENROLLED");
        PayoutFixture.createTaxProfile(admin, org, partner);
        String bank = PayoutFixture.createBankProfile(admin, org,
                PayoutFixture.bankBody("Bank " + partner, "DE", "EUR", DE_IBAN, DE_BIC), "APPROVED");
        PayoutFixture.assign(admin, partner, bank, false);
        return new Ready(org, partner, admin, bank);
    }

    @Test
    void paysSendsReportsAndRollsForwardUntilReleased() throws Exception {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        Ready r = ready(org, admin);
        LocalDate day = PayoutFixture.dayOf(period, 5);
        PayoutFixture.pushEarnings(List.of(earning(r.partner, "REBATE", "300.00", "EUR", day),
                earning(r.partner, "REBATE", "-20.00", "EUR", day).entrySet().stream().collect(
                        HashMap::new, (m, e) -> m.put(e.getKey(), e.getKey().equals("type") ? "ADJUSTMENT"
                                : e.getValue()), HashMap::putAll),
                earning(r.partner, "COOP", "50.00", "EUR", day))).then().statusCode(400); // negative REBATE line
        Map<String, Object> adjustment = earning(r.partner, "ADJUSTMENT", "-20.00", "EUR", day);
        PayoutFixture.pushEarnings(List.of(earning(r.partner, "REBATE", "300.00", "EUR", day), adjustment,
                earning(r.partner, "COOP", "50.00", "EUR", day))).then().statusCode(200);

        String runId;
        try (TestEvents events = TestEvents.listen("payout.events")) {
            runId = PayoutFixture.runPayout(period, List.of(r.partner));
            events.await(e -> "PaymentIssued".equals(e.path("type").asText())
                    && r.partner.equals(e.path("aggregateId").asText()), 1);
            List<JsonNode> held = events.await(e -> "PaymentHeld".equals(e.path("type").asText())
                    && r.partner.equals(e.path("aggregateId").asText()), 2);
            assertThat(held.stream().map(h -> h.path("data").path("earningType").asText()))
                    .containsExactlyInAnyOrder("COOP", "ADJUSTMENT");
            assertThat(held.get(0).path("data").path("holdReasons").toString()).contains("BELOW_THRESHOLD");
            // the partner is told when a payment still on hold is forfeited: 180 days after it was first held
            JsonNode first = held.get(0).path("data");
            assertThat(Instant.parse(first.path("forfeitsAt").asText()))
                    .isEqualTo(Instant.parse(first.path("heldSince").asText()).plus(Duration.ofDays(180)));
        }
        List<Map<String, Object>> payments = PayoutFixture.payments(admin, org, r.partner);
        Map<String, Object> rebate = byType(payments, "REBATE");
        assertThat(rebate.get("status")).isEqualTo("IN_PROGRESS");
        assertThat(rebate.get("amount")).isEqualTo("300.00");
        assertThat(rebate.get("payoutAmount")).isEqualTo("300.00");
        assertThat(byType(payments, "COOP").get("status")).isEqualTo("ON_HOLD");
        assertThat(byType(payments, "COOP").get("holdReasons")).isEqualTo(List.of("BELOW_THRESHOLD"));
        assertThat(byType(payments, "ADJUSTMENT").get("amount")).isEqualTo("-20.00");

        // The pain.001 file names the payment (end-to-end id) and the creditor's IBAN.
        String rebateId = (String) rebate.get("id");
        String fileId = given().auth().oauth2(TestTokens.operator()).get("/api/v1/payout-runs/" + runId).then()
                .statusCode(200).body("status", equalTo("COMPLETED")).extract().path("bankFiles[0].id");
        String xml = given().auth().oauth2(TestTokens.operator())
                .get("/api/v1/payout-runs/" + runId + "/bank-files/" + fileId).then().statusCode(200).extract()
                .asString();
        Iso20022Schemas.validate(Iso20022Schemas.PAIN_001_001_09, xml.getBytes(StandardCharsets.UTF_8));
        assertThat(xml).contains("urn:iso:std:iso:20022:tech:xsd:pain.001.001.09")
                .contains("<EndToEndId>" + rebateId.replace("-", "") + "</EndToEndId>")
                .contains("<IBAN>" + DE_IBAN + "</IBAN>").contains("<InstdAmt Ccy=\"EUR\">300.00</InstdAmt>");

        // The bank's status report (accepted for settlement) marks it sent.
        try (TestEvents events = TestEvents.listen("payout.events")) {
            BankFixture.deliver(BankFixture.pain002(rebateId, "ACSP", null, "REF-1")).then().statusCode(200)
                    .body("applied", equalTo(1));
            JsonNode sent = events.await(e -> "PaymentSent".equals(e.path("type").asText())
                    && r.partner.equals(e.path("aggregateId").asText()), 1).get(0);
            assertThat(sent.path("data").path("bankReference").asText()).isEqualTo("REF-1");
            assertThat(sent.path("data").path("amount").asText()).isEqualTo("300.00");
        }
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/payments/" + rebateId).then()
                .statusCode(200).body("payment.status", equalTo("SENT"))
                .body("history.toStatus", equalTo(List.of("UPCOMING", "IN_PROGRESS", "SENT")));
        // Every earning shows the payment that paid it.
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/earnings?type=REBATE").then()
                .statusCode(200).body("items[0].paymentId", equalTo(rebateId))
                .body("items[0].status", equalTo("SENT"));

        // Statement: the payment with its line, the holds with their next action, the totals.
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/statements/" + period).then()
                .statusCode(200).body("locations[0].partnerId", equalTo(r.partner))
                .body("locations[0].country", equalTo("DE")).body("locations[0].taxId", equalTo("DE123456789"))
                .body("locations[0].totals.paidToDate.EUR", equalTo("300.00"))
                .body("locations[0].totals.unpaidEarnings.EUR", equalTo("30.00"))
                .body("locations[0].holds.holdReasons.flatten()", hasItem("BELOW_THRESHOLD"))
                .body("locations[0].holds[0].nextActions[0]", Matchers.containsString("rolls"));
        String csv = given().auth().oauth2(admin).accept("text/csv")
                .get("/api/v1/organizations/" + org + "/statements/" + period).then().statusCode(200).extract()
                .asString();
        String[] rows = csv.split("\r\n");
        assertThat(rows[0]).isEqualTo(String.join(",", PaymentResource.STATEMENT_COLUMNS));
        assertThat(rows).hasSize(4);
        assertThat(csv).contains(period + "," + r.partner + ",Location " + r.partner + ",DE,W8BENE,DE123456789,");

        // More COOP earnings: the held COOP payment takes them in, reaches the threshold and is released.
        PayoutFixture.pushEarnings(List.of(earning(r.partner, "COOP", "200.00", "EUR", day))).then().statusCode(200);
        String heldId = (String) byType(payments, "COOP").get("id");
        PayoutFixture.runPayout(period, List.of(r.partner));
        Map<String, Object> coop = byType(PayoutFixture.payments(admin, org, r.partner), "COOP");
        assertThat(coop.get("id")).isEqualTo(heldId);
        assertThat(coop.get("amount")).isEqualTo("250.00");
        assertThat(coop.get("status")).isEqualTo("IN_PROGRESS");
        assertThat(PayoutFixture.payments(admin, org, r.partner)).hasSize(3);

        // A third run for the same period pays nothing twice.
        String third = PayoutFixture.runPayout(period, List.of(r.partner));
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/payout-runs/" + third).then()
                .body("paymentsIssued", equalTo(0)).body("paymentsReleased", equalTo(0));
        assertThat(PayoutFixture.payments(admin, org, r.partner)).hasSize(3);
    }

    @Test
    void everyHoldReasonAloneAndAllAtOnceThenReleaseWhenCleared() {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        LocalDate day = PayoutFixture.dayOf(period, 7);
        // One organization per case, so "the organization's newest bank profile" is the one the case set up.
        Ready notEnrolled = readyExcept(UUID.randomUUID(), "enrolment");
        Ready taxMissing = readyExcept(UUID.randomUUID(), "tax");
        Ready taxExpired = readyExcept(UUID.randomUUID(), "expired");
        Ready bankMissing = readyExcept(UUID.randomUUID(), "bank");
        Ready bankRefused = readyExcept(UUID.randomUUID(), "refused");
        Ready partnerHold = readyExcept(UUID.randomUUID(), "hold");
        Ready all = readyExcept(UUID.randomUUID(), "all");
        List<Ready> cases = List.of(notEnrolled, taxMissing, taxExpired, bankMissing, bankRefused, partnerHold, all);
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Ready c : cases) {
            lines.add(earning(c.partner, "REBATE", c == all ? "10.00" : "500.00", "EUR", day));
        }
        PayoutFixture.pushEarnings(lines).then().statusCode(200);
        try (TestEvents events = TestEvents.listen("payout.events")) {
            PayoutFixture.runPayout(period, cases.stream().map(Ready::partner).toList());
            JsonNode allHeld = events.await(e -> "PaymentHeld".equals(e.path("type").asText())
                    && all.partner.equals(e.path("aggregateId").asText()), 1).get(0);
            assertThat(allHeld.path("data").path("holdReasons").toString()).isEqualTo(
                    "[\"NOT_ENROLLED\",\"TAX_PROFILE_MISSING\",\"BANK_PROFILE_NOT_APPROVED\",\"PARTNER_HOLD\","
                            + "\"BELOW_THRESHOLD\"]");
        }
        assertThat(reasons(notEnrolled)).containsExactly("NOT_ENROLLED");
        assertThat(reasons(taxMissing)).containsExactly("TAX_PROFILE_MISSING");
        assertThat(reasons(taxExpired)).containsExactly("TAX_PROFILE_EXPIRED");
        assertThat(reasons(bankMissing)).containsExactly("BANK_PROFILE_MISSING");
        assertThat(reasons(bankRefused)).containsExactly("BANK_PROFILE_NOT_APPROVED");
        assertThat(reasons(partnerHold)).containsExactly("PARTNER_HOLD");
        assertThat(reasons(all)).containsExactly("NOT_ENROLLED", "TAX_PROFILE_MISSING", "BANK_PROFILE_NOT_APPROVED",
                "PARTNER_HOLD", "BELOW_THRESHOLD");

        // Causes cleared: the partner lifts the hold, the missing enrolment arrives; a later run releases both.
        PayoutFixture.assign(partnerHold.admin, partnerHold.partner, partnerHold.bankId, false);
        PayoutFixture.enroll(notEnrolled.org, notEnrolled.partner, "ENROLLED");
        String later = PayoutFixture.runPayout(period, cases.stream().map(Ready::partner).toList());
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/payout-runs/" + later).then()
                .body("paymentsReleased", equalTo(2));
        for (Ready released : List.of(partnerHold, notEnrolled)) {
            Map<String, Object> p = PayoutFixture.payments(released.admin, released.org, released.partner).get(0);
            assertThat(p.get("status")).isEqualTo("IN_PROGRESS");
            assertThat(p.get("holdReasons")).isEqualTo(List.of());
        }
        assertThat(reasons(taxMissing)).containsExactly("TAX_PROFILE_MISSING");
        // The statement offers what to do about each hold.
        given().auth().oauth2(all.admin).get("/api/v1/organizations/" + all.org + "/payments").then()
                .statusCode(200).body("items[0].nextActions", hasItem(
                        Matchers.containsString("hold my payment")));
        // in the caller's language; the reasons stay codes
        given().auth().oauth2(all.admin).header("Accept-Language", "ja")
                .get("/api/v1/organizations/" + all.org + "/payments").then().statusCode(200)
                .body("items[0].holdReasons", hasItem("PARTNER_HOLD"))
                .body("items[0].nextActions", hasItem(Matchers.containsString("「支払いを保留」をオフ")));
        given().auth().oauth2(all.admin).header("Accept-Language", "ko-KR")
                .get("/api/v1/organizations/" + all.org + "/payments").then().statusCode(200)
                .body("items[0].nextActions", hasItem(Matchers.containsString("\"지급 보류\"를 해제")));
    }

    private Ready readyExcept(UUID org, String missing) {
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        String partner = PayoutFixture.addLocation(org, "DE");
        boolean all = missing.equals("all");
        if (!missing.equals("enrolment") && !all) {
            PayoutFixture.enroll(org, partner, "ENROLLED");
        }
        if (!missing.equals("tax") && !all) {
            PayoutFixture.createTaxProfile(admin, org, partner);
        }
        if (missing.equals("expired")) {
            update(dataSource, "UPDATE tax_profile SET expires_on = DATE '2020-01-01' WHERE partner_id = '" + partner + "'");
        }
        String bank = null;
        if (missing.equals("refused") || all) {
            bank = PayoutFixture.createBankProfile(admin, org,
                    PayoutFixture.bankBody("Refused", "GB", "GBP", DE_IBAN, "NWBKGB2L"), "ACTION_REQUIRED");
        } else if (!missing.equals("bank")) {
            bank = PayoutFixture.createBankProfile(admin, org,
                    PayoutFixture.bankBody("Main", "DE", "EUR", DE_IBAN, DE_BIC), "APPROVED");
        }
        if (bank != null || missing.equals("hold")) {
            PayoutFixture.assign(admin, partner, bank, missing.equals("hold") || all);
        }
        return new Ready(org, partner, admin, bank);
    }

    private List<Object> reasons(Ready r) {
        List<Map<String, Object>> payments = PayoutFixture.payments(r.admin, r.org, r.partner);
        assertThat(payments).hasSize(1);
        @SuppressWarnings("unchecked") List<Object> list = (List<Object>) payments.get(0).get("holdReasons");
        return list;
    }

    @Test
    void aRunKilledHalfWayResumesWithoutDoublePayment() throws Exception {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        List<String> partners = new ArrayList<>();
        List<Map<String, Object>> lines = new ArrayList<>();
        LocalDate day = PayoutFixture.dayOf(period, 12);
        for (int i = 0; i < 4; i++) {
            Ready r = ready(org, admin);
            partners.add(r.partner);
            for (int j = 0; j < 25; j++) {
                lines.add(earning(r.partner, "REBATE", "40.00", "EUR", day));
            }
        }
        PayoutFixture.pushEarnings(lines).then().statusCode(200);

        // The run's first chunk (2 of 4 locations, chunk size 2 in tests) commits, then the process "dies": no
        // worker carries on, as after a kill -9.
        UUID runId = runs.openWithoutWorker(java.time.YearMonth.parse(period), partners, "test");
        assertThat(worker.processChunk(runId)).isTrue();
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/payout-runs/" + runId).then()
                .body("status", equalTo("RUNNING")).body("locationsTotal", equalTo(4))
                .body("locationsDone", equalTo(2));
        assertThat(count(dataSource, "SELECT count(*) FROM payment WHERE payout_run_id = '" + runId + "'")).isEqualTo(2);

        // Asking again resumes the same run (after its lease ran out), or the janitor does.
        PayoutFixture.awaitCompleted(runs.start(java.time.YearMonth.parse(period), partners, "OPERATOR", "test").run().id().toString());
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/payout-runs/" + runId).then()
                .body("status", equalTo("COMPLETED")).body("locationsDone", equalTo(4));
        String in = "('" + String.join("','", partners) + "')";
        assertThat(count(dataSource, "SELECT count(*) FROM payment WHERE partner_id IN " + in)).isEqualTo(4);
        assertThat(count(dataSource, "SELECT count(*) FROM earning e JOIN earning_lot l ON l.id = e.lot_id WHERE e.partner_id IN " + in
                + " AND l.payment_id IS NULL"))
                .isZero();
        assertThat(count(dataSource, "SELECT count(*) FROM payment p WHERE partner_id IN " + in
                + " AND amount <> (SELECT sum(e.amount) FROM earning e JOIN earning_lot l ON l.id = e.lot_id"
                + " WHERE l.payment_id = p.id)")).isZero();
        assertThat(count(dataSource, "SELECT count(*) FROM payment WHERE partner_id IN " + in + " AND amount = 1000")).isEqualTo(4);
    }

    /**
     * A run claims lots that the feed is still adding to (V14): while a worker claims chunk after chunk, more earnings
     * of the same groups and month arrive, each batch sent twice at once (as by two feed replicas). Each earning is
     * then paid exactly once, by this run or the next, each payment equals its earnings, and the resent lines count
     * once.
     */
    @Test
    void earningsPushedWhileARunClaimsThemArePaidOnceAndResentOnesCountOnce() {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        List<String> partners = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            partners.add(ready(org, admin).partner);
        }
        LocalDate day = PayoutFixture.dayOf(period, 12);
        List<Map<String, Object>> first = new ArrayList<>();
        partners.forEach(p -> {
            for (int j = 0; j < 10; j++) {
                first.add(earning(p, "REBATE", "40.00", "EUR", day));
            }
        });
        PayoutFixture.pushEarnings(first).then().statusCode(200);

        UUID runId = runs.openWithoutWorker(java.time.YearMonth.parse(period), partners, "test");
        // Eight threads of our own: the common pool has one thread on two cores, which would send one at a time.
        java.util.concurrent.ExecutorService feed = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.CompletableFuture<Void>> sends = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            List<Map<String, Object>> batch = new ArrayList<>();
            partners.forEach(p -> {
                for (int j = 0; j < 5; j++) {
                    batch.add(earning(p, "REBATE", "40.00", "EUR", day));
                }
            });
            for (int copy = 0; copy < 2; copy++) {
                sends.add(java.util.concurrent.CompletableFuture.runAsync(
                        () -> PayoutFixture.pushEarnings(batch).then().statusCode(200), feed));
            }
        }
        worker.complete(runId);
        sends.forEach(java.util.concurrent.CompletableFuture::join);
        feed.shutdown();
        PayoutFixture.runPayout(period, partners); // pays what arrived after its lot was claimed

        String in = "('" + String.join("','", partners) + "')";
        assertThat(count(dataSource, "SELECT count(*) FROM earning WHERE partner_id IN " + in)).isEqualTo(180);
        assertThat(count(dataSource, "SELECT count(*) FROM earning e JOIN earning_lot l ON l.id = e.lot_id"
                + " WHERE e.partner_id IN " + in + " AND l.payment_id IS NULL")).isZero();
        assertThat(count(dataSource, "SELECT count(*) FROM payment p WHERE partner_id IN " + in
                + " AND (amount, earning_count) <> (SELECT COALESCE(sum(e.amount), 0), count(*)"
                + " FROM earning e JOIN earning_lot l ON l.id = e.lot_id WHERE l.payment_id = p.id)")).isZero();
        assertThat(count(dataSource, "SELECT sum(amount) FROM payment WHERE partner_id IN " + in))
                .isEqualTo(180 * 40);
    }

    /** Property: over thousands of random earnings, earnings = payments issued + held + rolled forward, per currency. */
    @Test
    void moneyIsConservedToTheCent() {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        Random random = new Random(42);
        List<String> partners = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            if (i % 3 == 0) {
                partners.add(ready(org, admin).partner); // the organization's newest bank profile is approved
            } else {
                String p = PayoutFixture.addLocation(org, "DE");
                if (i % 3 == 1) {
                    PayoutFixture.enroll(org, p, "ENROLLED");
                }
                partners.add(p);
            }
        }
        String[] currencies = { "EUR", "GBP", "JPY", "USD" };
        String[] types = { "REBATE", "COOP", "FEE", "ADJUSTMENT" };
        Map<String, BigDecimal> expected = new TreeMap<>();
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            String currency = currencies[random.nextInt(currencies.length)];
            String type = types[random.nextInt(types.length)];
            int scale = currency.equals("JPY") ? 0 : 2;
            BigDecimal amount = BigDecimal.valueOf(random.nextInt(50_000), scale);
            if (type.equals("ADJUSTMENT") && random.nextBoolean()) {
                amount = amount.negate();
            }
            expected.merge(currency, amount, BigDecimal::add);
            lines.add(earning(partners.get(random.nextInt(partners.size())), type, amount.toPlainString(), currency,
                    PayoutFixture.dayOf(period, 1 + random.nextInt(28))));
        }
        for (int from = 0; from < lines.size(); from += 2000) {
            PayoutFixture.pushEarnings(lines.subList(from, from + 2000)).then().statusCode(200);
        }
        PayoutFixture.pushEarnings(lines.subList(0, 2000)).then().statusCode(200).body("created", equalTo(0));
        // 12 locations are 6 chunks in tests (chunk size 2), worked two at once (payout.run.workers).
        String firstRun = PayoutFixture.runPayout(period, partners);
        assertCountsMatchPayments(firstRun, partners.size());
        Map<String, BigDecimal> first = assertConserved(org, expected);
        PayoutFixture.runPayout(period, partners);
        assertThat(assertConserved(org, expected)).isEqualTo(first);
    }

    /**
     * The run's counts, which its chunks add to its one row as each commits (two at once, so one waits for the
     * other's commit there), are its payments': none lost, none counted twice.
     */
    private void assertCountsMatchPayments(String runId, int locations) {
        Map<String, Object> run = given().auth().oauth2(TestTokens.operator()).get("/api/v1/payout-runs/" + runId)
                .then().statusCode(200).extract().as(Map.class);
        String ofRun = "SELECT count(*) FROM payment WHERE payout_run_id = '" + runId + "' AND status = ";
        assertThat(run.get("locationsDone")).isEqualTo(locations);
        assertThat(((Number) run.get("paymentsIssued")).longValue()).isEqualTo(count(dataSource, ofRun + "'IN_PROGRESS'"))
                .isPositive();
        assertThat(((Number) run.get("paymentsHeld")).longValue()).isEqualTo(count(dataSource, ofRun + "'ON_HOLD'"))
                .isPositive();
        assertThat(((Number) run.get("paymentsForfeited")).longValue()).isEqualTo(count(dataSource, ofRun + "'FORFEITED'"));
    }

    private Map<String, BigDecimal> assertConserved(UUID org, Map<String, BigDecimal> expected) {
        Map<String, BigDecimal> earnings = sums("SELECT currency, sum(amount) FROM earning WHERE organization_id = '"
                + org + "' GROUP BY currency");
        Map<String, BigDecimal> byStatus = sums("SELECT currency || ':' || status, sum(amount) FROM payment"
                + " WHERE organization_id = '" + org + "' GROUP BY currency, status");
        assertThat(count(dataSource, "SELECT count(*) FROM earning e JOIN earning_lot l ON l.id = e.lot_id WHERE e.organization_id = '" + org
                + "' AND l.payment_id IS NULL"))
                .isZero();
        for (var e : expected.entrySet()) {
            assertThat(earnings.get(e.getKey())).isEqualByComparingTo(e.getValue());
            BigDecimal paid = BigDecimal.ZERO;
            for (var s : byStatus.entrySet()) {
                if (s.getKey().startsWith(e.getKey() + ":")) {
                    paid = paid.add(s.getValue());
                }
            }
            assertThat(paid).as("payments + held + rolled forward in " + e.getKey()).isEqualByComparingTo(e.getValue());
        }
        assertThat(byStatus.keySet()).anyMatch(k -> k.endsWith(":ON_HOLD"));
        assertThat(byStatus.keySet()).anyMatch(k -> k.endsWith(":IN_PROGRESS"));
        // Summary = the same money seen through the API.
        Map<String, Object> summary = given().auth().oauth2(TestUsers.create(org, "INCENTIVE_USER").token())
                .get("/api/v1/organizations/" + org + "/summary").then().statusCode(200).extract().as(Map.class);
        assertThat(summary).containsKeys("paidToDate", "unpaidEarnings", "upcomingPayment", "onHold");
        return byStatus;
    }

    @Test
    void operatorsOnlyAndTenancyOnPaymentEndpoints() {
        UUID org = UUID.randomUUID();
        String partner = PayoutFixture.addLocation(org, "DE");
        String admin = TestUsers.create(org, "GLOBAL_ADMIN").token();
        String stranger = TestUsers.create(UUID.randomUUID(), "INCENTIVE_ADMIN").token();
        String period = PayoutFixture.lastMonth();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("period", period))
                .post("/api/v1/payout-runs").then().statusCode(403);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("rates", Map.of("EUR", "1.1")))
                .put("/api/v1/exchange-rates/" + period).then().statusCode(403);
        given().auth().oauth2(admin).get("/api/v1/payout-runs/" + UUID.randomUUID()).then().statusCode(403);
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/payout-runs/" + UUID.randomUUID()).then()
                .statusCode(404);
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("rates", Map.of("EURO", "1.1", "GBP", "-1"))).put("/api/v1/exchange-rates/" + period)
                .then().statusCode(400).body("errors.field", hasItem("rates.EURO"))
                .body("errors.field", hasItem("rates.GBP"));
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("period", "2020-13")).post("/api/v1/payout-runs").then().statusCode(400)
                .body("errors.field", hasItem("period"));
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("period", period, "partnerIds", List.of("1"))).post("/api/v1/payout-runs").then()
                .statusCode(400).body("errors.field", hasItem("partnerIds[0]"));
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("period", "2999-01")).post("/api/v1/payout-runs").then().statusCode(422);

        for (String path : List.of("/payments", "/payments/" + UUID.randomUUID(), "/statements/" + period,
                "/summary")) {
            given().auth().oauth2(stranger).get("/api/v1/organizations/" + org + path).then().statusCode(404)
                    .contentType("application/problem+json");
        }
        given().auth().oauth2(stranger).accept("text/csv").get("/api/v1/organizations/" + org + "/statements/"
                + period).then().statusCode(404);
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/payments").then().statusCode(200);
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/statements/" + period).then()
                .statusCode(200).body("locations[0].partnerId", equalTo(partner));
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/payments?status=LOST").then()
                .statusCode(400).body("errors.field", hasItem("status"));
        given().auth().oauth2(TestTokens.billingSystem()).get("/api/v1/organizations/" + org + "/payments").then()
                .statusCode(403);
    }

    private static Map<String, Object> byType(List<Map<String, Object>> payments, String type) {
        return payments.stream().filter(p -> type.equals(p.get("earningType"))).findFirst().orElseThrow();
    }

    private Map<String, BigDecimal> sums(String query) {
        Map<String, BigDecimal> result = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(query);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                result.put(rs.getString(1).trim(), rs.getBigDecimal(2));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return result;
    }
}
