package com.acme.incentives.e2e.support;

import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.acme.incentives.platform.testing.TestUsers.TestUser;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Two tenants for the generated suites: organization A, registered through the gateway with a location (its ids fill
 * the operations' path parameters), and organization B, whose users must see nothing of A. Users are created once per
 * role set and reused.
 */
public final class TenantFixture {

    public static final List<String> PARTNER_ROLES =
            List.of("GLOBAL_ADMIN", "ACCOUNT_ADMIN", "USER_ADMIN", "INCENTIVE_ADMIN", "INCENTIVE_USER");
    public static final List<String> ALL_ROLES = List.of("GLOBAL_ADMIN", "ACCOUNT_ADMIN", "USER_ADMIN",
            "INCENTIVE_ADMIN", "INCENTIVE_USER", "PROGRAM_OPERATOR", "PARTNER_FEED");

    private static TenantFixture instance;

    public final UUID organizationA;
    public final String partnerIdA;
    public final String userIdA;
    public final UUID organizationB = UUID.randomUUID();
    private final Map<String, TestUser> users = new ConcurrentHashMap<>();

    private TenantFixture(UUID organizationA, String partnerIdA, String userIdA) {
        this.organizationA = organizationA;
        this.partnerIdA = partnerIdA;
        this.userIdA = userIdA;
    }

    public static synchronized TenantFixture get() {
        if (instance == null) {
            String operator = TestTokens.operator();
            Response registered = Gateway.request().auth().oauth2(operator).contentType(ContentType.JSON)
                    .body(Map.of("name", "Tenant A " + UUID.randomUUID(), "primaryContact",
                            Map.of("email", "tenant-a-" + UUID.randomUUID() + "@tenant-a.example",
                                    "firstName", "Ada", "lastName", "Alpha")))
                    .post("/api/v1/organizations");
            registered.then().statusCode(201);
            SecretsSeen.remember(registered.path("temporaryPassword"));
            UUID organization = UUID.fromString(registered.path("id"));
            String partnerId = String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
            Gateway.request().auth().oauth2(operator).contentType(ContentType.JSON)
                    .body(Map.of("partnerId", partnerId, "name", "Tenant A Lyon", "country", "FR",
                            "partnerType", "INDIRECT_RESELLER"))
                    .post("/api/v1/organizations/" + organization + "/locations")
                    .then().statusCode(201);
            String userId = Gateway.request().auth().oauth2(operator)
                    .get("/api/v1/organizations/" + organization + "/users")
                    .then().statusCode(200).extract().path("items[0].id");
            instance = new TenantFixture(organization, partnerId, userId);
        }
        return instance;
    }

    /** A user of organization A with exactly these roles, covering A's location. */
    public TestUser userOfA(Collection<String> roles) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(roles));
        return users.computeIfAbsent("A:" + sorted,
                key -> remember(TestUsers.create(organizationA, sorted, List.of(partnerIdA))));
    }

    /** A user of organization B with these roles (B has no data at all). */
    public TestUser userOfB(Collection<String> roles) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(roles));
        return users.computeIfAbsent("B:" + sorted, key -> remember(TestUsers.create(organizationB, sorted, List.of())));
    }

    private static TestUser remember(TestUser user) {
        SecretsSeen.remember(user.password());
        return user;
    }

    /** A value for a path parameter that names one of A's resources, or a well-formed unknown id. */
    public String pathValue(String name) {
        return switch (name) {
            case "orgId", "organizationId" -> organizationA.toString();
            case "partnerId", "locationId" -> partnerIdA;
            case "userId" -> userIdA;
            case "programId" -> "csp-indirect-reseller";
            case "period" -> "2026-10";
            case "agreementId", "competencyId" -> "sample-" + UUID.randomUUID();
            default -> UUID.randomUUID().toString();
        };
    }

    /** Whether a path parameter names something that belongs to organization A (so B must get 404). */
    public static boolean isTenantScoped(String name) {
        return List.of("orgId", "organizationId", "partnerId", "locationId", "userId").contains(name);
    }
}
