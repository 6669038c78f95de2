package com.acme.incentives.gateway.support;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.awaitility.Awaitility;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.json.JsonObject;

/** Real tokens from the real Keycloak of deploy/local/keycloak.sh (the test instance's realm); no mocks. */
public final class KeycloakTokens {

    public static final String KEYCLOAK_URL = System.getProperty("keycloak.url", "http://localhost:8180");
    /** The test instance's realm (root pom: system property incentives.instance; docs/conventions.md, "Instances"). */
    public static final String REALM_URL = KEYCLOAK_URL + "/realms/incentives-"
            + System.getProperty("incentives.instance", "test");
    public static final String TOKEN_URL = REALM_URL + "/protocol/openid-connect/token";

    public static final String OPERATOR = "operator";
    public static final String OPERATOR_PASSWORD = "Operator-Demo-1";

    private static final Map<String, Cached> CACHE = new ConcurrentHashMap<>();

    private KeycloakTokens() {
    }

    /** Resource-owner password grant through the test-only public client {@code incentives-cli}. */
    public static String operator() {
        return cached("operator", () -> RestAssured.given().baseUri(KEYCLOAK_URL).basePath("")
                .formParam("grant_type", "password").formParam("client_id", "incentives-cli")
                .formParam("username", OPERATOR).formParam("password", OPERATOR_PASSWORD)
                .formParam("scope", "openid")
                .post(TOKEN_URL));
    }

    public static String partnerFeed() {
        return clientCredentials("partner-feed", "partner-feed-secret");
    }

    public static String billingSystem() {
        return clientCredentials("billing-system", "billing-system-secret");
    }

    private static String clientCredentials(String clientId, String secret) {
        return cached(clientId, () -> RestAssured.given().baseUri(KEYCLOAK_URL).basePath("")
                .formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", secret)
                .post(TOKEN_URL));
    }

    /** The claims of a JWT, unverified (the test only reads what the gateway relayed). */
    public static JsonObject claims(String jwt) {
        String[] parts = jwt.split("\\.");
        return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1])));
    }

    /** The infra scripts may still be starting Keycloak; give it a while rather than fail on the first test. */
    public static void awaitKeycloak(Duration atMost) {
        HttpClient http = HttpClient.newHttpClient();
        // Not answering yet (refused connection, 404 while the realm is made) is the state being waited out.
        Awaitility.await("Keycloak answering at " + REALM_URL + " (start it with deploy/local/keycloak.sh start)")
                .atMost(atMost).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(
                        URI.create(REALM_URL + "/.well-known/openid-configuration")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    private static String cached(String key, java.util.function.Supplier<Response> fetch) {
        Cached hit = CACHE.get(key);
        long now = System.currentTimeMillis();
        if (hit != null && hit.expiresAtMillis - now > 60_000) {
            return hit.token;
        }
        Response response = fetch.get();
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Token request for " + key + " failed: " + response.asString());
        }
        String token = response.jsonPath().getString("access_token");
        long expiresIn = response.jsonPath().getLong("expires_in");
        CACHE.put(key, new Cached(token, now + expiresIn * 1000));
        return token;
    }

    private record Cached(String token, long expiresAtMillis) {
    }
}
