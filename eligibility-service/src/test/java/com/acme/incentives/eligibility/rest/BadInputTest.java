package com.acme.incentives.eligibility.rest;

import com.acme.incentives.platform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** Every bad input is a 400 problem+json naming the field, and nothing is written. */
@QuarkusTest
class BadInputTest {

    static final String PROBLEM = "application/problem+json";

    @Test
    void badAgreements() {
        String path = "/api/v1/locations/" + Fixtures.partnerId() + "/agreements/A-1";
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON)
                .body(Map.of("type", "PARTNERSHIP", "status", "ACTIVE", "validFrom", "2026-01-01")).put(path)
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("type"))
                .body(not(containsString("Exception")));
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON)
                .body(Map.of("type", "MPN", "status", "ACTIVE", "validFrom", "2026-02-01", "validTo", "2026-01-31"))
                .put(path)
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("validTo"));
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON)
                .body(Map.of("type", "MPN", "status", "EXPIRED", "validFrom", "2026-01-01")).put(path)
                .then().statusCode(400).body("errors[0].field", equalTo("status"));
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON)
                .body(Map.of("type", "MPN", "status", "ACTIVE", "validFrom", "01/02/2026")).put(path)
                .then().statusCode(400).body("errors[0].field", equalTo("validFrom"));
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON)
                .body(Map.of("type", "MPN")).put(path)
                .then().statusCode(400).body("errors.field", hasItem("status")).body("errors.field", hasItem("validFrom"));
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON)
                .body(Map.of("type", "MPN", "status", "ACTIVE", "validFrom", "2026-01-01"))
                .put("/api/v1/locations/12ab/agreements/A-1")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("partnerId"));
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON)
                .body(Map.of("type", "MPN", "status", "ACTIVE", "validFrom", "2026-01-01"))
                .put("/api/v1/locations/" + Fixtures.partnerId() + "/agreements/A%20B")
                .then().statusCode(400).body("errors[0].field", equalTo("agreementId"));
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON).body("{\"type\":")
                .put(path).then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("/problems/malformed-request"));
    }

    @Test
    void badCompetenciesAndFirstTransactions() {
        String partnerId = Fixtures.partnerId();
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON)
                .body(Map.of("name", "Data", "level", "PLATINUM", "validFrom", "2026-01-01"))
                .put("/api/v1/locations/" + partnerId + "/competencies/C-1")
                .then().statusCode(400).body("errors[0].field", equalTo("level"));
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON)
                .body(Map.of("name", " ", "level", "GOLD", "validFrom", "2026-01-01"))
                .put("/api/v1/locations/" + partnerId + "/competencies/C-1")
                .then().statusCode(400).body("errors[0].field", equalTo("name"));
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON)
                .body(Map.of("date", "yesterday"))
                .put("/api/v1/locations/" + partnerId + "/first-transaction")
                .then().statusCode(400).body("errors[0].field", equalTo("date"));
        given().auth().oauth2(TestTokens.partnerFeed()).contentType(ContentType.JSON)
                .body(Map.of("firstTransactions", List.of(Map.of("partnerId", "x1", "date", "2026-01-01"))))
                .post("/api/v1/feeds/batches")
                .then().statusCode(400).body("errors[0].field", equalTo("firstTransactions[0].partnerId"));
    }

    @Test
    void badProgrammes() {
        Map<String, Object> criteria = Map.of("kind", "AGREEMENT", "agreementType", "MPN");
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", "X", "partnerType", "DISTRIBUTOR", "criteria", List.of(criteria)))
                .put("/api/v1/programs/test-bad")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("partnerType"))
                .body("errors[0].message", containsString("DIRECT_BILL"));
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", "X", "partnerType", "DIRECT_BILL", "countries", List.of("DE", "XX", "de"),
                        "criteria", List.of(criteria)))
                .put("/api/v1/programs/test-bad")
                .then().statusCode(400).body("errors.field", equalTo(List.of("countries[1]", "countries[2]")));
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", "X", "partnerType", "DIRECT_BILL", "criteria",
                        List.of(Map.of("kind", "AGREEMENT"), Map.of("kind", "COMPETENCY"))))
                .put("/api/v1/programs/test-bad")
                .then().statusCode(400)
                .body("errors.field", equalTo(List.of("criteria[0].agreementType", "criteria[1].levels")));
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", "X", "partnerType", "DIRECT_BILL", "criteria", List.of()))
                .put("/api/v1/programs/test-bad")
                .then().statusCode(400).body("errors[0].field", equalTo("criteria"));
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", "X", "partnerType", "DIRECT_BILL", "criteria", List.of(criteria)))
                .put("/api/v1/programs/Not_A_Slug")
                .then().statusCode(400).body("errors[0].field", equalTo("id"));
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/programs/test-bad").then().statusCode(404)
                .contentType(PROBLEM);
    }
}
