package com.acme.incentives.e2e.support;

import com.acme.incentives.platform.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.response.Response;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;

/**
 * Tokens every service must refuse: real Keycloak tokens that are expired or meant for another audience, and forgeries
 * of a real token (signed with another key under the realm's key id, or {@code alg: none}).
 */
public final class HostileTokens {

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder URL_DECODER = Base64.getUrlDecoder();

    private HostileTokens() {
    }

    /**
     * A correctly signed operator token that has expired: the realm's test-only {@code expiring-token-probe} client
     * issues tokens that live one second.
     */
    public static String expired() {
        Response response = RestAssured.given().baseUri(TestTokens.KEYCLOAK_URL).basePath("")
                .formParam("grant_type", "password").formParam("client_id", "expiring-token-probe")
                .formParam("username", TestTokens.OPERATOR).formParam("password", TestTokens.OPERATOR_PASSWORD)
                .post(TestTokens.TOKEN_URL);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("expiring-token-probe grant failed: " + response.asString());
        }
        String token = response.jsonPath().getString("access_token");
        long expiresAt = Long.parseLong(claim(token, "exp"));
        long waitMillis = expiresAt * 1000 - System.currentTimeMillis() + 1500;
        if (waitMillis > 0) {
            try {
                Thread.sleep(waitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return token;
    }

    /** A real token of a client without the {@code incentives-api} audience (identity-service's service account). */
    public static String wrongAudience() {
        return TestTokens.userAdministration();
    }

    /** The same header (key id included) and claims as a real token, signed with a key Keycloak never issued. */
    public static String signedByAnotherKey(String realToken) {
        String[] parts = realToken.split("\\.");
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(keys.getPrivate());
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return parts[0] + "." + parts[1] + "." + URL.encodeToString(signature.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims of a real token under {@code alg: none} and an empty signature. */
    public static String algNone(String realToken) {
        String[] parts = realToken.split("\\.");
        String header = URL.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        return header + "." + parts[1] + ".";
    }

    static String claim(String token, String name) {
        String payload = new String(URL_DECODER.decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        try {
            return SampleBodies.JSON.readTree(payload).path(name).asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
