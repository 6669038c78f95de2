package com.acme.incentives.payout;

import com.acme.incentives.payout.domain.LocationEnrollment;
import com.acme.incentives.payout.domain.PartnerLocation;
import com.acme.incentives.payout.domain.PayoutAssignment;
import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Builds real payout situations through the real topics and the real API; every id is unique per call. */
public final class PayoutFixture {

    public static final String PROGRAM = "csp-direct-bill";
    public static final String DE_IBAN = "DE89370400440532013000";
    public static final String DE_BIC = "COBADEFFXXX";
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final AtomicLong SEQUENCE = new AtomicLong(System.currentTimeMillis());

    private PayoutFixture() {
    }

    public static String lastMonth() {
        return YearMonth.now(ZoneOffset.UTC).minusMonths(1).toString();
    }

    public static LocalDate dayOf(String period, int day) {
        return YearMonth.parse(period).atDay(day);
    }

    public static String newPartnerId() {
        return String.valueOf(ThreadLocalRandom.current().nextLong(100_000_000_000L, 999_999_999_999L));
    }

    /** identity-service's LocationAdded on identity.events, then waits until payout has applied it. */
    public static String addLocation(UUID orgId, String country) {
        String partnerId = newPartnerId();
        Map<String, Object> data = Map.of("organizationId", orgId.toString(), "partnerId", partnerId, "name",
                "Location " + partnerId, "country", country, "partnerType", "DIRECT_BILL", "addedAt",
                Instant.now().toString());
        produce("identity.events", orgId.toString(), "LocationAdded", orgId.toString(), data);
        await().atMost(Duration.ofSeconds(60)).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> PartnerLocation.findById(partnerId) != null));
        return partnerId;
    }

    public static void enroll(UUID orgId, String partnerId, String status) {
        enroll(orgId, partnerId, status, null);
    }

    /** enrollment-service's EnrollmentChanged, with the earnings start date it carries once ENROLLED. */
    public static void enroll(UUID orgId, String partnerId, String status, LocalDate earningsStartDate) {
        long sequence = SEQUENCE.incrementAndGet();
        Map<String, Object> data = new HashMap<>(Map.of("enrollmentId", UUID.randomUUID().toString(),
                "organizationId", orgId.toString(), "partnerId", partnerId, "programId", PROGRAM, "status", status,
                "previousStatus", "VALIDATING", "sequence", sequence, "changedAt", Instant.now().toString(),
                "changedBy", "test"));
        data.put("earningsStartDate", earningsStartDate == null ? null : earningsStartDate.toString());
        produce("enrollment.events", partnerId, "EnrollmentChanged", partnerId, data);
        await().atMost(Duration.ofSeconds(60)).until(() -> QuarkusTransaction.requiringNew().call(() -> {
            LocationEnrollment e = LocationEnrollment.findById(new PayoutAssignment.Key(partnerId, PROGRAM));
            return e != null && e.sequence == sequence;
        }));
    }

    public static void produce(String topic, String key, String type, String aggregateId, Object data) {
        try {
            Map<String, Object> envelope = Map.of("eventId", UUID.randomUUID().toString(), "type", type,
                    "aggregateId", aggregateId, "occurredAt", Instant.now().toString(), "version", 1, "data", data);
            TestEvents.produce(topic, key, JSON.writeValueAsString(envelope), Map.of());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, Object> taxProfileBody(String partnerId) {
        return Map.of("partnerId", partnerId, "country", "DE", "taxForm", "W8BENE", "taxId", "DE123456789",
                "expiresOn", LocalDate.now().plusYears(1).toString());
    }

    public static String createTaxProfile(String token, UUID orgId, String partnerId) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(taxProfileBody(partnerId))
                .post("/api/v1/organizations/" + orgId + "/tax-profiles").then().statusCode(201).extract().path("id");
    }

    public static Map<String, Object> bankBody(String name, String country, String currency, String iban,
            String bic) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("bankCountry", country);
        body.put("currency", currency);
        body.put("method", "BANK_TRANSFER");
        body.put("iban", iban);
        body.put("bic", bic);
        body.put("beneficiary", "Partner GmbH");
        return body;
    }

    /** A Japanese (Zengin) account: Mizuho's bank code 0005, branch 001, ordinary, 7-digit number, kana holder. */
    public static Map<String, Object> jpBankBody(String name, String currency) {
        Map<String, Object> body = bankBody(name, "JP", currency, null, null);
        body.put("bankCode", "0005");
        body.put("branchCode", "001");
        body.put("accountType", "ORDINARY");
        body.put("accountNumber", "1234567");
        body.put("accountHolderKana", "ｶ)ｱｸﾒ");
        body.put("beneficiary", "Acme Japan K.K.");
        return body;
    }

    /** A Korean account: KB Kookmin's bank code 004, the number as printed, with hyphens. */
    public static Map<String, Object> krBankBody(String name, String currency) {
        Map<String, Object> body = bankBody(name, "KR", currency, null, null);
        body.put("bankCode", "004");
        body.put("accountNumber", "123-456-789012");
        body.put("beneficiary", "Acme Korea Co., Ltd.");
        return body;
    }

    /** Creates a bank profile and waits for its validation to finish; returns its id. */
    public static String createBankProfile(String token, UUID orgId, Map<String, Object> body, String expected) {
        String id = given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/v1/organizations/" + orgId + "/payment-profiles").then().statusCode(201).extract()
                .path("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> expected.equals(bankStatus(token, orgId, id)));
        return id;
    }

    public static String bankStatus(String token, UUID orgId, String id) {
        List<Map<String, Object>> items = given().auth().oauth2(token)
                .get("/api/v1/organizations/" + orgId + "/payment-profiles?size=200").then().statusCode(200)
                .extract().path("items");
        return items.stream().filter(i -> id.equals(i.get("id"))).map(i -> (String) i.get("status")).findFirst()
                .orElse(null);
    }

    public static void assign(String token, String partnerId, String bankProfileId, boolean hold) {
        Map<String, Object> body = new HashMap<>();
        body.put("bankProfileId", bankProfileId);
        body.put("holdPayment", hold);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .put("/api/v1/locations/" + partnerId + "/programs/" + PROGRAM + "/payout-assignment")
                .then().statusCode(200);
    }

    public static Map<String, Object> earning(String partnerId, String type, String amount, String currency,
            LocalDate date) {
        Map<String, Object> line = new HashMap<>();
        line.put("earningId", "E-" + UUID.randomUUID());
        line.put("partnerId", partnerId);
        line.put("programId", PROGRAM);
        line.put("type", type);
        line.put("lever", "CSP-NCE");
        line.put("transactionId", "T-" + UUID.randomUUID());
        line.put("transactionDate", date.toString());
        line.put("transactionAmount", "1000.00");
        line.put("transactionCurrency", currency);
        line.put("rate", "0.05");
        line.put("earningAmount", amount);
        line.put("earningCurrency", currency);
        line.put("customer", "Fabrikam");
        line.put("product", "M365 E3");
        if (type.equals("ADJUSTMENT")) {
            line.put("reasonCode", "OPS_ADJUSTMENT");
        }
        return line;
    }

    public static Response pushEarnings(List<Map<String, Object>> lines) {
        return given().auth().oauth2(TestTokens.billingSystem()).contentType(ContentType.JSON)
                .body(Map.of("lines", lines)).post("/api/v1/earnings/batch");
    }

    public static void setRates(String period) {
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("rates", Map.of("EUR", "1.10", "GBP", "1.25", "JPY", "0.0067", "USD", "1")))
                .put("/api/v1/exchange-rates/" + period).then().statusCode(200);
    }

    /** Starts (or resumes) a run limited to these locations and waits for it to complete; returns the run id. */
    public static String runPayout(String period, List<String> partnerIds) {
        String id = given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("period", period, "partnerIds", partnerIds)).post("/api/v1/payout-runs")
                .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(202),
                        org.hamcrest.Matchers.is(200)))
                .extract().path("id");
        awaitCompleted(id);
        return id;
    }

    public static void awaitCompleted(String runId) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300))
                .until(() -> "COMPLETED".equals(given().auth().oauth2(TestTokens.operator())
                        .get("/api/v1/payout-runs/" + runId).then().statusCode(200).extract().path("status")));
    }

    public static List<Map<String, Object>> payments(String token, UUID orgId, String partnerId) {
        return given().auth().oauth2(token).get("/api/v1/organizations/" + orgId + "/payments?size=200&partnerId="
                + partnerId).then().statusCode(200).extract().path("items");
    }
}
