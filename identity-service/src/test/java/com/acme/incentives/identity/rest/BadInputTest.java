package com.acme.incentives.identity.rest;

import com.acme.incentives.platform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** Every kind of bad request gets the one problem+json shape with the right status, and never a stack trace. */
@QuarkusTest
class BadInputTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void malformedJson() {
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON).body("{\"name\": \"x\",")
                .post("/api/v1/organizations")
                .then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("/problems/malformed-request"))
                .body("status", equalTo(400))
                .body("correlationId", notNullValue())
                .body(not(containsString("Exception")));
    }

    @Test
    void wrongTypes() {
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"primaryContact\": \"not an object\"}")
                .post("/api/v1/organizations")
                .then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("/problems/validation-failed"))
                .body("errors[0].field", equalTo("primaryContact"));
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body("[1, 2, 3]")
                .post("/api/v1/organizations")
                .then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void missingAndInvalidFieldsAreEachListed() {
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("primaryContact", Map.of("email", "not-an-email", "firstName", "A")))
                .post("/api/v1/organizations")
                .then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("/problems/validation-failed"))
                .body("errors.field", hasItem("name"))
                .body("errors.field", hasItem("primaryContact.email"))
                .body("errors.field", hasItem("primaryContact.lastName"));
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .post("/api/v1/organizations")
                .then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void unknownFieldsAreRefusedByName() {
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "status", "APPROVED", "primaryContact",
                        Map.of("email", "a@b.example", "firstName", "A", "lastName", "B")))
                .post("/api/v1/organizations")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("status"));
    }

    @Test
    void unknownRoutesAndMethods() {
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/nothing-here")
                .then().statusCode(404).contentType(PROBLEM).body("type", equalTo("/problems/not-found"));
        given().get("/definitely/not/a/route")
                .then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2(TestTokens.operator()).delete("/api/v1/organizations")
                .then().statusCode(405).contentType(PROBLEM);
    }

    @Test
    void wrongMediaType() {
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.TEXT).body("name=x")
                .post("/api/v1/organizations")
                .then().statusCode(415).contentType(PROBLEM)
                .body("type", equalTo("/problems/unsupported-media-type"));
    }

    @Test
    void oversizedBody() {
        String huge = "{\"name\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON).body(huge)
                .post("/api/v1/organizations")
                .then().statusCode(413).contentType(PROBLEM)
                .body("type", equalTo("/problems/payload-too-large"));
    }

    @Test
    void oversizedStringField() {
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", "x".repeat(5000), "primaryContact",
                        Map.of("email", "a@b.example", "firstName", "A", "lastName", "B")))
                .post("/api/v1/organizations")
                .then().statusCode(400).body("errors[0].field", equalTo("name"));
    }
}
