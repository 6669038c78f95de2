package com.acme.incentives.identity.rest;

import com.acme.incentives.identity.support.Directory;
import com.acme.incentives.identity.support.Directory.Org;
import com.acme.incentives.identity.support.KeycloakLogin;
import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * An organization's API clients against the real Keycloak: created by its global admin with chosen scopes, the
 * secret shown once; its client-credentials token carries the organization and only those scopes' roles, so every
 * operation treats it like a member holding those capabilities (another organization 404, a wider need 403); a
 * rotated secret and the previous one both work; a revoked client gets no token.
 */
@QuarkusTest
class ApiClientTest {

    @Test
    void aGlobalAdminGivesAPartnerSystemItsOwnCredentialsRotatesAndRevokesThem() {
        Org org = Directory.registerOrganization("Api clients " + UUID.randomUUID());
        Org other = Directory.registerOrganization("Api clients other " + UUID.randomUUID());
        String admin = globalAdminToken(org);
        try (TestEvents events = TestEvents.listen("identity.events")) {
            Response created = given().auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(Map.of("name", "Fabrikam ERP", "scopes", List.of("organization:read")))
                    .post("/api/v1/organizations/" + org.id() + "/api-clients");
            created.then().statusCode(201)
                    .body("client.name", equalTo("Fabrikam ERP"))
                    .body("client.scopes", equalTo(List.of("organization:read")))
                    .body("client.status", equalTo("ACTIVE"))
                    .body("client.organizationId", equalTo(org.id()))
                    .body("client.createdBy", equalTo(org.adminId()));
            String id = created.path("client.id");
            String clientId = created.path("client.clientId");
            String secret = created.path("clientSecret");
            assertThat(clientId).isEqualTo("api-" + id);
            assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
            assertThat(created.header("Location")).endsWith("/api-clients/" + id);

            // The token of a partner system: its organization, our audience, only the chosen scope's role.
            String token = clientToken(clientId, secret).then().statusCode(200).extract().path("access_token");
            Map<String, Object> claims = KeycloakLogin.claims(token);
            assertThat(claims.get("org_id")).isEqualTo(org.id());
            assertThat(claims.get("aud").toString()).contains("incentives-api");
            @SuppressWarnings("unchecked")
            List<String> roles = (List<String>) ((Map<String, Object>) claims.get("realm_access")).get("roles");
            assertThat(roles).contains("API_ORGANIZATION_READ")
                    .doesNotContain("API_INCENTIVES_READ", "GLOBAL_ADMIN", "INCENTIVE_USER", "PROGRAM_OPERATOR");
            given().auth().oauth2(token).get("/api/v1/me").then().statusCode(200)
                    .body("organizationId", equalTo(org.id()))
                    .body("roles", equalTo(List.of("API_ORGANIZATION_READ")))
                    .body("actions", equalTo(List.of("organization:read")));

            // Like a member with organization:read: its own organization, never another's, nothing more.
            given().auth().oauth2(token).get("/api/v1/organizations/" + org.id()).then().statusCode(200)
                    .body("id", equalTo(org.id()));
            given().auth().oauth2(token).get("/api/v1/organizations/" + other.id()).then().statusCode(404)
                    .contentType("application/problem+json");
            given().auth().oauth2(token).get("/api/v1/organizations/" + org.id() + "/users").then().statusCode(403)
                    .contentType("application/problem+json");
            given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body(Map.of("name", "Itself", "scopes", List.of("incentives:read")))
                    .post("/api/v1/organizations/" + org.id() + "/api-clients").then().statusCode(403);

            // Listed with its last use; the secret never again.
            given().auth().oauth2(admin).get("/api/v1/organizations/" + org.id() + "/api-clients").then()
                    .statusCode(200)
                    .body("items.id", hasItem(id))
                    .body("items[0].lastUsedAt", notNullValue())
                    .body("items[0].clientSecret", nullValue());
            given().auth().oauth2(admin).get("/api/v1/organizations/" + org.id() + "/api-clients/" + id).then()
                    .statusCode(200).body("clientId", equalTo(clientId)).body("previousSecretValidUntil", nullValue());

            // Rotation: the new secret and, for a day, the old one both sign in.
            Response rotated = given().auth().oauth2(admin)
                    .post("/api/v1/organizations/" + org.id() + "/api-clients/" + id + "/secret-rotations");
            rotated.then().statusCode(200).body("client.secretRotatedAt", notNullValue());
            String newSecret = rotated.path("clientSecret");
            assertThat(newSecret).isNotEqualTo(secret).hasSizeGreaterThanOrEqualTo(32);
            Instant validUntil = Instant.parse(rotated.path("client.previousSecretValidUntil"));
            assertThat(validUntil).isBetween(Instant.now().plus(Duration.ofHours(23)),
                    Instant.now().plus(Duration.ofHours(25)));
            clientToken(clientId, newSecret).then().statusCode(200);
            clientToken(clientId, secret).then().statusCode(200);
            clientToken(clientId, "not-" + secret).then().statusCode(401);

            // Revoked: no secret works any more; the record stays; rotating it is a conflict; revoking again is fine.
            given().auth().oauth2(admin).delete("/api/v1/organizations/" + org.id() + "/api-clients/" + id).then()
                    .statusCode(204);
            clientToken(clientId, newSecret).then().statusCode(401);
            clientToken(clientId, secret).then().statusCode(401);
            given().auth().oauth2(admin).get("/api/v1/organizations/" + org.id() + "/api-clients/" + id).then()
                    .statusCode(200).body("status", equalTo("REVOKED")).body("revokedBy", equalTo(org.adminId()))
                    .body("lastUsedAt", nullValue());
            given().auth().oauth2(admin)
                    .post("/api/v1/organizations/" + org.id() + "/api-clients/" + id + "/secret-rotations")
                    .then().statusCode(409).contentType("application/problem+json")
                    .body("clientStatus", equalTo("REVOKED"));
            given().auth().oauth2(admin).delete("/api/v1/organizations/" + org.id() + "/api-clients/" + id).then()
                    .statusCode(204);

            // The organization's audit log hears of each step, and no secret travels on the topic.
            List<JsonNode> audited = events.await(node -> "AuditRecorded".equals(node.path("type").asText())
                    && id.equals(node.path("data").path("targetId").asText()), 3);
            assertThat(audited).extracting(node -> node.path("data").path("action").asText())
                    .containsExactly("API_CLIENT_CREATED", "API_CLIENT_SECRET_ROTATED", "API_CLIENT_REVOKED");
            assertThat(events.records()).noneMatch(r -> r.value().contains(secret) || r.value().contains(newSecret));
        }
    }

    @Test
    void scopesAreCheckedAndOnlyGlobalAdminsAndOperatorsOfTheOrganizationManageClients() {
        Org org = Directory.registerOrganization("Api client rules " + UUID.randomUUID());
        Org other = Directory.registerOrganization("Api client rules other " + UUID.randomUUID());
        String admin = globalAdminToken(org);
        String path = "/api/v1/organizations/" + org.id() + "/api-clients";

        given().auth().oauth2(admin).contentType(ContentType.JSON).header("Accept-Language", "ja")
                .body(Map.of("name", "ERP", "scopes", List.of("users:manage", "incentives:read", "incentives:read")))
                .post(path).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("scopes[0]", "scopes[2]")))
                .body("errors[0].code", equalTo("not-an-api-client-scope"))
                .body("errors[0].message", containsString("スコープ"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "ERP", "scopes", List.of()))
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("scopes"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", " ", "scopes", List.of("incentives:read")))
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("name"));

        // Another organization's global admin learns nothing; an incentive admin may not.
        given().auth().oauth2(globalAdminToken(other)).get(path).then().statusCode(404);
        String incentiveAdmin = TestUsers
                .create(UUID.fromString(org.id()), "INCENTIVE_ADMIN").token();
        given().auth().oauth2(incentiveAdmin).get(path).then().statusCode(403);
        given().auth().oauth2(admin).get(path + "/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");

        // An operator creates one for the organization; a replay of the same request does not show the secret again.
        String key = UUID.randomUUID().toString();
        Response first = given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body(Map.of("name", "Operator-made", "scopes", List.of("incentives:read", "organization:read")))
                .post(path);
        first.then().statusCode(201).body("client.scopes", equalTo(List.of("incentives:read", "organization:read")))
                .body("clientSecret", notNullValue());
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("name", "Operator-made", "scopes", List.of("incentives:read", "organization:read")))
                .post(path).then().statusCode(201).body("client.id", equalTo(first.path("client.id")))
                .body("clientSecret", nullValue());
        given().auth().oauth2(admin).get(path).then().statusCode(200).body("totalItems", equalTo(1));
    }

    private static String globalAdminToken(Org org) {
        String password = "Own-" + UUID.randomUUID();
        KeycloakLogin.changeTemporaryPassword(org.adminEmail(), org.adminTemporaryPassword(), password);
        return KeycloakLogin.passwordGrant(org.adminEmail(), password).then().statusCode(200).extract()
                .path("access_token");
    }

    private static Response clientToken(String clientId, String secret) {
        return RestAssured.given().baseUri(TestTokens.KEYCLOAK_URL).basePath("")
                .formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", secret).post(TestTokens.TOKEN_URL);
    }
}
