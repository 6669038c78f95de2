package com.acme.incentives.platform.testing;

import io.restassured.RestAssured;
import io.restassured.response.Response;

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
