package com.acme.incentives.gateway.web;

import com.acme.incentives.gateway.support.EchoServices;
import com.acme.incentives.platform.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

/** Behind TLS (gateway.https=true): HSTS is sent and every cookie the gateway sets is Secure. */
@QuarkusTest
@TestProfile(HttpsDeploymentTest.BehindTls.class)
@WithTestResource(EchoServices.class)
class HttpsDeploymentTest {

    public static class BehindTls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.https", "true");
        }
    }

    @Test
    void sendsHsts() {
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/me")
                .then().statusCode(200)
                .header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        given().get("/q/health/live").then()
                .header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }

    @Test
    void codeFlowCookiesAreSecure() {
        given().redirects().follow(false).get("/login")
                .then().statusCode(302)
                .header("Set-Cookie", containsString("Secure"));
    }
}
