package com.acme.incentives.identity.support;

import com.acme.incentives.platform.testing.TestInstance;
import com.acme.incentives.platform.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;

/** Test data through the service's own API (operator token), each piece unique so tests never share data. */
public final class Directory {

    private Directory() {
    }

    /** A registered organization and its primary contact (the first GLOBAL_ADMIN, created in Keycloak). */
    public record Org(String id, String adminId, String adminEmail, String adminTemporaryPassword) {
    }

    /** A user created through the API, with the temporary password it was given. */
    public record CreatedUser(String id, String email, String temporaryPassword) {
    }

    public static String uniqueEmail(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12) + "@partner.example";
    }

    public static Org registerOrganization(String name) {
        String email = uniqueEmail("contact");
        JsonPath answer = given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "primaryContact", Map.of("email", email, "firstName", "Pat",
                        "lastName", "Partner")))
                .post("/api/v1/organizations").then().statusCode(201).extract().jsonPath();
        return new Org(answer.getString("id"), answer.getString("primaryContactUser.id"), email,
                answer.getString("temporaryPassword"));
    }

    public static String addLocation(String orgId) {
        String partnerId = String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("partnerId", partnerId, "name", "Location " + partnerId, "country", "US",
                        "partnerType", "DIRECT_BILL"))
                .post("/api/v1/organizations/" + orgId + "/locations").then().statusCode(201);
        return partnerId;
    }

    public static Map<String, Object> newUser(String email, List<String> roles, List<String> locations) {
        Map<String, Object> body = new HashMap<>();
        body.put("email", email);
        body.put("firstName", "Robin");
        body.put("lastName", "Reseller");
        body.put("roles", roles);
        body.put("locations", locations);
        return body;
    }

    public static CreatedUser createUser(String token, String orgId, List<String> roles, List<String> locations) {
        String email = uniqueEmail("user");
        JsonPath answer = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(newUser(email, roles, locations))
                .post("/api/v1/organizations/" + orgId + "/users").then().statusCode(201).extract().jsonPath();
        return new CreatedUser(answer.getString("user.id"), email, answer.getString("temporaryPassword"));
    }

    public static CreatedUser createUser(String orgId, String... roles) {
        return createUser(TestTokens.operator(), orgId, List.of(roles), List.of());
    }

    /** Keycloak's own view of users with this email, read with the service account (not through the service). */
    public static List<Map<String, Object>> keycloakUsersByEmail(String email) {
        return RestAssured.given().baseUri(TestTokens.KEYCLOAK_URL).basePath("")
                .auth().oauth2(TestTokens.userAdministration())
                .queryParam("email", email).queryParam("exact", true)
                .get("/admin/realms/" + TestInstance.realm() + "/users").then().statusCode(200).extract().jsonPath()
                .getList("$");
    }
}
