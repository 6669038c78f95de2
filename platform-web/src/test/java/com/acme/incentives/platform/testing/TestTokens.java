package com.acme.incentives.platform.testing;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.awaitility.Awaitility;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Real tokens from the real Keycloak started by deploy/local/keycloak.sh (no mocks, no test OIDC server). */
public final class TestTokens {

    public static final String KEYCLOAK_URL = System.getProperty("keycloak.url", "http://localhost:8180");
    public static final String REALM_URL = KEYCLOAK_URL + "/realms/" + TestInstance.realm();
    public static final String TOKEN_URL = REALM_URL + "/protocol/openid-connect/token";

    public static final String OPERATOR = "operator";
    public static final String OPERATOR_PASSWORD = "Operator-Demo-1";

    private static final Map<String, Cached> CACHE = new ConcurrentHashMap<>();

    private TestTokens() {
    }

    /** Resource-owner password grant through the test-only public client {@code incentives-cli}. */
    public static String password(String username, String password) {
        return cached("user:" + username + ":" + password, () -> {
            Response response = RestAssured.given().baseUri(KEYCLOAK_URL).basePath("")
                    .formParam("grant_type", "password").formParam("client_id", "incentives-cli")
                    .formParam("username", username).formParam("password", password)
                    .formParam("scope", "openid")
                    .post(TOKEN_URL);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Password grant for " + username + " failed: " + response.asString());
            }
            return response;
        });
    }

    public static String clientCredentials(String clientId, String secret) {
        return cached("client:" + clientId, () -> {
            Response response = RestAssured.given().baseUri(KEYCLOAK_URL).basePath("")
                    .formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                    .formParam("client_secret", secret)
                    .post(TOKEN_URL);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Client credentials for " + clientId + " failed: "
                        + response.asString());
            }
            return response;
        });
    }

    public static String operator() {
        return password(OPERATOR, OPERATOR_PASSWORD);
    }

    /**
     * A fresh operator token that lives one second (the realm's test-only {@code expiring-token-probe} client), never
     * cached: for tests of what happens when a token expires.
     */
    public static String shortLived() {
        Response response = RestAssured.given().baseUri(KEYCLOAK_URL).basePath("")
                .formParam("grant_type", "password").formParam("client_id", "expiring-token-probe")
                .formParam("username", OPERATOR).formParam("password", OPERATOR_PASSWORD)
                .post(TOKEN_URL);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("expiring-token-probe grant failed: " + response.asString());
        }
        return response.jsonPath().getString("access_token");
    }

    public static String partnerFeed() {
        return clientCredentials("partner-feed", "partner-feed-secret");
    }

    public static String billingSystem() {
        return clientCredentials("billing-system", "billing-system-secret");
    }

    /** The bank channel's machine client (role BANK_CONNECTOR): delivers pain.002 status reports to payout-service. */
    public static String bankConnector() {
        return clientCredentials("bank-connector", "bank-connector-secret");
    }

    /** The identity-service's own service account, which may manage users through the Keycloak admin API. */
    public static String userAdministration() {
        return clientCredentials("identity-service", "identity-service-secret");
    }

    /** The claims of a JWT, unverified (a test reads what it was given or what was relayed). */
    public static JsonPath claims(String jwt) {
        return new JsonPath(payload(jwt));
    }

    /** The JSON text of a JWT's claims. */
    public static String payload(String jwt) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    /** The infra scripts may still be starting Keycloak; give it a while rather than fail on the first test. */
    public static void awaitKeycloak(Duration atMost) {
        HttpClient http = HttpClient.newHttpClient();
        // Not answering yet (refused connection, 404 while the realm is made) is the state being waited out.
        Awaitility.await("Keycloak answering at " + REALM_URL + " (start it with deploy/local/keycloak.sh start)")
                .atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
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
        String token = response.jsonPath().getString("access_token");
        long expiresIn = response.jsonPath().getLong("expires_in");
        CACHE.put(key, new Cached(token, now + expiresIn * 1000));
        return token;
    }

    private record Cached(String token, long expiresAtMillis) {
    }
}
