package com.acme.incentives.platform.testing;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Creates real users in the real Keycloak for a test: a member of an organization with the given roles and incentive
 * locations, signed in with a permanent password. Each user is unique, so tests never depend on each other's data.
 */
public final class TestUsers {

    private static final String ADMIN_URL = TestTokens.KEYCLOAK_URL + "/admin/realms/" + TestInstance.realm();

    private TestUsers() {
    }

    public record TestUser(String id, String username, String password, UUID organizationId, List<String> roles) {
        public String token() {
            return TestTokens.password(username, password);
        }
    }

    public static TestUser create(UUID organizationId, List<String> roles, List<String> locations) {
        String username = "t-" + UUID.randomUUID().toString().substring(0, 13);
        String password = "Pw-" + UUID.randomUUID();
        Map<String, Object> attributes = new java.util.HashMap<>();
        if (organizationId != null) {
            attributes.put("org_id", List.of(organizationId.toString()));
        }
        if (!locations.isEmpty()) {
            attributes.put("locations", locations);
        }
        Map<String, Object> user = Map.of(
                "username", username, "email", username + "@test.example", "firstName", "Test",
                "lastName", username, "enabled", true, "emailVerified", true, "attributes", attributes,
                "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false)));
        Response created = admin().body(user).post(ADMIN_URL + "/users");
        if (created.statusCode() != 201) {
            throw new IllegalStateException("Could not create test user: " + created.asString());
        }
        String location = created.header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        if (!roles.isEmpty()) {
            List<Map<String, Object>> representations = roles.stream()
                    .map(role -> admin().get(ADMIN_URL + "/roles/" + role).then().statusCode(200).extract()
                            .<Map<String, Object>>as(Map.class))
                    .toList();
            admin().body(representations).post(ADMIN_URL + "/users/" + id + "/role-mappings/realm").then()
                    .statusCode(204);
        }
        return new TestUser(id, username, password, organizationId, roles);
    }

    public static TestUser create(UUID organizationId, String... roles) {
        return create(organizationId, List.of(roles), List.of());
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return RestAssured.given().baseUri(TestTokens.KEYCLOAK_URL).basePath("")
                .auth().oauth2(TestTokens.userAdministration()).contentType(ContentType.JSON);
    }
}
