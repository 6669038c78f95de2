package com.acme.incentives.identity.rest;

import com.acme.incentives.identity.support.Directory;
import com.acme.incentives.platform.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

/**
 * The platform's request handling, through a real service: every invalid field of a body in one answer, strict JSON
 * (repeated keys, trailing content, a body without Content-Type), paging limits, unknown query parameters, sorting,
 * the body limit and bearer tokens that are not the realm's JWTs. Each refusal is a 4xx problem+json.
 */
@QuarkusTest
class RequestRobustnessTest {

    private static final String PROBLEM = "application/problem+json";

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyInvalidFieldOfABodyIsNamedInOneAnswer() {
        // A wrong-typed field, a missing required one, an unknown enum name, an object where text is expected, and a
        // field that does not exist: five problems, one answer.
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body("{\"partnerId\": [1], \"country\": {\"code\": \"DE\"}, \"partnerType\": \"FRANCHISE\","
                        + " \"colour\": \"red\"}")
                .post("/api/v1/organizations/" + UUID.randomUUID() + "/locations")
                .then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("/problems/validation-failed"))
                .body("errors.field", containsInAnyOrder("colour", "country", "name", "partnerId", "partnerType"))
                .body("errors.find { it.field == 'partnerType' }.message",
                        equalTo("must be one of DIRECT_BILL, INDIRECT_PROVIDER, INDIRECT_RESELLER"))
                .body("errors.find { it.field == 'partnerId' }.message", equalTo("must be a string"))
                .body("errors.find { it.field == 'colour' }.message", equalTo("is not a field of this request"))
                .body("errors.find { it.field == 'name' }.message", containsString("must not be blank"))
                .body("detail", containsString("5 fields are invalid"));
    }

    @Test
    void nestedTypeProblemsAreNamedByTheirPathBesideValidationOfTheRest() {
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body("{\"name\": 42.5, \"primaryContact\": {\"email\": \"not-an-email\", \"firstName\": [\"A\"],"
                        + " \"lastName\": \"B\", \"phone\": \"1\"}}")
                .post("/api/v1/organizations")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", containsInAnyOrder("primaryContact.email", "primaryContact.firstName",
                        "primaryContact.phone"));
    }

    @Test
    void aRepeatedKeyIsRefused() {
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body("{\"name\": \"Contoso\", \"name\": \"Fabrikam\", \"primaryContact\": {\"email\":"
                        + " \"a@b.example\", \"firstName\": \"A\", \"lastName\": \"B\"}}")
                .post("/api/v1/organizations")
                .then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("/problems/malformed-request"))
                .body("detail", containsString("'name' appears more than once"))
                .body("errors[0].field", equalTo("name"));
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body("{\"name\": \"Contoso\", \"primaryContact\": {\"email\": \"a@b.example\", \"email\":"
                        + " \"c@d.example\", \"firstName\": \"A\", \"lastName\": \"B\"}}")
                .post("/api/v1/organizations")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("primaryContact.email"));
    }

    @Test
    void contentAfterTheJsonValueIsRefused() {
        String organization = "{\"name\": \"Contoso\", \"primaryContact\": {\"email\": \"a@b.example\","
                + " \"firstName\": \"A\", \"lastName\": \"B\"}}";
        for (String trailing : List.of(" {\"name\": \"Fabrikam\"}", " []", " 1", " garbage")) {
            given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                    .body(organization + trailing)
                    .post("/api/v1/organizations")
                    .then().statusCode(400).contentType(PROBLEM)
                    .body("type", equalTo("/problems/malformed-request"));
        }
    }

    @Test
    void aBodyWithoutContentTypeIsRefused() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                base.resolve("/api/v1/organizations"))
                .header("Authorization", "Bearer " + TestTokens.operator())
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Contoso\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(415);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue(PROBLEM);
        assertThat(answer.body()).contains("/problems/unsupported-media-type").contains("no Content-Type");
    }

    @Test
    void aPageBeyondReachIsA400NotAFailure() {
        Directory.Org org = Directory.registerOrganization("Paging");
        String locations = "/api/v1/organizations/" + org.id() + "/locations";
        given().auth().oauth2(TestTokens.operator()).queryParam("page", Integer.MAX_VALUE).queryParam("size", 100)
                .get(locations)
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("page"))
                .body("errors[0].message", equalTo("must be between 0 and 10000000"));
        given().auth().oauth2(TestTokens.operator()).queryParam("page", "99999999999999999999999")
                .get(locations)
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("page"))
                .body("errors[0].message", containsString("must be a whole number"));
        given().auth().oauth2(TestTokens.operator()).queryParam("size", "ten")
                .get(locations)
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("size"));
        // The last page still in reach answers normally (and empty).
        given().auth().oauth2(TestTokens.operator()).queryParam("page", 10_000_000).queryParam("size", 200)
                .get(locations)
                .then().statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void anUnknownQueryParameterIsRefusedByName() {
        Directory.Org org = Directory.registerOrganization("Parameters");
        given().auth().oauth2(TestTokens.operator()).queryParam("staus", "ACTIVE").queryParam("colour", "red")
                .get("/api/v1/organizations/" + org.id() + "/users")
                .then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("/problems/validation-failed"))
                .body("errors.field", containsInAnyOrder("staus", "colour"))
                .body("detail", containsString("this operation takes status, page, size, sort"));
        // An operation without parameters takes none.
        given().auth().oauth2(TestTokens.operator()).queryParam("debug", "true")
                .get("/api/v1/organizations/" + org.id())
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("debug"));
        // The declared ones pass.
        given().auth().oauth2(TestTokens.operator()).queryParam("status", "ACTIVE").queryParam("page", 0)
                .get("/api/v1/organizations/" + org.id() + "/users")
                .then().statusCode(200);
    }

    @Test
    void anUnknownParameterOfACallerWithoutAccessIsStillA401() {
        given().queryParam("colour", "red").get("/api/v1/organizations/" + UUID.randomUUID() + "/users")
                .then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    void listsSortByTheirDeclaredFields() {
        Directory.Org org = Directory.registerOrganization("Sorting");
        String path = "/api/v1/organizations/" + org.id() + "/locations";
        for (String name : List.of("Bravo", "Alpha", "Charlie")) {
            given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                    .body("{\"partnerId\": \"" + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L)
                            + "\", \"name\": \"" + name + "\", \"country\": \"DE\", \"partnerType\": \"DIRECT_BILL\"}")
                    .post(path).then().statusCode(201);
        }
        given().auth().oauth2(TestTokens.operator()).queryParam("sort", "name,desc").get(path)
                .then().statusCode(200).body("items.name", contains("Charlie", "Bravo", "Alpha"));
        given().auth().oauth2(TestTokens.operator()).queryParam("sort", "name").get(path)
                .then().statusCode(200).body("items.name", contains("Alpha", "Bravo", "Charlie"));
        given().auth().oauth2(TestTokens.operator()).queryParam("sort", "name,asc").queryParam("size", 2)
                .queryParam("page", 1).get(path)
                .then().statusCode(200).body("items.name", contains("Charlie"));

        Response unknownField = given().auth().oauth2(TestTokens.operator()).queryParam("sort", "secret,asc")
                .get(path);
        unknownField.then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("sort"))
                .body("errors[0].message", containsString("can sort by partnerId, name, country, partnerType,"
                        + " createdAt"));
        given().auth().oauth2(TestTokens.operator()).queryParam("sort", "name,sideways").get(path)
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("sort"));
        given().auth().oauth2(TestTokens.operator()).queryParam("sort", "name; drop table location").get(path)
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("sort"));
    }

    @Test
    void theContractListsEachListsSortFields() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/organizations/{orgId}/locations'.get.parameters.find { it.name == 'sort' }"
                        + ".schema.'x-sort-fields'", hasItems("partnerId", "name", "createdAt"));
    }

    @Test
    void aChunkedBodyOverTheLimitIsA413() throws Exception {
        byte[] body = ("{\"name\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        // No Content-Length: the body arrives in chunks, so only the HTTP layer's own limit can stop it.
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                base.resolve("/api/v1/organizations"))
                .header("Authorization", "Bearer " + TestTokens.operator())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        // Refused before the body reaches the JSON reader. The HTTP layer answers a chunked body over the limit
        // itself, with an empty body (not yet problem+json: a body with Content-Length is, see BadInputTest).
        assertThat(answer.statusCode()).isEqualTo(413);
    }

    @Test
    void aBearerTokenThatIsNotTheRealmsJwtIsRefusedLocally() throws Exception {
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"RS256\",\"kid\":\"nope\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(
                        "{\"sub\":\"x\",\"realm_access\":{\"roles\":[\"PROGRAM_OPERATOR\"]}}"
                                .getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
        for (String token : List.of("opaque-" + UUID.randomUUID(), forged)) {
            given().auth().oauth2(token).get("/api/v1/organizations/" + UUID.randomUUID())
                    .then().statusCode(401).contentType(PROBLEM)
                    .header("WWW-Authenticate", containsString("Bearer"));
        }
        // Refused by the service itself: no introspection request to Keycloak, so no introspection error logged.
        Path log = Path.of("target/quarkus-test.log");
        if (Files.exists(log)) {
            assertThat(Files.readString(log)).doesNotContainIgnoringCase("introspection");
        }
    }
}
