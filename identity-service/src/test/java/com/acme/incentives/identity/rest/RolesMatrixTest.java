package com.acme.incentives.identity.rest;

import com.acme.incentives.identity.support.Directory;
import com.acme.incentives.identity.support.Directory.CreatedUser;
import com.acme.incentives.identity.support.Directory.Org;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * The roles matrix of every endpoint (organizations, locations, me, users): for every endpoint and every role,
 * allowed or 403; another organization's admin 404; no token 401. User targets are incentive users (the widest
 * audience); global-admin targets are covered at the end, where USER_ADMIN, ACCOUNT_ADMIN and INCENTIVE_ADMIN must be
 * refused.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolesMatrixTest {

    private static final String OPERATOR = "PROGRAM_OPERATOR";
    private static final List<String> CALLERS = List.of(OPERATOR, "GLOBAL_ADMIN", "USER_ADMIN", "ACCOUNT_ADMIN",
            "INCENTIVE_ADMIN", "INCENTIVE_USER", "PARTNER_FEED");

    private Org org;
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private String strangerToken;

    /** Lazily, once: the service under test is only reachable from the first test on (not in a BeforeAll). */
    @BeforeEach
    void callers() {
        if (org != null) {
            return;
        }
        org = Directory.registerOrganization("Matrix " + UUID.randomUUID());
        UUID orgId = UUID.fromString(org.id());
        for (String role : CALLERS) {
            tokens.put(role, switch (role) {
                case OPERATOR -> TestTokens.operator();
                case "PARTNER_FEED" -> TestTokens.partnerFeed();
                default -> TestUsers.create(orgId, role).token();
            });
        }
        strangerToken = TestUsers.create(UUID.randomUUID(), "GLOBAL_ADMIN").token();
    }

    /** Runs the call as each role and checks allowed (the given success status) or 403 for the rest. */
    private void matrix(String endpoint, Set<String> allowed, int success,
            Function<RequestSpecification, io.restassured.response.Response> call) {
        matrix(endpoint, allowed, success, 404, call);
    }

    private void matrix(String endpoint, Set<String> allowed, int success, int stranger,
            Function<RequestSpecification, io.restassured.response.Response> call) {
        Map<String, Integer> actual = new LinkedHashMap<>();
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (String role : CALLERS) {
            actual.put(role, call.apply(given().auth().oauth2(tokens.get(role)).contentType(ContentType.JSON))
                    .statusCode());
            expected.put(role, allowed.contains(role) ? success : 403);
        }
        actual.put("other organization", call.apply(given().auth().oauth2(strangerToken)
                .contentType(ContentType.JSON)).statusCode());
        expected.put("other organization", stranger);
        actual.put("no token", call.apply(given().contentType(ContentType.JSON)).statusCode());
        expected.put("no token", 401);
        assertThat(actual).as(endpoint).isEqualTo(expected);
    }

    private String users() {
        return "/api/v1/organizations/" + org.id() + "/users";
    }

    @Test
    void organizationsLocationsAndMe() {
        Set<String> members = Set.of(OPERATOR, "GLOBAL_ADMIN", "USER_ADMIN", "ACCOUNT_ADMIN", "INCENTIVE_ADMIN",
                "INCENTIVE_USER");
        // Registering is for operators only, so another organization's global admin is refused by role (403).
        matrix("POST organizations", Set.of(OPERATOR), 201, 403, spec -> spec.body(Map.of("name", "M",
                "primaryContact", Map.of("email", Directory.uniqueEmail("m"), "firstName", "A", "lastName", "B")))
                .post("/api/v1/organizations"));
        matrix("GET organizations", Set.of(OPERATOR), 200, 403, spec -> spec.get("/api/v1/organizations"));
        matrix("GET organization", members, 200, spec -> spec.get("/api/v1/organizations/" + org.id()));
        matrix("POST locations", Set.of(OPERATOR, "GLOBAL_ADMIN", "ACCOUNT_ADMIN"), 201,
                spec -> spec.body(Map.of("partnerId", String.valueOf(
                        java.util.concurrent.ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L)),
                        "name", "L", "country", "DE", "partnerType", "INDIRECT_RESELLER"))
                        .post("/api/v1/organizations/" + org.id() + "/locations"));
        matrix("GET locations", members, 200, spec -> spec.get("/api/v1/organizations/" + org.id() + "/locations"));
        Set<String> everyone = new java.util.HashSet<>(members);
        everyone.add("PARTNER_FEED");
        matrix("GET me", everyone, 200, 200, spec -> spec.get("/api/v1/me"));
    }

    @Test
    void createUser() {
        matrix("POST users", Set.of(OPERATOR, "GLOBAL_ADMIN", "USER_ADMIN", "INCENTIVE_ADMIN"), 201,
                spec -> spec.body(Directory.newUser(Directory.uniqueEmail("m"), List.of("INCENTIVE_USER"), List.of()))
                        .post(users()));
    }

    @Test
    void listAndReadUsers() {
        Set<String> admins = Set.of(OPERATOR, "GLOBAL_ADMIN", "USER_ADMIN", "ACCOUNT_ADMIN", "INCENTIVE_ADMIN");
        matrix("GET users", admins, 200, spec -> spec.get(users()));
        matrix("GET user", admins, 200, spec -> spec.get(users() + "/" + org.adminId()));
    }

    @Test
    void changeRolesOfAnIncentiveUser() {
        CreatedUser target = Directory.createUser(org.id(), "INCENTIVE_USER");
        matrix("PUT roles", Set.of(OPERATOR, "GLOBAL_ADMIN", "USER_ADMIN", "ACCOUNT_ADMIN", "INCENTIVE_ADMIN"), 200,
                spec -> spec.body(Map.of("roles", List.of("INCENTIVE_USER"), "locations", List.of()))
                        .put(users() + "/" + target.id() + "/roles"));
    }

    @Test
    void resetDeactivateAndReactivateAnIncentiveUser() {
        CreatedUser target = Directory.createUser(org.id(), "INCENTIVE_USER");
        Set<String> managers = Set.of(OPERATOR, "GLOBAL_ADMIN", "USER_ADMIN", "INCENTIVE_ADMIN");
        matrix("POST password-reset", managers, 200, spec -> spec.post(users() + "/" + target.id()
                + "/password-reset"));
        matrix("DELETE user", managers, 204, spec -> spec.delete(users() + "/" + target.id()));
        matrix("POST reactivation", managers, 200, spec -> spec.post(users() + "/" + target.id() + "/reactivation"));
    }

    @Test
    void onlyGlobalAdminsAndOperatorsTouchGlobalAdmins() {
        CreatedUser globalAdmin = Directory.createUser(org.id(), "GLOBAL_ADMIN");
        Set<String> top = Set.of(OPERATOR, "GLOBAL_ADMIN");
        matrix("password-reset of a global admin", top, 200,
                spec -> spec.post(users() + "/" + globalAdmin.id() + "/password-reset"));
        matrix("grant GLOBAL_ADMIN", top, 201, spec -> spec.body(Directory.newUser(Directory.uniqueEmail("ga"),
                List.of("GLOBAL_ADMIN"), List.of())).post(users()));
        for (String role : List.of("USER_ADMIN", "ACCOUNT_ADMIN", "INCENTIVE_ADMIN", "INCENTIVE_USER")) {
            given().auth().oauth2(tokens.get(role)).contentType(ContentType.JSON)
                    .body(Map.of("roles", List.of("ACCOUNT_ADMIN")))
                    .put(users() + "/" + globalAdmin.id() + "/roles").then().statusCode(403);
        }
        CreatedUser anotherGlobalAdmin = Directory.createUser(org.id(), "GLOBAL_ADMIN");
        given().auth().oauth2(tokens.get("GLOBAL_ADMIN")).contentType(ContentType.JSON)
                .body(Map.of("roles", List.of("ACCOUNT_ADMIN")))
                .put(users() + "/" + anotherGlobalAdmin.id() + "/roles").then().statusCode(200);
        // An account admin may still give a global admin an incentive role: that is assigning incentive roles.
        given().auth().oauth2(tokens.get("ACCOUNT_ADMIN")).contentType(ContentType.JSON)
                .body(Map.of("roles", List.of("GLOBAL_ADMIN", "INCENTIVE_USER")))
                .put(users() + "/" + globalAdmin.id() + "/roles").then().statusCode(200);
        given().auth().oauth2(tokens.get("USER_ADMIN"))
                .post(users() + "/" + globalAdmin.id() + "/password-reset")
                .then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("Only a global admin"));
    }

    @Test
    void incentiveAdminsManageIncentiveUsersOnly() {
        CreatedUser userAdmin = Directory.createUser(org.id(), "USER_ADMIN");
        String ia = tokens.get("INCENTIVE_ADMIN");
        given().auth().oauth2(ia).contentType(ContentType.JSON)
                .body(Directory.newUser(Directory.uniqueEmail("ia"), List.of("USER_ADMIN"), List.of()))
                .post(users()).then().statusCode(403);
        given().auth().oauth2(ia).post(users() + "/" + userAdmin.id() + "/password-reset").then().statusCode(403);
        given().auth().oauth2(ia).delete(users() + "/" + userAdmin.id()).then().statusCode(403);
        CreatedUser incentive = Directory.createUser(org.id(), "INCENTIVE_USER");
        given().auth().oauth2(ia).contentType(ContentType.JSON).body(Map.of("roles", List.of("ACCOUNT_ADMIN")))
                .put(users() + "/" + incentive.id() + "/roles").then().statusCode(403);
        // An account admin changes incentive roles, never admin roles.
        given().auth().oauth2(tokens.get("ACCOUNT_ADMIN")).contentType(ContentType.JSON)
                .body(Map.of("roles", List.of("USER_ADMIN", "INCENTIVE_USER")))
                .put(users() + "/" + incentive.id() + "/roles").then().statusCode(403);
        given().auth().oauth2(tokens.get("ACCOUNT_ADMIN")).contentType(ContentType.JSON)
                .body(Map.of("roles", List.of("INCENTIVE_ADMIN")))
                .put(users() + "/" + incentive.id() + "/roles").then().statusCode(200);
    }
}
