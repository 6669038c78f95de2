package com.acme.incentives.gateway.contract;

import com.acme.incentives.gateway.support.EchoServices;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** The contract and its documentation page are public, served by the gateway alone, the page under its own CSP. */
@QuarkusTest
@WithTestResource(EchoServices.class)
class ApiContractRoutesTest {

    @Test
    void theContractIsPublicAndDescribesEveryServicesOperations() {
        Response response = given().when().get("/api/v1/openapi.json")
                .then().statusCode(200)
                .contentType(startsWith("application/json"))
                .header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
                .header("X-Correlation-Id", org.hamcrest.Matchers.notNullValue())
                .extract().response();
        JsonObject contract = new JsonObject(response.asString());
        assertThat(contract.getString("openapi")).isEqualTo("3.1.0");
        assertThat(contract.getJsonArray("servers").getJsonObject(0).getString("url")).isEqualTo("/");
        JsonObject paths = contract.getJsonObject("paths");
        assertThat(paths.fieldNames()).allMatch(path -> path.startsWith("/api/v1/"))
                .contains("/api/v1/me", "/api/v1/locations/{partnerId}/eligibility",
                        "/api/v1/organizations/{orgId}/invitations", "/api/v1/payout-runs");
        assertThat(paths.getJsonObject("/api/v1/organizations").getJsonObject("post").getString("operationId"))
                .isEqualTo("registerOrganization");
        assertThat(contract.getJsonObject("components").getJsonObject("schemas").fieldNames())
                .contains("Problem", "IdentityLocation", "EligibilityLocation");
    }

    @Test
    void theContractIsAlsoYaml() {
        given().when().get("/api/v1/openapi.yaml")
                .then().statusCode(200)
                .contentType(startsWith("application/yaml"))
                .body(containsString("openapi: 3.1.0"));
    }

    @Test
    void theDocumentationPageRendersItFromSameOriginFilesUnderItsOwnPolicy() {
        given().redirects().follow(false).when().get("/api/v1/docs")
                .then().statusCode(302).header("Location", "/api/v1/docs/");
        String page = given().when().get("/api/v1/docs/")
                .then().statusCode(200)
                .contentType(startsWith("text/html"))
                .header("Content-Security-Policy", equalTo(ApiContractRoutes.DOCS_CONTENT_SECURITY_POLICY))
                .header("X-Frame-Options", "DENY")
                .extract().asString();
        assertThat(page).contains("<script src=\"swagger-ui-bundle.js\"></script>", "<script src=\"docs.js\">")
                .doesNotContain("http://", "https://", "<script>");
        assertThat(ApiContractRoutes.DOCS_CONTENT_SECURITY_POLICY).contains("script-src 'self'")
                .doesNotContain("unsafe-eval").doesNotContain("script-src 'self' 'unsafe-inline'");
        given().when().get("/api/v1/docs/docs.js").then().statusCode(200)
                .contentType(startsWith("text/javascript")).body(containsString("../openapi.json"));
        given().when().get("/api/v1/docs/swagger-ui-bundle.js").then().statusCode(200)
                .contentType(startsWith("text/javascript")).body(containsString("SwaggerUIBundle"));
        given().when().get("/api/v1/docs/swagger-ui.css").then().statusCode(200)
                .contentType(startsWith("text/css"));
    }

    @Test
    void nothingElseOfTheClasspathIsReachable() {
        given().when().get("/api/v1/docs/application.properties")
                .then().statusCode(404).contentType("application/problem+json");
        given().when().get("/api/v1/docs/..%2Fapi-contract%2Fsource.txt")
                .then().statusCode(404);
    }

    @Test
    void otherApiPathsStillNeedCredentials() {
        given().when().get("/api/v1/openapi")
                .then().statusCode(401).contentType("application/problem+json");
    }
}
