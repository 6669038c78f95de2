package com.acme.incentives.e2e.security;

import com.acme.incentives.e2e.RunningPlatform;
import com.acme.incentives.e2e.support.ApiOperations;
import com.acme.incentives.e2e.support.Gateway;
import com.acme.incentives.e2e.support.ApiOperations.ApiOperation;
import com.acme.incentives.e2e.support.HostileTokens;
import com.acme.incentives.platform.testing.ForgedTokens;
import com.acme.incentives.e2e.support.SecurityReport;
import com.acme.incentives.e2e.support.TenantFixture;
import com.acme.incentives.platform.testing.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static com.acme.incentives.e2e.support.ApiCalls.assertProblem;
import static com.acme.incentives.e2e.support.ApiCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may call what, generated from the services' OpenAPI documents: for every operation, every caller who must be
 * refused is refused with the right status, through the gateway. A new endpoint is covered the moment it exists; one
 * that declares no security fails the build.
 */
class OpenApiSecurityTest {

    /** The extension listing an operation's capabilities (platform's Capabilities.EXTENSION; e2e-tests see only the
     * platform's test-jar). */
    private static final String CAPABILITIES = "x-capabilities";
    private static final Map<String, List<String>> ME_ACTIONS = new ConcurrentHashMap<>();
    private static String expired;
    private static String realOperatorToken;

    @BeforeAll
    static void platform() {
        RunningPlatform.ensureStarted();
        TenantFixture.get();
        realOperatorToken = TestTokens.operator();
        expired = HostileTokens.expired();
    }

    @AfterAll
    static void report() {
        SecurityReport.write();
    }

    @Test
    void theDocumentsListTheOperationsOfEveryService() {
        List<ApiOperation> operations = ApiOperations.all();
        assertThat(operations).extracting(ApiOperation::service)
                .contains("identity", "eligibility", "enrollment", "payout");
        assertThat(operations).hasSizeGreaterThan(30);
    }

    @TestFactory
    Stream<DynamicNode> everyOperationRefusesWhoItMust() {
        return ApiOperations.all().stream().map(operation ->
                DynamicContainer.dynamicContainer(operation.service() + ": " + operation.name(), cases(operation)));
    }

    private static Stream<DynamicNode> cases(ApiOperation operation) {
        TenantFixture fixture = TenantFixture.get();
        List<DynamicNode> cases = new ArrayList<>();
        cases.add(DynamicTest.dynamicTest("declares security", () -> SecurityReport.check(
                "Operation declares security (@RolesAllowed/@Authenticated)", () -> assertThat(operation.secured())
                        .as("%s has no security requirement: annotate it with @RolesAllowed or @Authenticated",
                                operation.name()).isTrue())));
        cases.add(refused(operation, "no token", null, 401));
        cases.add(DynamicTest.dynamicTest("expired token -> 401", () -> SecurityReport.check("Expired token",
                () -> assertProblem(call(operation).token(expired).send(), 401))));
        cases.add(DynamicTest.dynamicTest("token signed by another key -> 401", () -> SecurityReport.check(
                "Token signed by another key", () -> assertProblem(
                        call(operation).token(ForgedTokens.signedByAnotherKey(realOperatorToken)).send(), 401))));
        cases.add(DynamicTest.dynamicTest("alg none -> 401", () -> SecurityReport.check("Token with alg: none",
                () -> assertProblem(call(operation).token(ForgedTokens.algNone(realOperatorToken)).send(), 401))));
        cases.add(DynamicTest.dynamicTest("wrong audience -> 401", () -> SecurityReport.check("Token for another audience",
                () -> assertProblem(call(operation).token(HostileTokens.wrongAudience()).send(), 401))));

        List<String> weaker = new ArrayList<>(TenantFixture.ALL_ROLES);
        weaker.removeAll(operation.roles());
        if (!operation.roles().isEmpty() && !weaker.isEmpty()) {
            cases.add(DynamicTest.dynamicTest("roles " + weaker + " -> 403", () -> SecurityReport.check(
                    "Too weak a role", () -> assertProblem(
                            call(operation).token(fixture.userOfA(weaker).token()).send(), 403))));
        }

        // An organization's API clients are refused like people: a scope too narrow is 403.
        List<String> narrowerScopes = new ArrayList<>(TenantFixture.API_CLIENT_ROLES);
        narrowerScopes.removeAll(operation.roles());
        if (!operation.roles().isEmpty() && !narrowerScopes.isEmpty()) {
            cases.add(DynamicTest.dynamicTest("API client with " + narrowerScopes + " -> 403", () ->
                    SecurityReport.check("Too narrow an API client scope", () -> assertProblem(
                            call(operation).token(fixture.apiClientOfA(narrowerScopes).token()).send(), 403))));
        }

        if (!operation.roles().isEmpty()) {
            cases.add(DynamicTest.dynamicTest("its roles are those GET /me gives its capabilities", () ->
                    SecurityReport.check("Roles agree with GET /me", () -> rolesAgreeWithMe(operation))));
        }

        List<String> partnerRoles = new ArrayList<>(TenantFixture.PARTNER_ROLES);
        if (!operation.roles().isEmpty()) {
            partnerRoles.retainAll(operation.roles());
        }
        boolean tenantScoped = operation.pathParameters().stream().anyMatch(p -> TenantFixture.isTenantScoped(p.name()));
        if (tenantScoped && !partnerRoles.isEmpty()) {
            cases.add(DynamicTest.dynamicTest("another organization's " + partnerRoles + " -> 404", () ->
                    SecurityReport.check("Another organization's user", () -> assertProblem(
                            call(operation).token(fixture.userOfB(partnerRoles).token()).send(), 404))));
        }
        List<String> clientRoles = new ArrayList<>(TenantFixture.API_CLIENT_ROLES);
        clientRoles.retainAll(operation.roles());
        if (tenantScoped && !clientRoles.isEmpty()) {
            cases.add(DynamicTest.dynamicTest("another organization's API client with " + clientRoles + " -> 404",
                    () -> SecurityReport.check("Another organization's API client", () -> assertProblem(
                            call(operation).token(fixture.apiClientOfB(clientRoles).token()).send(), 404))));
        }
        return cases.stream();
    }

    /**
     * What GET /me tells each organization role it may do (its {@code actions}), asked live of the platform with a
     * user of each role, against the operation's {@code x-capabilities} and roles: the organization roles the
     * operation lets in are exactly those whose /me lists one of its capabilities (Capabilities: a global admin sees
     * and runs its organization's incentives). The "too weak a role" case above then proves the refusals.
     */
    private static void rolesAgreeWithMe(ApiOperation operation) {
        JsonNode declared = operation.document().at(pointer(operation)).path(CAPABILITIES);
        Set<String> capabilities = new TreeSet<>();
        declared.forEach(capability -> capabilities.add(capability.asText()));
        Set<String> members = new TreeSet<>(TenantFixture.PARTNER_ROLES);
        members.addAll(TenantFixture.API_CLIENT_ROLES);
        Set<String> promised = new TreeSet<>();
        for (String role : members) {
            if (meActions(role).stream().anyMatch(capabilities::contains)) {
                promised.add(role);
            }
        }
        Set<String> allowed = new TreeSet<>(operation.roles());
        allowed.retainAll(members);
        assertThat(allowed).as("%s lets in the organization roles whose GET /me lists one of %s", operation.name(),
                capabilities).isEqualTo(promised);
    }

    private static String pointer(ApiOperation operation) {
        return "/paths/" + operation.path().replace("~", "~0").replace("/", "~1") + "/" + operation.method();
    }

    /** GET /me's actions for a member of A holding this role: a person, or an API client for an API_* role. */
    private static List<String> meActions(String role) {
        TenantFixture fixture = TenantFixture.get();
        return ME_ACTIONS.computeIfAbsent(role, r -> Gateway.request().auth()
                .oauth2(TenantFixture.API_CLIENT_ROLES.contains(r) ? fixture.apiClientOfA(List.of(r)).token()
                        : fixture.userOfA(List.of(r)).token())
                .get("/api/v1/me")
                .then().statusCode(200).extract().jsonPath().getList("actions", String.class));
    }

    private static DynamicTest refused(ApiOperation operation, String who, String token, int status) {
        return DynamicTest.dynamicTest(who + " -> " + status, () -> SecurityReport.check("No token",
                () -> assertProblem(call(operation).token(token).send(), status)));
    }
}
