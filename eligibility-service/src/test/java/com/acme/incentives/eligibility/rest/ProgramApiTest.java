package com.acme.incentives.eligibility.rest;

import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.acme.incentives.eligibility.rest.Fixtures.changed;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/** Programmes as data: the seeded rule, and an operator's change taking effect for every location. */
@QuarkusTest
class ProgramApiTest {

    @Inject
    Clock clock;

    @Test
    void theSeedsAreThePublishedRule() {
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/programs?size=200").then().statusCode(200)
                .body("items.id", hasItems("csp-direct-bill", "csp-indirect-provider", "csp-indirect-reseller"));
        String user = TestUsers.create(UUID.randomUUID(), "INCENTIVE_USER").token();
        given().auth().oauth2(user).get("/api/v1/programs/csp-direct-bill").then().statusCode(200)
                .body("partnerType", equalTo("DIRECT_BILL")).body("countries.size()", equalTo(0))
                .body("criteria.criterion", contains("MPN_AGREEMENT", "RESELLER_AGREEMENT", "COMPETENCY"))
                .body("criteria[2].levels", contains("SILVER", "GOLD"));
        given().auth().oauth2(user).get("/api/v1/programs/csp-indirect-provider").then().statusCode(200)
                .body("criteria.criterion", contains("MPN_AGREEMENT", "CLOUD_DISTRIBUTOR_AGREEMENT", "COMPETENCY"));
        given().auth().oauth2(user).get("/api/v1/programs/csp-indirect-reseller").then().statusCode(200)
                .body("partnerType", equalTo("INDIRECT_RESELLER"))
                .body("criteria.criterion", contains("MPN_AGREEMENT", "COMPETENCY", "FIRST_TRANSACTION"));
        // a global admin reads programmes (GET /me: incentives:read); an account admin does not
        String globalAdmin = TestUsers.create(UUID.randomUUID(), "GLOBAL_ADMIN").token();
        given().auth().oauth2(globalAdmin).get("/api/v1/programs").then().statusCode(200);
        given().auth().oauth2(globalAdmin).get("/api/v1/programs/csp-direct-bill").then().statusCode(200);
        given().auth().oauth2(TestUsers.create(UUID.randomUUID(), "ACCOUNT_ADMIN").token())
                .get("/api/v1/programs/csp-direct-bill").then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(user).get("/api/v1/programs/no-such-programme").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.partnerFeed()).get("/api/v1/programs").then().statusCode(403);
        given().get("/api/v1/programs/csp-direct-bill").then().statusCode(401);
    }

    @Test
    void onlyOperatorsChangeProgrammes() {
        Map<String, Object> body = Map.of("name", "Nope", "partnerType", "DIRECT_BILL",
                "criteria", List.of(Map.of("kind", "FIRST_TRANSACTION")));
        for (String token : List.of(TestUsers.create(UUID.randomUUID(), "INCENTIVE_ADMIN").token(),
                TestUsers.create(UUID.randomUUID(), "GLOBAL_ADMIN").token(), TestTokens.partnerFeed())) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(body).put("/api/v1/programs/csp-direct-bill")
                    .then().statusCode(403).contentType("application/problem+json");
        }
        given().contentType(ContentType.JSON).body(body).put("/api/v1/programs/csp-direct-bill")
                .then().statusCode(401);
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/programs/csp-direct-bill").then()
                .body("criteria.size()", equalTo(3));
    }

    @Test
    void aChangedProgrammeTakesEffectForEveryLocationAndARetiredOneEndsEligibility() {
        // A programme of its own, limited to a country no other test uses, so it concerns only this test's locations.
        String programId = "test-" + UUID.randomUUID().toString().substring(0, 8);
        String country = "TV";
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        UUID organizationId = UUID.randomUUID();
        String qualified = Fixtures.partnerId();
        String bare = Fixtures.partnerId();
        Fixtures.addLocation(organizationId, qualified, "INDIRECT_PROVIDER", country);
        Fixtures.addLocation(organizationId, bare, "INDIRECT_PROVIDER", country);
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON)
                .body(Fixtures.agreement("MPN", "ACTIVE", today.minusYears(1), null))
                .put("/api/v1/locations/" + qualified + "/agreements/MPN-1").then().statusCode(200);

        try (TestEvents events = TestEvents.listen(Fixtures.EVENTS)) {
            given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                    .body(Map.of("name", "Test programme", "partnerType", "INDIRECT_PROVIDER",
                            "countries", List.of(country),
                            "criteria", List.of(Map.of("kind", "AGREEMENT", "agreementType", "MPN"))))
                    .put("/api/v1/programs/" + programId)
                    .then().statusCode(201).body("revision", equalTo(1))
                    .header("Location", endsWith("/api/v1/programs/" + programId))
                    .body("criteria.criterion", contains("MPN_AGREEMENT"));
            // the Location of a 201 answers GET
            given().auth().oauth2(TestTokens.operator()).get("/api/v1/programs/" + programId)
                    .then().statusCode(200).body("revision", equalTo(1));
            JsonNode first = events.await(changed(qualified, programId), 1).get(0);
            assertThat(first.path("data").path("eligible").asBoolean()).isTrue();
            // the programme's display name travels with its outcomes, for what other services show people
            assertThat(first.path("data").path("programName").asText()).isEqualTo("Test programme");
            assertThat(events.await(changed(bare, programId), 1).get(0).path("data").path("eligible").asBoolean())
                    .isFalse();

            given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                    .body(Map.of("name", "Test programme", "partnerType", "INDIRECT_PROVIDER",
                            "countries", List.of(country),
                            "criteria", List.of(Map.of("kind", "AGREEMENT", "agreementType", "MPN"),
                                    Map.of("kind", "COMPETENCY", "levels", List.of("GOLD")))))
                    .put("/api/v1/programs/" + programId)
                    .then().statusCode(200).body("revision", equalTo(2));
            List<JsonNode> qualifiedEvents = Fixtures.sorted(events.await(changed(qualified, programId), 2));
            JsonNode lost = qualifiedEvents.get(1).path("data");
            assertThat(lost.path("eligible").asBoolean()).isFalse();
            assertThat(lost.path("sequence").asLong()).isEqualTo(2);
            assertThat(lost.path("criteria").get(1).path("reason").asText()).isEqualTo("No GOLD competency on record");
            // The bare location's outcome (criteria met or not) changed too: a new criterion, still unmet.
            assertThat(events.await(changed(bare, programId), 2)).hasSize(2);

            given().auth().oauth2(TestTokens.operator()).get("/api/v1/locations/" + qualified + "/eligibility")
                    .then().statusCode(200)
                    .body("programs.find { it.programId == '" + programId + "' }.criteria.met", contains(true, false))
                    .body("programs.find { it.programId == 'csp-indirect-provider' }.eligible", equalTo(false));

            given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                    .body(Map.of("name", "Test programme", "partnerType", "INDIRECT_PROVIDER",
                            "countries", List.of(country), "active", false,
                            "criteria", List.of(Map.of("kind", "AGREEMENT", "agreementType", "MPN"))))
                    .put("/api/v1/programs/" + programId)
                    .then().statusCode(200).body("active", equalTo(false));
            JsonNode retired = Fixtures.sorted(events.await(changed(qualified, programId), 3, Duration.ofSeconds(30),
                    Duration.ofSeconds(1))).get(2).path("data");
            assertThat(retired.path("eligible").asBoolean()).isFalse();
            assertThat(retired.path("criteria").get(0).path("criterion").asText()).isEqualTo("PROGRAM_OFFERED");
            assertThat(retired.path("criteria").get(0).path("reasonCode").asText()).isEqualTo("PROGRAM_NOT_OFFERED");
            assertThat(retired.path("criteria").get(0).path("reason").asText())
                    .isEqualTo("Programme " + programId + " is not offered to this location");
            assertThat(retired.path("programName").asText()).isEqualTo("Test programme"); // retired, still named
        }
        // The history names the programme in the reader's language.
        given().auth().oauth2(TestTokens.operator()).header("Accept-Language", "ko")
                .get("/api/v1/locations/" + qualified + "/eligibility/history?size=1&programId=" + programId)
                .then().statusCode(200).header("Content-Language", "ko")
                .body("items[0].criteria.reasonCode", contains("PROGRAM_NOT_OFFERED"))
                .body("items[0].criteria[0].reason", equalTo("프로그램 " + programId + "은(는) 이 로케이션에 제공되지 않습니다"));
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/locations/" + qualified + "/eligibility")
                .then().statusCode(200).body("programs.programId", contains("csp-indirect-provider"));
    }
}
