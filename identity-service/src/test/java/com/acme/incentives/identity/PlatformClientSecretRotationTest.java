package com.acme.incentives.identity;

import com.acme.incentives.platform.testing.TestInstance;
import com.acme.incentives.platform.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The realm's client policy "platform-clients" (deploy/keycloak/incentives-realm.json) is what lets an operator rotate
 * the secret of one of the platform's own clients (the gateway's, a service's, the billing system's) without downtime
 * (deploy/k8s/README.md, "Rotating a client secret"): a client carrying {@code incentives.platform-client=true} keeps
 * its previous secret valid after a regeneration, one without it does not. Shown on throwaway clients in the test
 * instance's realm, made from the same realm file; that every confidential client of the file carries the attribute
 * is checked offline (deploy's RealmImportTest).
 */
class PlatformClientSecretRotationTest {

    private static final String ADMIN_URL = TestTokens.KEYCLOAK_URL + "/admin/realms/" + TestInstance.realm();

    @Test
    void aPlatformClientsPreviousSecretStillSignsInAfterARegeneration() {
        String id = createClient(true);
        try {
            String previous = secret(id);
            String current = regenerate(id);
            assertThat(current).isNotEqualTo(previous);

            assertThat(clientToken(id, current).statusCode()).isEqualTo(200);
            assertThat(clientToken(id, previous).statusCode())
                    .as("the previous secret is the rotated one, valid for a day").isEqualTo(200);
            assertThat(admin().get(ADMIN_URL + "/clients/" + id + "/client-secret/rotated").then().statusCode(200)
                    .extract().path("value").toString()).isEqualTo(previous);
            assertThat(clientToken(id, "not-" + current).statusCode()).isEqualTo(401);

            // Once every system uses the new secret, the operator may end the overlap early.
            admin().delete(ADMIN_URL + "/clients/" + id + "/client-secret/rotated").then().statusCode(204);
            assertThat(clientToken(id, previous).statusCode()).isEqualTo(401);
            assertThat(clientToken(id, current).statusCode()).isEqualTo(200);
        } finally {
            admin().delete(ADMIN_URL + "/clients/" + id).then().statusCode(204);
        }
    }

    @Test
    void withoutTheAttributeARegenerationEndsThePreviousSecretAtOnce() {
        String id = createClient(false);
        try {
            String previous = secret(id);
            String current = regenerate(id);
            assertThat(clientToken(id, current).statusCode()).isEqualTo(200);
            assertThat(clientToken(id, previous).statusCode()).isEqualTo(401);
        } finally {
            admin().delete(ADMIN_URL + "/clients/" + id).then().statusCode(204);
        }
    }

    /** A confidential client with a service account, as partner-feed or billing-system; returns its internal id. */
    private static String createClient(boolean platformClient) {
        String clientId = "rotation-probe-" + UUID.randomUUID();
        Map<String, String> attributes = new HashMap<>();
        if (platformClient) {
            attributes.put("incentives.platform-client", "true");
        }
        Response created = admin().contentType(ContentType.JSON)
                .body(Map.of("clientId", clientId, "enabled", true, "protocol", "openid-connect",
                        "publicClient", false, "serviceAccountsEnabled", true, "standardFlowEnabled", false,
                        "directAccessGrantsEnabled", false, "attributes", attributes))
                .post(ADMIN_URL + "/clients");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        String location = created.header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static String secret(String id) {
        return admin().get(ADMIN_URL + "/clients/" + id + "/client-secret").then().statusCode(200)
                .extract().path("value");
    }

    private static String regenerate(String id) {
        return admin().post(ADMIN_URL + "/clients/" + id + "/client-secret").then().statusCode(200)
                .extract().path("value");
    }

    private static Response clientToken(String id, String secret) {
        String clientId = admin().get(ADMIN_URL + "/clients/" + id).then().statusCode(200).extract().path("clientId");
        return RestAssured.given().baseUri(TestTokens.KEYCLOAK_URL).basePath("")
                .formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", secret)
                .post(TestTokens.TOKEN_URL);
    }

    /** identity-service's own service account: it manages clients in the realm (the API clients of organizations). */
    private static RequestSpecification admin() {
        return RestAssured.given().baseUri(TestTokens.KEYCLOAK_URL).basePath("")
                .auth().oauth2(TestTokens.userAdministration());
    }
}
