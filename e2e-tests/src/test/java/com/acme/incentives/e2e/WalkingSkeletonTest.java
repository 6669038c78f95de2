package com.acme.incentives.e2e;

import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.acme.incentives.platform.testing.TestUsers.TestUser;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * The whole path, through the gateway only: real tokens from Keycloak, the gateway relaying them, identity-service
 * writing a row and its event in one transaction, and eligibility-service consuming it through the real broker.
 */
class WalkingSkeletonTest {

    @BeforeAll
    static void platform() {
        RunningPlatform.ensureStarted();
    }

    @Test
    void aSignedInUserAsksWhoTheyAre() {
        UUID organization = UUID.randomUUID();
        TestUser user = TestUsers.create(organization, List.of("INCENTIVE_ADMIN"), List.of("7000001"));
        given().auth().oauth2(user.token()).get("/api/v1/me")
                .then().statusCode(200)
                .header("X-Correlation-Id", org.hamcrest.Matchers.notNullValue())
                .body("organizationId", equalTo(organization.toString()))
                .body("roles", hasItem("INCENTIVE_ADMIN"))
                .body("locations", hasItem("7000001"));
    }

    @Test
    void aMachineClientCallsWithItsOwnToken() {
        given().auth().oauth2(TestTokens.partnerFeed()).get("/api/v1/me")
                .then().statusCode(200).body("roles", hasItem("PARTNER_FEED"));
    }

    @Test
    void withoutCredentialsAnApiCallIs401NotARedirect() {
        given().redirects().follow(false).get("/api/v1/me")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void anEventWrittenByOneServiceIsConsumedByAnother() {
        String token = TestTokens.operator();
        String correlationId = "e2e-" + UUID.randomUUID();
        String orgId = given().auth().oauth2(token).header("X-Correlation-Id", correlationId)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "Skeleton Corp", "primaryContact",
                        Map.of("email", "owner-" + UUID.randomUUID() + "@skeleton.example", "firstName", "Sam",
                                "lastName", "Skeleton")))
                .post("/api/v1/organizations")
                .then().statusCode(201).header("X-Correlation-Id", correlationId).extract().path("id");
        String partnerId = String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("partnerId", partnerId, "name", "Skeleton Berlin", "country", "DE",
                        "partnerType", "INDIRECT_RESELLER"))
                .post("/api/v1/organizations/" + orgId + "/locations")
                .then().statusCode(201);

        // eligibility-service learns of the location from identity-service's LocationAdded, through Kafka.
        TestUser member = TestUsers.create(UUID.fromString(orgId), "INCENTIVE_USER");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().auth().oauth2(member.token()).get("/api/v1/locations/" + partnerId)
                        .then().statusCode(200)
                        .body("organizationId", equalTo(orgId))
                        .body("partnerType", equalTo("INDIRECT_RESELLER")));

        TestUser stranger = TestUsers.create(UUID.randomUUID(), "INCENTIVE_ADMIN");
        given().auth().oauth2(stranger.token()).get("/api/v1/locations/" + partnerId)
                .then().statusCode(404);
    }
}
