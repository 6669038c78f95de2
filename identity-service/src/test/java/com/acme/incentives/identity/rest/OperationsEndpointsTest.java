package com.acme.incentives.identity.rest;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** What an operator and a client integrator rely on: probes, metrics and the API description. */
@QuarkusTest
class OperationsEndpointsTest {

    @Test
    void readinessChecksTheDatabaseButNotKafka() {
        // Kafka is left out on purpose (platform microprofile-config.properties): the outbox keeps writes while it
        // is away, so its outage must not take the pods out of their Service.
        given().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")))
                .body("checks.name", not(hasItem(containsStringIgnoringCase("Kafka"))));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheusMetricsIncludeTheOutbox() {
        given().get("/api/v1/me").then().statusCode(401);
        given().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("outbox_backlog"))
                .body(containsString("http_server_requests"));
    }

    @Test
    void openApiDescribesOperationsAndTheirSecurity() {
        given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200)
                .body("paths.'/api/v1/organizations'.post.summary", containsString("Register"))
                .body("components.securitySchemes.bearer.type", equalTo("http"))
                .body("paths.'/api/v1/organizations'.post.security", org.hamcrest.Matchers.notNullValue());
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
