package com.acme.incentives.eligibility.rest;

import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.acme.incentives.platform.testing.TestSql.count;
import static com.acme.incentives.eligibility.rest.Fixtures.agreementRow;
import static com.acme.incentives.eligibility.rest.Fixtures.changed;
import static com.acme.incentives.eligibility.rest.Fixtures.competencyRow;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** The batch feed: idempotent, all or nothing, and large. */
@QuarkusTest
class FeedBatchTest {

    static final String BATCHES = "/api/v1/feeds/batches";

    @Inject
    Clock clock;

    @Inject
    AgroalDataSource dataSource;

    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    Map<String, Object> fullDirectBill(String partnerId) {
        LocalDate today = today();
        return Map.of(
                "agreements", List.of(agreementRow(partnerId, "MPN-1", "MPN", today.minusYears(1), null),
                        agreementRow(partnerId, "RES-1", "RESELLER", today.minusYears(1), today.plusYears(1))),
                "competencies", List.of(competencyRow(partnerId, "C-1", "SILVER", today.minusMonths(1), null)));
    }

    @Test
    void theSameBatchTwiceChangesNothingAndPublishesNothing() throws Exception {
        String partnerId = Fixtures.partnerId();
        Fixtures.addLocation(UUID.randomUUID(), partnerId, "DIRECT_BILL", "US");
        Map<String, Object> batch = fullDirectBill(partnerId);
        try (TestEvents events = TestEvents.listen(Fixtures.EVENTS)) {
            given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON).body(batch).post(BATCHES)
                    .then().statusCode(200).body("received", equalTo(3)).body("rowsChanged", equalTo(3))
                    .body("locationsChanged", equalTo(1)).body("eligibilityChanges", equalTo(1));
            // Listening started after LocationAdded's first checklist (sequence 1) was published.
            JsonNode event = events.await(changed(partnerId), 1).get(0);
            assertThat(event.path("data").path("sequence").asLong()).isEqualTo(2);
            assertThat(event.path("data").path("eligible").asBoolean()).isTrue();
        }
        long published = Fixtures.outboxEvents(dataSource, partnerId);
        assertThat(published).isEqualTo(2); // LocationAdded's first checklist, then eligible

        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON).body(batch).post(BATCHES)
                .then().statusCode(200).body("rowsChanged", equalTo(0)).body("locationsChanged", equalTo(0))
                .body("eligibilityChanges", equalTo(0));
        assertThat(Fixtures.outboxEvents(dataSource, partnerId)).isEqualTo(published);
        assertThat(count(dataSource, "SELECT count(*) FROM eligibility_history WHERE partner_id = ?",
                partnerId)).isEqualTo(2);
    }

    @Test
    void anIdempotencyKeyReplaysTheFirstAnswerAndRefusesAnotherBody() {
        String partnerId = Fixtures.partnerId();
        Fixtures.addLocation(UUID.randomUUID(), partnerId, "DIRECT_BILL", "US");
        String key = "batch-" + UUID.randomUUID();
        given().auth().oauth2(TestTokens.partnerFeed()).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(fullDirectBill(partnerId)).post(BATCHES)
                .then().statusCode(200).body("rowsChanged", equalTo(3));
        given().auth().oauth2(TestTokens.partnerFeed()).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(fullDirectBill(partnerId)).post(BATCHES)
                .then().statusCode(200).header("Idempotent-Replayed", "true").body("rowsChanged", equalTo(3));
        given().auth().oauth2(TestTokens.partnerFeed()).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(fullDirectBill(Fixtures.partnerId())).post(BATCHES)
                .then().statusCode(422).contentType("application/problem+json");
    }

    @Test
    void aBatchWithOneBadRowIsRefusedWholeAndNamesTheRow() throws Exception {
        String partnerId = Fixtures.partnerId();
        Fixtures.addLocation(UUID.randomUUID(), partnerId, "DIRECT_BILL", "US");
        LocalDate today = today();
        List<Map<String, Object>> agreements = new ArrayList<>();
        agreements.add(agreementRow(partnerId, "MPN-1", "MPN", today.minusYears(1), null));
        agreements.add(agreementRow(partnerId, "RES-1", "RESELLER", today, today.minusDays(1))); // ends before start
        Map<String, Object> batch = Map.of("agreements", agreements,
                "competencies", List.of(competencyRow(partnerId, "C-1", "GOLD", today, null)));
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON).body(batch).post(BATCHES)
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("/problems/validation-failed"))
                .body("errors.size()", equalTo(1))
                .body("errors[0].field", equalTo("agreements[1].validTo"))
                .body("errors[0].message", containsString("before validFrom"));
        assertThat(count(dataSource, "SELECT count(*) FROM agreement WHERE partner_id = ?", partnerId))
                .isZero();
        assertThat(count(dataSource, "SELECT count(*) FROM competency WHERE partner_id = ?", partnerId))
                .isZero();

        agreements.set(1, agreementRow(partnerId, "RES-1", "RESELER", today, null)); // unknown type
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON).body(batch).post(BATCHES)
                .then().statusCode(400).body("errors[0].field", equalTo("agreements[1].type"))
                .body("errors[0].message", containsString("MPN, CLOUD_DISTRIBUTOR, RESELLER"));

        agreements.set(1, agreementRow("12-34", "RES-1", "RESELLER", today, null)); // not a partner ID
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON).body(batch).post(BATCHES)
                .then().statusCode(400).body("errors[0].field", equalTo("agreements[1].partnerId"));

        agreements.set(1, agreementRow(partnerId, "MPN-1", "MPN", today, null)); // the same fact twice
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON).body(batch).post(BATCHES)
                .then().statusCode(400).body("errors[0].field", equalTo("agreements[1].agreementId"))
                .body("errors[0].message", equalTo("repeats the row at agreements[0]"));
        assertThat(count(dataSource, "SELECT count(*) FROM agreement WHERE partner_id = ?", partnerId))
                .isZero();
        assertThat(Fixtures.outboxEvents(dataSource, partnerId)).isEqualTo(1); // only LocationAdded's checklist

        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON).body(Map.of()).post(BATCHES)
                .then().statusCode(400).body("errors[0].field", equalTo("body"));
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON)
                .body(Map.of("agreements", List.of(), "contracts", List.of())).post(BATCHES)
                .then().statusCode(400).body("errors[0].field", equalTo("contracts"));
    }

    @Test
    void thousandsOfRowsInOneBatchAndTheRowLimit() throws Exception {
        LocalDate today = today();
        List<Map<String, Object>> competencies = new ArrayList<>();
        List<String> partners = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String partnerId = Fixtures.partnerId();
            partners.add(partnerId);
            Fixtures.addLocation(UUID.randomUUID(), partnerId, "INDIRECT_RESELLER", "GB");
        }
        List<Map<String, Object>> agreements = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            // Mostly partner IDs not known yet (kept for later), plus the ten known locations.
            String partnerId = i < 10 ? partners.get(i) : Fixtures.partnerId();
            agreements.add(agreementRow(partnerId, "MPN-" + i, "MPN", today.minusYears(1), today.plusYears(1)));
            competencies.add(competencyRow(partnerId, "C-" + i, i % 2 == 0 ? "GOLD" : "SILVER", today, null));
        }
        Map<String, Object> tooMany = Map.of("agreements", agreements, "competencies", competencies);
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON).body(tooMany).post(BATCHES)
                .then().statusCode(400).body("errors[0].field", equalTo("body"))
                .body("detail", containsString("at most 5000"));

        Map<String, Object> batch = Map.of("agreements", agreements, "competencies", competencies.subList(0, 1000));
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON).body(batch).post(BATCHES)
                .then().statusCode(200).body("received", equalTo(5000)).body("rowsChanged", equalTo(5000))
                .body("eligibilityChanges", equalTo(10))
                .body("pendingPartnerIds", hasItem(agreements.get(4999 - 1000).get("partnerId")));
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/locations/" + partners.get(3) + "/eligibility")
                .then().statusCode(200).body("programs[0].criteria.met", org.hamcrest.Matchers.contains(true, true,
                        false));
    }
}
