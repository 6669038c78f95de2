package com.acme.incentives.identity.rest;

import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.acme.incentives.platform.testing.TestUsers.TestUser;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
public class OrganizationResourceTest {

    public static Map<String, Object> organization(String name) {
        return Map.of("name", name, "primaryContact",
                Map.of("email", "contact-" + UUID.randomUUID() + "@partner.example", "firstName", "Pat",
                        "lastName", "Partner"));
    }

    static String register(String name) {
        return given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON).body(organization(name))
                .post("/api/v1/organizations").then().statusCode(201).extract().path("id");
    }

    static String newPartnerId() {
        return String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
    }

    @Test
    void operatorRegistersAnOrganizationAndItsEventIsPublishedOnce() {
        try (TestEvents events = TestEvents.listen("identity.events")) {
            String id = given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                    .body(organization("Contoso"))
                    .post("/api/v1/organizations")
                    .then().statusCode(201)
                    .header("Location", containsString("/api/v1/organizations/"))
                    .body("name", equalTo("Contoso"))
                    .body("primaryContact.firstName", equalTo("Pat"))
                    .extract().path("id");

            List<JsonNode> published = events.await(TestEvents.ofType("OrganizationRegistered", id), 1,
                    Duration.ofSeconds(30), Duration.ofSeconds(2));
            assertThat(published).hasSize(1);
            JsonNode event = published.get(0);
            assertThat(event.path("eventId").asText()).isNotBlank();
            assertThat(event.path("version").asInt()).isEqualTo(1);
            assertThat(event.path("occurredAt").asText()).isNotBlank();
            assertThat(event.path("data").path("name").asText()).isEqualTo("Contoso");
        }
    }

    @Test
    void onlyOperatorsRegisterOrganizations() {
        TestUser admin = TestUsers.create(UUID.randomUUID(), "GLOBAL_ADMIN");
        given().auth().oauth2(admin.token()).contentType(ContentType.JSON).body(organization("Nope"))
                .post("/api/v1/organizations")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("/problems/forbidden"));

        given().contentType(ContentType.JSON).body(organization("Nope"))
                .post("/api/v1/organizations")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"));

        given().auth().oauth2("not-a-token").contentType(ContentType.JSON).body(organization("Nope"))
                .post("/api/v1/organizations")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aMemberReadsItsOrganizationAndAnotherOrganizationGets404() {
        String id = register("Fabrikam");
        TestUser member = TestUsers.create(UUID.fromString(id), "INCENTIVE_USER");
        TestUser stranger = TestUsers.create(UUID.randomUUID(), "GLOBAL_ADMIN");

        given().auth().oauth2(member.token()).get("/api/v1/organizations/" + id)
                .then().statusCode(200).body("id", equalTo(id));
        given().auth().oauth2(stranger.token()).get("/api/v1/organizations/" + id)
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("/problems/not-found"));
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/organizations/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void adminsAddLocationsOncePerPartnerId() {
        String id = register("Northwind");
        TestUser globalAdmin = TestUsers.create(UUID.fromString(id), "GLOBAL_ADMIN");
        TestUser incentiveUser = TestUsers.create(UUID.fromString(id), "INCENTIVE_USER");
        TestUser stranger = TestUsers.create(UUID.randomUUID(), "GLOBAL_ADMIN");
        String partnerId = newPartnerId();
        Map<String, Object> location = Map.of("partnerId", partnerId, "name", "Northwind Seattle", "country", "US",
                "partnerType", "DIRECT_BILL");

        try (TestEvents events = TestEvents.listen("identity.events")) {
            given().auth().oauth2(globalAdmin.token()).contentType(ContentType.JSON).body(location)
                    .post("/api/v1/organizations/" + id + "/locations")
                    .then().statusCode(201).body("partnerId", equalTo(partnerId));
            List<JsonNode> added = events.await(node -> "LocationAdded".equals(node.path("type").asText())
                    && partnerId.equals(node.path("data").path("partnerId").asText()), 1, Duration.ofSeconds(30),
                    Duration.ofSeconds(1));
            assertThat(added).hasSize(1);
            assertThat(added.get(0).path("aggregateId").asText()).isEqualTo(id);
        }

        given().auth().oauth2(globalAdmin.token()).contentType(ContentType.JSON).body(location)
                .post("/api/v1/organizations/" + id + "/locations")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("/problems/conflict")).body("partnerId", equalTo(partnerId));
        given().auth().oauth2(incentiveUser.token()).contentType(ContentType.JSON)
                .body(Map.of("partnerId", newPartnerId(), "name", "X", "country", "US", "partnerType", "DIRECT_BILL"))
                .post("/api/v1/organizations/" + id + "/locations")
                .then().statusCode(403);
        given().auth().oauth2(stranger.token()).contentType(ContentType.JSON)
                .body(Map.of("partnerId", newPartnerId(), "name", "X", "country", "US", "partnerType", "DIRECT_BILL"))
                .post("/api/v1/organizations/" + id + "/locations")
                .then().statusCode(404);
        given().auth().oauth2(stranger.token()).get("/api/v1/organizations/" + id + "/locations")
                .then().statusCode(404);

        given().auth().oauth2(incentiveUser.token()).queryParam("size", 10)
                .get("/api/v1/organizations/" + id + "/locations")
                .then().statusCode(200)
                .body("items.partnerId", hasItem(partnerId))
                .body("totalItems", equalTo(1)).body("page", equalTo(0)).body("size", equalTo(10));
    }

    @Test
    void theLocationOfAnAddedLocationAnswersGet() {
        String id = register("Adventure Works");
        UUID org = UUID.fromString(id);
        TestUser accountAdmin = TestUsers.create(org, "ACCOUNT_ADMIN");
        String partnerId = newPartnerId();
        String location = given().auth().oauth2(accountAdmin.token()).contentType(ContentType.JSON)
                .body(Map.of("partnerId", partnerId, "name", "Adventure Works Oslo", "country", "NO",
                        "partnerType", "INDIRECT_RESELLER"))
                .post("/api/v1/organizations/" + id + "/locations")
                .then().statusCode(201).extract().header("Location");
        assertThat(location).endsWith("/api/v1/organizations/" + id + "/locations/" + partnerId);

        // every member of the organization reads it (as the list), operators too
        for (String role : List.of("GLOBAL_ADMIN", "ACCOUNT_ADMIN", "USER_ADMIN", "INCENTIVE_ADMIN", "INCENTIVE_USER")) {
            given().auth().oauth2(TestUsers.create(org, role).token()).get(location)
                    .then().statusCode(200).body("partnerId", equalTo(partnerId))
                    .body("organizationId", equalTo(id)).body("name", equalTo("Adventure Works Oslo"))
                    .body("country", equalTo("NO")).body("partnerType", equalTo("INDIRECT_RESELLER"))
                    .body("createdAt", notNullValue());
        }
        given().auth().oauth2(TestTokens.operator()).get(location).then().statusCode(200);

        // another organization's member, or this location asked for under another organization: 404
        TestUser stranger = TestUsers.create(UUID.randomUUID(), "GLOBAL_ADMIN");
        given().auth().oauth2(stranger.token()).get(location)
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("/problems/not-found"));
        String other = register("Other");
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/organizations/" + other + "/locations/" + partnerId)
                .then().statusCode(404).contentType("application/problem+json");
        // unknown id, bad id, machine client, no token
        given().auth().oauth2(accountAdmin.token()).get("/api/v1/organizations/" + id + "/locations/" + newPartnerId())
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(accountAdmin.token()).get("/api/v1/organizations/" + id + "/locations/12ab")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].message", containsString("digits only"));
        given().auth().oauth2(TestTokens.partnerFeed()).get(location)
                .then().statusCode(403).contentType("application/problem+json");
        given().get(location).then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void locationInputIsValidated() {
        String id = register("Litware");
        String token = TestTokens.operator();
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("partnerId", "12ab", "name", "", "country", "XX", "partnerType", "DIRECT_BILL"))
                .post("/api/v1/organizations/" + id + "/locations")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("/problems/validation-failed"))
                .body("errors.field", hasItem("partnerId"))
                .body("errors.field", hasItem("name"));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("partnerId", newPartnerId(), "name", "L", "country", "XX", "partnerType", "DIRECT_BILL"))
                .post("/api/v1/organizations/" + id + "/locations")
                .then().statusCode(400).body("errors[0].field", equalTo("country"));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("partnerId", newPartnerId(), "name", "L", "country", "US", "partnerType", "RETAIL"))
                .post("/api/v1/organizations/" + id + "/locations")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("partnerType"))
                .body("errors[0].message", containsString("DIRECT_BILL"));
        given().auth().oauth2(token).queryParam("size", 0).get("/api/v1/organizations/" + id + "/locations")
                .then().statusCode(400).body("errors[0].field", equalTo("size"));
        given().auth().oauth2(token).get("/api/v1/organizations/not-a-uuid/locations")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void meAnswersFromTheToken() {
        UUID org = UUID.randomUUID();
        TestUser user = TestUsers.create(org, List.of("INCENTIVE_ADMIN", "USER_ADMIN"), List.of("1234567"));
        given().auth().oauth2(user.token()).get("/api/v1/me")
                .then().statusCode(200)
                .body("organizationId", equalTo(org.toString()))
                .body("username", equalTo(user.username()))
                .body("roles", hasItem("INCENTIVE_ADMIN")).body("roles", hasItem("USER_ADMIN"))
                .body("locations", hasItem("1234567"))
                .body("actions", hasItem("enrollments:manage"));
        // a global admin may see and run its organization's incentives (the services agree: OpenApiRules)
        TestUser global = TestUsers.create(org, "GLOBAL_ADMIN");
        given().auth().oauth2(global.token()).get("/api/v1/me")
                .then().statusCode(200)
                .body("actions", hasItems("incentives:read", "incentives:manage", "enrollments:manage",
                        "users:manage", "locations:add"))
                .body("actions", not(hasItem("migration:complete")));
        given().auth().oauth2(TestUsers.create(org, "ACCOUNT_ADMIN").token()).get("/api/v1/me")
                .then().statusCode(200).body("actions", not(hasItem("incentives:read")));
        given().auth().oauth2(TestTokens.partnerFeed()).get("/api/v1/me")
                .then().statusCode(200).body("roles", hasItem("PARTNER_FEED")).body("subject", notNullValue());
    }
}
