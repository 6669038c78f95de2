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
 * the operations' path parameters), and organization B (registered, nothing else), whose users and API clients must
 * see nothing of A. Users are created once per role set and reused; so are API clients (created through the gateway
 * like a global admin would, one per set of scopes).
 */
public final class TenantFixture {

    public static final List<String> PARTNER_ROLES =
            List.of("GLOBAL_ADMIN", "ACCOUNT_ADMIN", "USER_ADMIN", "INCENTIVE_ADMIN", "INCENTIVE_USER");
    public static final List<String> ALL_ROLES = List.of("GLOBAL_ADMIN", "ACCOUNT_ADMIN", "USER_ADMIN",
            "INCENTIVE_ADMIN", "INCENTIVE_USER", "PROGRAM_OPERATOR", "PARTNER_FEED");

    /** The roles of an organization's API clients, one per scope (platform Capabilities.API_CLIENT_SCOPES). */
    public static final Map<String, String> API_CLIENT_SCOPES = Map.of("API_ORGANIZATION_READ", "organization:read",
            "API_INCENTIVES_READ", "incentives:read");
    public static final List<String> API_CLIENT_ROLES = List.copyOf(new TreeSet<>(API_CLIENT_SCOPES.keySet()));

    /** A partner system's credentials: its token is a client-credentials grant. */
    public record ApiClient(String clientId, String secret) {
        public String token() {
            return TestTokens.clientCredentials(clientId, secret);
        }
    }

    private static TenantFixture instance;

    public final UUID organizationA;
    public final String partnerIdA;
    public final String userIdA;
    public final UUID organizationB;
    private final Map<String, TestUser> users = new ConcurrentHashMap<>();
    private final Map<String, ApiClient> apiClients = new ConcurrentHashMap<>();

    private TenantFixture(UUID organizationA, String partnerIdA, String userIdA, UUID organizationB) {
        this.organizationA = organizationA;
        this.organizationB = organizationB;
        this.partnerIdA = partnerIdA;
        this.userIdA = userIdA;
    }

    public static synchronized TenantFixture get() {
        if (instance == null) {
            String operator = TestTokens.operator();
            UUID organization = register(operator, "a");
            String partnerId = String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
            Gateway.request().auth().oauth2(operator).contentType(ContentType.JSON)
                    .body(Map.of("partnerId", partnerId, "name", "Tenant A Lyon", "country", "FR",
                            "partnerType", "INDIRECT_RESELLER"))
                    .post("/api/v1/organizations/" + organization + "/locations")
                    .then().statusCode(201);
            String userId = Gateway.request().auth().oauth2(operator)
                    .get("/api/v1/organizations/" + organization + "/users")
                    .then().statusCode(200).extract().path("items[0].id");
            instance = new TenantFixture(organization, partnerId, userId, register(operator, "b"));
        }
        return instance;
    }

    private static UUID register(String operator, String tenant) {
        Response registered = Gateway.request().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("name", "Tenant " + tenant.toUpperCase() + " " + UUID.randomUUID(), "primaryContact",
                        Map.of("email", "tenant-" + tenant + "-" + UUID.randomUUID() + "@tenant-" + tenant + ".example",
                                "firstName", "Ada", "lastName", "Alpha")))
                .post("/api/v1/organizations");
        registered.then().statusCode(201);
        SecretsSeen.remember(registered.path("temporaryPassword"));
        return UUID.fromString(registered.path("id"));
    }

    /** An API client of organization A holding exactly these roles' scopes. */
    public ApiClient apiClientOfA(Collection<String> roles) {
        return apiClient(organizationA, roles);
    }

    /** An API client of organization B holding these roles' scopes. */
    public ApiClient apiClientOfB(Collection<String> roles) {
        return apiClient(organizationB, roles);
    }

    private ApiClient apiClient(UUID organization, Collection<String> roles) {
        List<String> scopes = new ArrayList<>(new TreeSet<>(roles.stream().map(API_CLIENT_SCOPES::get).toList()));
        return apiClients.computeIfAbsent(organization + ":" + scopes, key -> {
            Response created = Gateway.request().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                    .body(Map.of("name", "Generated suites " + scopes, "scopes", scopes))
                    .post("/api/v1/organizations/" + organization + "/api-clients");
            created.then().statusCode(201);
            String secret = created.path("clientSecret");
            SecretsSeen.remember(secret);
            return new ApiClient(created.path("client.clientId"), secret);
        });
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
