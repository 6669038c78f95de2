package com.acme.incentives.identity.rest;

import com.acme.incentives.platform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The operators' list of organizations: search by name, partner ID and country, paged and sorted. Who may call it
 * (operators only; every partner role and machine client 403, no token 401) is in {@link RolesMatrixTest}.
 */
@QuarkusTest
class OrganizationListTest {

    /** Three organizations whose names share a word no other test uses, registered in this order. */
    record Fixture(String word, String alpha, String beta, String gamma, String alphaPartnerId,
            String betaPartnerId) {
    }

    static Fixture fixture() {
        String word = "Srch" + UUID.randomUUID().toString().substring(0, 8);
        String alpha = OrganizationResourceTest.register(word + " Alpha");
        String beta = OrganizationResourceTest.register(word + " Beta");
        String gamma = OrganizationResourceTest.register(word + " Gamma");
        String alphaPartnerId = addLocation(alpha, "US");
        addLocation(alpha, "DE");
        addLocation(alpha, "US");
        String betaPartnerId = addLocation(beta, "JP");
        return new Fixture(word, alpha, beta, gamma, alphaPartnerId, betaPartnerId);
    }

    static String addLocation(String orgId, String country) {
        String partnerId = OrganizationResourceTest.newPartnerId();
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("partnerId", partnerId, "name", "Location " + partnerId, "country", country,
                        "partnerType", "DIRECT_BILL"))
                .post("/api/v1/organizations/" + orgId + "/locations").then().statusCode(201);
        return partnerId;
    }

    @Test
    void anOperatorFindsOrganizationsByNameWithTheirLocationsAtAGlance() {
        Fixture f = fixture();
        // case-insensitive, anywhere in the name; the list's own order is by name
        given().auth().oauth2(TestTokens.operator()).queryParam("name", f.word().toLowerCase())
                .get("/api/v1/organizations")
                .then().statusCode(200)
                .body("totalItems", equalTo(3)).body("totalPages", equalTo(1))
                .body("page", equalTo(0)).body("size", equalTo(20))
                .body("items.id", contains(f.alpha(), f.beta(), f.gamma()))
                .body("items[0].name", equalTo(f.word() + " Alpha"))
                .body("items[0].primaryContact.firstName", equalTo("Pat"))
                .body("items[0].primaryContact.email", containsString("@partner.example"))
                .body("items[0].createdAt", notNullValue())
                .body("items[0].locationCount", equalTo(3))
                .body("items[0].countries", contains("DE", "US"))
                .body("items[1].locationCount", equalTo(1))
                .body("items[1].countries", contains("JP"))
                .body("items[2].locationCount", equalTo(0))
                .body("items[2].countries", empty());
        // the unfiltered list holds them too
        given().auth().oauth2(TestTokens.operator()).queryParam("size", 200).queryParam("sort", "createdAt,desc")
                .get("/api/v1/organizations")
                .then().statusCode(200).body("items.id", hasItem(f.gamma()));
    }

    @Test
    void filtersByPartnerIdAndCountryCombineWithTheName() {
        Fixture f = fixture();
        String token = TestTokens.operator();
        given().auth().oauth2(token).queryParam("partnerId", f.alphaPartnerId()).get("/api/v1/organizations")
                .then().statusCode(200).body("totalItems", equalTo(1)).body("items.id", contains(f.alpha()));
        given().auth().oauth2(token).queryParam("partnerId", f.betaPartnerId()).queryParam("name", f.word())
                .get("/api/v1/organizations")
                .then().statusCode(200).body("items.id", contains(f.beta()));
        given().auth().oauth2(token).queryParam("partnerId", f.betaPartnerId()).queryParam("name", "gamma")
                .get("/api/v1/organizations")
                .then().statusCode(200).body("totalItems", equalTo(0)).body("items", empty());
        given().auth().oauth2(token).queryParam("country", "JP").queryParam("name", f.word())
                .get("/api/v1/organizations")
                .then().statusCode(200).body("items.id", contains(f.beta()));
        given().auth().oauth2(token).queryParam("country", "DE").queryParam("name", f.word())
                .get("/api/v1/organizations")
                .then().statusCode(200).body("items.id", contains(f.alpha()));
        given().auth().oauth2(token).queryParam("country", "DE").queryParam("size", 200)
                .get("/api/v1/organizations")
                .then().statusCode(200).body("items.countries", everyItem(hasItem("DE")));
        // a partner ID no organization has
        given().auth().oauth2(token).queryParam("partnerId", OrganizationResourceTest.newPartnerId())
                .get("/api/v1/organizations")
                .then().statusCode(200).body("totalItems", equalTo(0));
        // LIKE's wildcards are searched as themselves: "_" is not "any character"
        given().auth().oauth2(token).queryParam("name", f.word() + "_alpha").get("/api/v1/organizations")
                .then().statusCode(200).body("totalItems", equalTo(0));
        given().auth().oauth2(token).queryParam("name", f.word() + "%").get("/api/v1/organizations")
                .then().statusCode(200).body("totalItems", equalTo(0));
    }

    @Test
    void pagesAreSortedByNameOrRegistrationTime() {
        Fixture f = fixture();
        String token = TestTokens.operator();
        given().auth().oauth2(token).queryParam("name", f.word()).queryParam("size", 2)
                .queryParam("sort", "name,desc").get("/api/v1/organizations")
                .then().statusCode(200)
                .body("totalItems", equalTo(3)).body("totalPages", equalTo(2)).body("size", equalTo(2))
                .body("items.id", contains(f.gamma(), f.beta()));
        given().auth().oauth2(token).queryParam("name", f.word()).queryParam("size", 2).queryParam("page", 1)
                .queryParam("sort", "name,desc").get("/api/v1/organizations")
                .then().statusCode(200).body("page", equalTo(1)).body("items.id", contains(f.alpha()));
        given().auth().oauth2(token).queryParam("name", f.word()).queryParam("sort", "createdAt,desc")
                .get("/api/v1/organizations")
                .then().statusCode(200).body("items.id", contains(f.gamma(), f.beta(), f.alpha()));
        given().auth().oauth2(token).queryParam("name", f.word()).queryParam("sort", "createdAt")
                .get("/api/v1/organizations")
                .then().statusCode(200).body("items.id", contains(f.alpha(), f.beta(), f.gamma()));
    }

    @Test
    void badFilterValuesAreRefusedByName() {
        String token = TestTokens.operator();
        for (Map<String, Object> query : List.<Map<String, Object>>of(Map.of("partnerId", "12ab"),
                Map.of("partnerId", "1234567890123"), Map.of("country", "de"), Map.of("country", "DEU"),
                Map.of("country", "XX"), Map.of("name", "n".repeat(201)),
                Map.of("sort", "email"), Map.of("sort", "name,up"), Map.of("size", 201), Map.of("page", -1))) {
            String field = query.keySet().iterator().next();
            given().auth().oauth2(token).queryParams(query).get("/api/v1/organizations")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("/problems/validation-failed"))
                    .body("errors.field", hasItem(field));
        }
        given().auth().oauth2(token).queryParam("staus", "ACTIVE").get("/api/v1/organizations")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("staus"));
        given().auth().oauth2(token).queryParam("country", "XX").get("/api/v1/organizations")
                .then().statusCode(400).body("errors[0].code", equalTo("unknown-country"));
    }
}
