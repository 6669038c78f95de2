package com.acme.incentives.identity.rest;

import com.acme.incentives.identity.support.Directory;
import com.acme.incentives.identity.support.Directory.CreatedUser;
import com.acme.incentives.identity.support.Directory.Org;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Bad input and broken rules: each a clear problem+json naming the field, and nothing created anywhere. */
@QuarkusTest
class UserRulesTest {

    private static final String PROBLEM = "application/problem+json";

    private static io.restassured.response.ValidatableResponse create(String orgId, Object body) {
        return given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/organizations/" + orgId + "/users").then();
    }

    @Test
    void aDuplicateEmailIs409AndKeycloakKeepsOneUser() {
        Org org = Directory.registerOrganization("Dup " + UUID.randomUUID());
        CreatedUser first = Directory.createUser(org.id(), "INCENTIVE_USER");
        create(org.id(), Directory.newUser(first.email().toUpperCase(), List.of("INCENTIVE_ADMIN"), List.of()))
                .statusCode(409).contentType(PROBLEM).body("type", equalTo("/problems/conflict"))
                .body("email", equalTo(first.email()));
        // Also across organizations: an email is one person on the whole platform.
        Org other = Directory.registerOrganization("Dup other " + UUID.randomUUID());
        create(other.id(), Directory.newUser(first.email(), List.of("INCENTIVE_USER"), List.of()))
                .statusCode(409).contentType(PROBLEM);
        // An email Keycloak knows but our directory does not (a user made directly in Keycloak) is refused too.
        TestUsers.TestUser outsider = TestUsers.create(UUID.fromString(org.id()), "INCENTIVE_USER");
        create(org.id(), Directory.newUser(outsider.username() + "@test.example", List.of("INCENTIVE_USER"),
                List.of())).statusCode(409).contentType(PROBLEM).body("type", equalTo("/problems/conflict"));
        assertThat(Directory.keycloakUsersByEmail(first.email())).hasSize(1);
        // A registration whose primary contact is already a user is refused the same way, and registers nothing.
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", "Dup registration", "primaryContact", Map.of("email", first.email(),
                        "firstName", "A", "lastName", "B")))
                .post("/api/v1/organizations").then().statusCode(409).contentType(PROBLEM);
    }

    @Test
    void rolesAreCheckedAndEachProblemNamesTheField() {
        Org org = Directory.registerOrganization("Roles rules " + UUID.randomUUID());
        String email = Directory.uniqueEmail("bad-roles");
        create(org.id(), Directory.newUser(email, List.of("SUPER_USER"), List.of()))
                .statusCode(400).contentType(PROBLEM).body("type", equalTo("/problems/validation-failed"))
                .body("errors[0].field", equalTo("roles[0]"))
                .body("errors[0].message", containsString("GLOBAL_ADMIN"));
        create(org.id(), Directory.newUser(email, List.of("PROGRAM_OPERATOR"), List.of()))
                .statusCode(400).body("errors[0].field", equalTo("roles[0]"));
        create(org.id(), Directory.newUser(email, List.of("GLOBAL_ADMIN", "USER_ADMIN"), List.of()))
                .statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("roles"))
                .body("errors[0].message", containsString("at most one admin role"));
        create(org.id(), Directory.newUser(email, List.of("INCENTIVE_ADMIN", "INCENTIVE_USER"), List.of()))
                .statusCode(400).body("errors[0].message", containsString("at most one incentive role"));
        create(org.id(), Directory.newUser(email, List.of(), List.of()))
                .statusCode(400).body("errors[0].field", equalTo("roles"));
        create(org.id(), Map.of("email", email, "firstName", "A", "lastName", "B"))
                .statusCode(400).body("errors.field", hasItem("roles"));
        assertThat(Directory.keycloakUsersByEmail(email)).isEmpty();
    }

    @Test
    void malformedInputIsRefusedByName() {
        Org org = Directory.registerOrganization("Malformed " + UUID.randomUUID());
        create(org.id(), Directory.newUser("not-an-email", List.of("INCENTIVE_USER"), List.of()))
                .statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("email"));
        create(org.id(), Map.of("email", Directory.uniqueEmail("x"), "firstName", "", "lastName", "B",
                "roles", List.of("INCENTIVE_USER"))).statusCode(400).body("errors.field", hasItem("firstName"));
        create(org.id(), Map.of("email", Directory.uniqueEmail("x"), "firstName", "A", "lastName", "B",
                "roles", List.of("INCENTIVE_USER"), "password", "mine")).statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("password"));
        create(org.id(), Map.of("email", Directory.uniqueEmail("x"), "firstName", "A", "lastName", "B",
                "roles", List.of("INCENTIVE_USER"), "locations", List.of("12ab")))
                .statusCode(400).body("errors[0].field", equalTo("locations[0]"));
        given().auth().oauth2(TestTokens.operator()).queryParam("status", "SLEEPING")
                .get("/api/v1/organizations/" + org.id() + "/users")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("status"));
        given().auth().oauth2(TestTokens.operator())
                .get("/api/v1/organizations/" + org.id() + "/users/" + UUID.randomUUID())
                .then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("roles", List.of("INCENTIVE_USER")))
                .put("/api/v1/organizations/" + org.id() + "/users/" + org.adminId() + "/roles/extra")
                .then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void locationsMustBeTheOrganizationsOwnAndOnlyWithAnIncentiveRole() {
        Org org = Directory.registerOrganization("Locations " + UUID.randomUUID());
        Org other = Directory.registerOrganization("Locations other " + UUID.randomUUID());
        String own = Directory.addLocation(org.id());
        String foreign = Directory.addLocation(other.id());
        create(org.id(), Directory.newUser(Directory.uniqueEmail("l"), List.of("INCENTIVE_USER"),
                List.of(own, foreign))).statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("locations[1]"))
                .body("errors[0].message", equalTo("is not a location of this organization"));
        create(org.id(), Directory.newUser(Directory.uniqueEmail("l"), List.of("USER_ADMIN"), List.of(own)))
                .statusCode(400).body("errors[0].field", equalTo("locations"));
        create(org.id(), Directory.newUser(Directory.uniqueEmail("l"), List.of("USER_ADMIN", "INCENTIVE_USER"),
                List.of(own))).statusCode(201).body("user.locations", equalTo(List.of(own)));
    }

    @Test
    void theLastGlobalAdminCannotBeDemotedOrDeactivated() {
        Org org = Directory.registerOrganization("Last admin " + UUID.randomUUID());
        String base = "/api/v1/organizations/" + org.id() + "/users/" + org.adminId();
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("roles", List.of("USER_ADMIN"))).put(base + "/roles")
                .then().statusCode(409).contentType(PROBLEM).body("detail", containsString("last global admin"));
        given().auth().oauth2(TestTokens.operator()).delete(base)
                .then().statusCode(409).contentType(PROBLEM).body("detail", containsString("last global admin"));

        CreatedUser second = Directory.createUser(org.id(), "GLOBAL_ADMIN");
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("roles", List.of("USER_ADMIN"))).put(base + "/roles")
                .then().statusCode(200).body("roles", equalTo(List.of("USER_ADMIN")));
        // Now `second` is the last one: a deactivated global admin does not count.
        given().auth().oauth2(TestTokens.operator())
                .delete("/api/v1/organizations/" + org.id() + "/users/" + second.id())
                .then().statusCode(409);
        given().auth().oauth2(TestTokens.operator())
                .get("/api/v1/organizations/" + org.id() + "/users/" + second.id())
                .then().statusCode(200).body("status", equalTo("PENDING_ACTIVATION"))
                .body("roles", equalTo(List.of("GLOBAL_ADMIN")));
    }

    @Test
    void anAdminCannotDeactivateItself() {
        Org org = Directory.registerOrganization("Self " + UUID.randomUUID());
        CreatedUser userAdmin = Directory.createUser(org.id(), "USER_ADMIN");
        String password = "Own-" + UUID.randomUUID();
        com.acme.incentives.identity.support.KeycloakLogin.changeTemporaryPassword(userAdmin.email(),
                userAdmin.temporaryPassword(), password);
        String token = com.acme.incentives.identity.support.KeycloakLogin.passwordGrant(userAdmin.email(), password)
                .then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(token).delete("/api/v1/organizations/" + org.id() + "/users/" + userAdmin.id())
                .then().statusCode(422).contentType(PROBLEM);
    }
}
