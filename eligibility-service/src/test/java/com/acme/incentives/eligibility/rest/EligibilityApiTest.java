package com.acme.incentives.eligibility.rest;

import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.acme.incentives.platform.testing.TestUsers.TestUser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.acme.incentives.eligibility.rest.Fixtures.agreement;
import static com.acme.incentives.eligibility.rest.Fixtures.changed;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** A location's way to eligibility through the API, with the events it publishes and who may see it. */
@QuarkusTest
class EligibilityApiTest {

    @Inject
    Clock clock;

    @Inject
    AgroalDataSource dataSource;

    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    @Test
    void anIndirectResellerBecomesEligibleStepByStepAndEveryChangeIsPublishedOnce() throws Exception {
        UUID organizationId = UUID.randomUUID();
        String partnerId = Fixtures.partnerId();
        String feed = TestTokens.partnerFeed();
        LocalDate today = today();
        try (TestEvents events = TestEvents.listen(Fixtures.EVENTS)) {
            Fixtures.addLocation(organizationId, partnerId, "INDIRECT_RESELLER", "DE");
            given().auth().oauth2(feed).contentType(ContentType.JSON)
                    .body(agreement("MPN", "ACTIVE", today.minusYears(1), today.plusYears(1)))
                    .put("/api/v1/locations/" + partnerId + "/agreements/MPN-1")
                    .then().statusCode(200).body("changed", equalTo(true)).body("locationKnown", equalTo(true));
            given().auth().oauth2(feed).contentType(ContentType.JSON)
                    .body(Map.of("name", "Cloud Platform", "level", "GOLD", "validFrom", today.minusDays(10).toString()))
                    .put("/api/v1/locations/" + partnerId + "/competencies/C-1")
                    .then().statusCode(200).body("status", equalTo("ACTIVE"));
            given().auth().oauth2(feed).contentType(ContentType.JSON)
                    .body(Map.of("date", today.minusDays(3).toString()))
                    .put("/api/v1/locations/" + partnerId + "/first-transaction")
                    .then().statusCode(200).body("changed", equalTo(true));
            // The same agreement again: not a change, no re-evaluation, no event.
            given().auth().oauth2(feed).contentType(ContentType.JSON)
                    .body(agreement("MPN", "ACTIVE", today.minusYears(1), today.plusYears(1)))
                    .put("/api/v1/locations/" + partnerId + "/agreements/MPN-1")
                    .then().statusCode(200).body("changed", equalTo(false));

            // LocationAdded (nothing met), MPN met, competency met, first transaction met: eligible.
            List<JsonNode> published = Fixtures.sorted(events.await(changed(partnerId), 4));
            assertThat(published).hasSize(4);
            assertThat(published).extracting(e -> e.path("data").path("sequence").asLong()).containsExactly(1L, 2L,
                    3L, 4L);
            assertThat(published).extracting(e -> e.path("data").path("eligible").asBoolean())
                    .containsExactly(false, false, false, true);
            JsonNode last = published.get(3);
            assertThat(last.path("aggregateId").asText()).isEqualTo(partnerId);
            assertThat(last.path("data").path("organizationId").asText()).isEqualTo(organizationId.toString());
            assertThat(last.path("data").path("programId").asText()).isEqualTo("csp-indirect-reseller");
            assertThat(last.path("data").path("criteria")).hasSize(3);
            assertThat(last.path("data").path("criteria").get(0).path("since").asText())
                    .isEqualTo(today.minusYears(1).toString());
        }
        assertThat(Fixtures.outboxEvents(dataSource, partnerId)).isEqualTo(4);

        TestUser member = TestUsers.create(organizationId, "INCENTIVE_USER");
        given().auth().oauth2(member.token()).get("/api/v1/locations/" + partnerId + "/eligibility")
                .then().statusCode(200)
                .body("partnerType", equalTo("INDIRECT_RESELLER"))
                .body("programs.programId", contains("csp-indirect-reseller"))
                .body("programs[0].eligible", equalTo(true))
                .body("programs[0].sequence", equalTo(4))
                .body("programs[0].criteria.criterion", contains("MPN_AGREEMENT", "COMPETENCY", "FIRST_TRANSACTION"))
                .body("programs[0].criteria.met", contains(true, true, true))
                .body("programs[0].criteria[1].since", equalTo(today.minusDays(10).toString()))
                .body("programs[0].criteria[2].reason", equalTo("First transaction recorded on " + today.minusDays(3)));
        given().auth().oauth2(member.token()).get("/api/v1/locations/" + partnerId + "/eligibility/history?size=3")
                .then().statusCode(200)
                .body("totalItems", equalTo(4)).body("totalPages", equalTo(2))
                .body("items.sequence", contains(4, 3, 2))
                .body("items[0].eligible", equalTo(true))
                .body("items[0].cause", equalTo("FIRST_TRANSACTION_FED"));
        given().auth().oauth2(TestTokens.operator())
                .get("/api/v1/locations/" + partnerId + "/eligibility/history?programId=csp-indirect-reseller&page=1&size=3")
                .then().statusCode(200).body("items.sequence", contains(1))
                .body("items[0].cause", equalTo("LOCATION_ADDED"))
                .body("items[0].criteria.met", contains(false, false, false));
    }

    @Test
    void readersAreTheLocationsOrganizationAndOperatorsOnly() {
        UUID organizationId = UUID.randomUUID();
        String partnerId = Fixtures.partnerId();
        String otherPartnerId = Fixtures.partnerId();
        Fixtures.addLocation(organizationId, partnerId, "DIRECT_BILL", "FR");
        String eligibility = "/api/v1/locations/" + partnerId + "/eligibility";
        String history = eligibility + "/history";

        // the incentive roles, and a global admin (GET /me: it may read its organization's incentives)
        for (String role : List.of("INCENTIVE_ADMIN", "INCENTIVE_USER", "GLOBAL_ADMIN")) {
            String token = TestUsers.create(organizationId, role).token();
            given().auth().oauth2(token).get(eligibility).then().statusCode(200)
                    .body("programs[0].programId", equalTo("csp-direct-bill"))
                    .body("programs[0].eligible", equalTo(false))
                    .body("programs[0].criteria.reason", contains("No MPN agreement on record",
                            "No RESELLER agreement on record", "No SILVER or GOLD competency on record"));
            given().auth().oauth2(token).get(history).then().statusCode(200).body("totalItems", equalTo(1));
        }
        given().auth().oauth2(TestTokens.operator()).get(eligibility).then().statusCode(200);

        // Another organization's incentive admin: as if the location did not exist.
        String stranger = TestUsers.create(UUID.randomUUID(), "INCENTIVE_ADMIN").token();
        given().auth().oauth2(stranger).get(eligibility).then().statusCode(404)
                .contentType("application/problem+json").body("detail", startsWith("Location " + partnerId));
        given().auth().oauth2(stranger).get(history).then().statusCode(404);
        // A user of the organization limited to another location does not see this one.
        String limited = TestUsers.create(organizationId, List.of("INCENTIVE_USER"), List.of(otherPartnerId)).token();
        given().auth().oauth2(limited).get(eligibility).then().statusCode(404);
        // Another organization's global admin: 404 as well.
        given().auth().oauth2(TestUsers.create(UUID.randomUUID(), "GLOBAL_ADMIN").token()).get(history)
                .then().statusCode(404).contentType("application/problem+json");
        // Admin roles without incentive rights (account and user admins), and partner feeds (write only): 403.
        for (String role : List.of("ACCOUNT_ADMIN", "USER_ADMIN")) {
            String token = TestUsers.create(organizationId, role).token();
            given().auth().oauth2(token).get(eligibility).then().statusCode(403)
                    .contentType("application/problem+json");
            given().auth().oauth2(token).get("/api/v1/locations/" + partnerId).then().statusCode(403);
        }
        given().auth().oauth2(TestTokens.partnerFeed()).get(eligibility).then().statusCode(403);
        given().auth().oauth2(TestTokens.partnerFeed()).get(history).then().statusCode(403);
        given().get(eligibility).then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/locations/" + Fixtures.partnerId() + "/eligibility")
                .then().statusCode(404);
        given().auth().oauth2(TestTokens.operator()).get(history + "?size=500").then().statusCode(400)
                .body("errors[0].field", equalTo("size"));
    }

    @Test
    void onlyPartnerFeedsWriteFacts() {
        UUID organizationId = UUID.randomUUID();
        String partnerId = Fixtures.partnerId();
        Fixtures.addLocation(organizationId, partnerId, "DIRECT_BILL", "FR");
        Map<String, Object> body = agreement("MPN", "ACTIVE", today(), null);
        String path = "/api/v1/locations/" + partnerId + "/agreements/A-1";
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON).body(body).put(path)
                .then().statusCode(403);
        given().auth().oauth2(TestUsers.create(organizationId, "INCENTIVE_ADMIN").token())
                .contentType(ContentType.JSON).body(body).put(path).then().statusCode(403);
        given().contentType(ContentType.JSON).body(body).put(path).then().statusCode(401);
        given().auth().oauth2(TestTokens.billingSystem()).contentType(ContentType.JSON).body(body).put(path)
                .then().statusCode(200);
        given().auth().oauth2(TestUsers.create(organizationId, "INCENTIVE_ADMIN").token())
                .contentType(ContentType.JSON).body(Map.of("agreements", List.of()))
                .post("/api/v1/feeds/batches").then().statusCode(403);
    }

    @Test
    void factsForAnUnknownLocationAreKeptAndAppliedWhenItIsAdded() throws Exception {
        UUID organizationId = UUID.randomUUID();
        String partnerId = Fixtures.partnerId();
        LocalDate today = today();
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON)
                .body(agreement("MPN", "ACTIVE", today.minusMonths(1), null))
                .put("/api/v1/locations/" + partnerId + "/agreements/MPN-9")
                .then().statusCode(200).body("locationKnown", equalTo(false)).body("changed", equalTo(true));
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON)
                .body(Map.of("agreements", List.of(Fixtures.agreementRow(partnerId, "CD-1", "CLOUD_DISTRIBUTOR",
                        today.minusMonths(1), null))))
                .post("/api/v1/feeds/batches")
                .then().statusCode(200).body("pendingPartnerIds", contains(partnerId))
                .body("eligibilityChanges", equalTo(0));
        assertThat(Fixtures.outboxEvents(dataSource, partnerId)).isZero();

        try (TestEvents events = TestEvents.listen(Fixtures.EVENTS)) {
            Fixtures.addLocation(organizationId, partnerId, "INDIRECT_PROVIDER", "NL");
            JsonNode first = events.await(changed(partnerId), 1).get(0);
            assertThat(first.path("data").path("eligible").asBoolean()).isFalse();
            assertThat(first.path("data").path("criteria")).extracting(c -> c.path("met").asBoolean())
                    .containsExactly(true, true, false);
        }
    }

    /**
     * The same checklist for an English (no Accept-Language), a Japanese and a Korean reader: the codes and values are
     * identical, only the reason's text follows the language, and the answer says which. The event keeps English.
     */
    @Test
    void theChecklistExplainsEachCriterionByCodeAndInTheReadersLanguage() throws Exception {
        UUID organizationId = UUID.randomUUID();
        String partnerId = Fixtures.partnerId();
        LocalDate today = today();
        LocalDate until = today.plusYears(1);
        LocalDate expired = today.minusDays(1);
        String feed = TestTokens.partnerFeed();
        JsonNode published;
        try (TestEvents events = TestEvents.listen(Fixtures.EVENTS)) {
            Fixtures.addLocation(organizationId, partnerId, "INDIRECT_RESELLER", "JP");
            given().auth().oauth2(feed).contentType(ContentType.JSON)
                    .body(agreement("MPN", "ACTIVE", today.minusYears(1), until))
                    .put("/api/v1/locations/" + partnerId + "/agreements/MPN-7").then().statusCode(200);
            published = Fixtures.sorted(events.await(changed(partnerId), 2)).get(1);
        }
        given().auth().oauth2(feed).contentType(ContentType.JSON)
                .body(Map.of("name", "Cloud Platform", "level", "SILVER", "validFrom",
                        today.minusYears(1).toString(), "validTo", expired.toString()))
                .put("/api/v1/locations/" + partnerId + "/competencies/C-7").then().statusCode(200);

        // Published: the code and values beside the English reason, whatever language readers use.
        JsonNode mpn = published.path("data").path("criteria").get(0);
        assertThat(mpn.path("reasonCode").asText()).isEqualTo("ACTIVE_UNTIL");
        assertThat(mpn.path("factId").asText()).isEqualTo("MPN-7");
        assertThat(mpn.path("date").asText()).isEqualTo(until.toString());
        assertThat(mpn.path("agreementType").asText()).isEqualTo("MPN");
        assertThat(mpn.path("kind").asText()).isEqualTo("AGREEMENT");
        assertThat(mpn.path("reason").asText()).isEqualTo("MPN agreement MPN-7 is active until " + until);
        assertThat(published.path("data").path("criteria").get(2).path("reasonCode").asText())
                .isEqualTo("NO_FIRST_TRANSACTION");

        String token = TestUsers.create(organizationId, "INCENTIVE_USER").token();
        String path = "/api/v1/locations/" + partnerId + "/eligibility";
        JsonNode english = checklist(token, path, null, "en", List.of(
                "MPN agreement MPN-7 is active until " + until,
                "SILVER or GOLD competency C-7 expired on " + expired,
                "No first transaction recorded"));
        JsonNode japanese = checklist(token, path, "ja", "ja", List.of(
                "MPN 契約 MPN-7 は " + until + " まで有効です",
                "SILVER または GOLD コンピテンシー C-7 は " + expired + " に期限切れになりました",
                "初回取引の記録がありません"));
        JsonNode korean = checklist(token, path, "ko-KR,ja;q=0.5", "ko", List.of(
                "MPN 계약 MPN-7은(는) " + until + "까지 유효합니다",
                "SILVER 또는 GOLD 역량 C-7은(는) " + expired + "에 만료되었습니다",
                "첫 거래 기록이 없습니다"));
        assertThat(english.path(0).path("reasonCode").asText()).isEqualTo("ACTIVE_UNTIL");
        assertThat(english.path(1).path("reasonCode").asText()).isEqualTo("EXPIRED");
        assertThat(english.path(1).path("kind").asText()).isEqualTo("COMPETENCY");
        assertThat(english.path(1).path("factId").asText()).isEqualTo("C-7");
        assertThat(english.path(1).path("date").asText()).isEqualTo(expired.toString());
        assertThat(english.path(1).path("levels")).extracting(JsonNode::asText).containsExactly("SILVER", "GOLD");
        assertThat(english.path(1).path("since").asText()).isEqualTo(today.toString());
        assertThat(english.path(2).path("reasonCode").asText()).isEqualTo("NO_FIRST_TRANSACTION");
        assertThat(withoutReasons(japanese)).isEqualTo(withoutReasons(english));
        assertThat(withoutReasons(korean)).isEqualTo(withoutReasons(english));

        // The history's reasons too.
        given().auth().oauth2(token).header("Accept-Language", "ja-JP").get(path + "/history?size=1")
                .then().statusCode(200).header("Content-Language", "ja")
                .body("items[0].criteria.reasonCode", contains("ACTIVE_UNTIL", "NONE_ON_RECORD",
                        "NO_FIRST_TRANSACTION"))
                .body("items[0].criteria[1].reason", equalTo("SILVER または GOLD コンピテンシーの記録がありません"));

        // A checklist stored before reason codes existed has only its English reason: shown as it is.
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE eligibility SET criteria = ? WHERE partner_id = ?")) {
            update.setString(1, "[{\"criterion\":\"MPN_AGREEMENT\",\"met\":true,"
                    + "\"reason\":\"MPN agreement MPN-7 is active\",\"since\":\"" + today.minusYears(1) + "\"}]");
            update.setString(2, partnerId);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        given().auth().oauth2(token).header("Accept-Language", "ja").get(path).then().statusCode(200)
                .body("programs[0].criteria.reason", contains("MPN agreement MPN-7 is active"))
                .body("programs[0].criteria[0]", not(hasKey("reasonCode")));
    }

    /** The first programme's criteria as read in a language, with the reasons and Content-Language expected. */
    private static JsonNode checklist(String token, String path, String acceptLanguage, String contentLanguage,
            List<String> reasons) throws Exception {
        var request = given().auth().oauth2(token);
        if (acceptLanguage != null) {
            request.header("Accept-Language", acceptLanguage);
        }
        String body = request.get(path).then().statusCode(200)
                .header("Content-Language", contentLanguage)
                .header("Vary", containsString("Accept-Language"))
                .body("programs[0].criteria.reason", contains(reasons.toArray()))
                .extract().asString();
        return new ObjectMapper().readTree(body).path("programs").path(0).path("criteria");
    }

    private static JsonNode withoutReasons(JsonNode criteria) {
        JsonNode copy = criteria.deepCopy();
        copy.forEach(criterion -> ((ObjectNode) criterion).remove("reason"));
        return copy;
    }
}
