package com.acme.incentives.e2e.security;

import com.acme.incentives.e2e.RunningPlatform;
import com.acme.incentives.e2e.support.ApiOperations;
import com.acme.incentives.e2e.support.ApiOperations.ApiOperation;
import com.acme.incentives.e2e.support.ApiOperations.Parameter;
import com.acme.incentives.e2e.support.SampleBodies;
import com.acme.incentives.e2e.support.SecurityReport;
import com.acme.incentives.e2e.support.TenantFixture;
import com.acme.incentives.platform.testing.TestTokens;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static com.acme.incentives.e2e.support.ApiCalls.abbreviated;
import static com.acme.incentives.e2e.support.ApiCalls.assertHandled;
import static com.acme.incentives.e2e.support.ApiCalls.assertProblem;
import static com.acme.incentives.e2e.support.ApiCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input, generated from the services' OpenAPI documents and sent through the gateway by a caller who is
 * allowed to call the operation: malformed and wrong-typed bodies, missing and extra fields, huge strings and bodies,
 * and injection strings in every parameter. Never a 5xx; every refusal is problem+json; a body with an extra field
 * (mass assignment) is refused whole, so it changes nothing.
 */
class HostileInputTest {

    /** Injection and oddity payloads put into every path parameter, query parameter and string field. */
    static final List<String> PAYLOADS = List.of(
            "' OR '1'='1",
            "1; DROP TABLE outbox_event;--",
            "<script>alert(1)</script>",
            "../../../../etc/passwd",
            "${jndi:ldap://127.0.0.1:1389/a}",
            "{{7*7}}",
            "%00\u0000",
            "\u202Eexe.txt \uD83D\uDE00",
            "-1",
            "9".repeat(40),
            "a".repeat(5000),
            "b".repeat(9000));

    private static final String HUGE_STRING = "x".repeat(20_000);

    @BeforeAll
    static void platform() {
        RunningPlatform.ensureStarted();
        TenantFixture.get();
    }

    @AfterAll
    static void report() {
        SecurityReport.write();
    }

    @TestFactory
    Stream<DynamicNode> everyOperationSurvivesHostileInput() {
        return ApiOperations.all().stream().filter(ApiOperation::secured).map(operation ->
                DynamicContainer.dynamicContainer(operation.service() + ": " + operation.name(), cases(operation)));
    }

    /** A token of a caller allowed to call the operation, so the input (not the caller) is what gets refused. */
    private static String allowedCaller(ApiOperation operation) {
        List<String> roles = operation.roles();
        if (roles.contains("PROGRAM_OPERATOR")) {
            return TestTokens.operator();
        }
        if (roles.contains("PARTNER_FEED")) {
            return TestTokens.partnerFeed();
        }
        if (roles.contains("BANK_CONNECTOR")) {
            return TestTokens.bankConnector();
        }
        List<String> partnerRoles = new ArrayList<>(TenantFixture.PARTNER_ROLES);
        if (!roles.isEmpty()) {
            partnerRoles.retainAll(roles);
        }
        return TenantFixture.get().userOfA(partnerRoles).token();
    }

    private static Stream<DynamicNode> cases(ApiOperation operation) {
        List<DynamicNode> cases = new ArrayList<>();
        for (Parameter parameter : operation.pathParameters()) {
            for (String payload : PAYLOADS) {
                cases.add(DynamicTest.dynamicTest("path " + parameter.name() + " = " + shortName(payload), () ->
                        SecurityReport.check("Injection string in a path parameter", () -> assertHandled(
                                call(operation).token(allowedCaller(operation)).path(parameter.name(), payload)
                                        .send()))));
            }
        }
        for (Parameter parameter : operation.queryParameters()) {
            for (String payload : PAYLOADS) {
                cases.add(DynamicTest.dynamicTest("query " + parameter.name() + " = " + shortName(payload), () ->
                        SecurityReport.check("Injection string in a query parameter", () -> assertHandled(
                                call(operation).token(allowedCaller(operation)).query(parameter.name(), payload)
                                        .send()))));
            }
        }
        if (operation.hasJsonBody()) {
            cases.addAll(bodyCases(operation));
        }
        return cases.stream();
    }

    private static List<DynamicNode> bodyCases(ApiOperation operation) {
        List<DynamicNode> cases = new ArrayList<>();
        cases.add(DynamicTest.dynamicTest("malformed JSON -> 400", () -> SecurityReport.check("Malformed JSON body",
                () -> assertProblem(call(operation).token(allowedCaller(operation)).body("{\"broken\": ").send(),
                        400))));
        cases.add(DynamicTest.dynamicTest("not JSON at all -> 415", () -> SecurityReport.check(
                "Body in another media type", () -> assertProblem(call(operation).token(allowedCaller(operation))
                        .body("<xml>not json</xml>", "application/xml").send(), 415))));
        cases.add(DynamicTest.dynamicTest("12 MB body -> 413", () -> SecurityReport.check("Huge body",
                () -> assertProblem(call(operation).token(allowedCaller(operation))
                        .body("{\"x\":\"" + "y".repeat(12_000_000) + "\"}").send(), 413))));
        if (!SampleBodies.isObjectBody(operation)) {
            return cases;
        }
        cases.add(DynamicTest.dynamicTest("empty object -> 4xx", () -> SecurityReport.check(
                "Missing fields (empty object)", () -> {
                    Response response = call(operation).token(allowedCaller(operation)).body("{}").send();
                    assertHandled(response);
                })));
        cases.add(DynamicTest.dynamicTest("array instead of object -> 400", () -> SecurityReport.check(
                "Wrong-typed body", () -> assertProblem(
                        call(operation).token(allowedCaller(operation)).body("[]").send(), 400))));
        for (String extra : List.of("organizationId", "status", "id", "createdAt")) {
            if (SampleBodies.topLevelProperties(operation).contains(extra)) {
                continue;
            }
            cases.add(DynamicTest.dynamicTest("extra field " + extra + " -> 400 naming it", () ->
                    SecurityReport.check("Extra field (mass assignment)", () -> {
                        ObjectNode body = (ObjectNode) SampleBodies.plausible(operation);
                        body.put(extra, extra.equals("organizationId")
                                ? TenantFixture.get().organizationB.toString() : "ENROLLED");
                        Response response = call(operation).token(allowedCaller(operation))
                                .body(SampleBodies.write(body)).send();
                        assertProblem(response, 400);
                        assertThat(response.asString()).as("the problem names the field").contains(extra);
                    })));
        }
        for (String property : SampleBodies.topLevelProperties(operation)) {
            String type = SampleBodies.typeOf(operation, property);
            cases.add(DynamicTest.dynamicTest("wrong type for " + property + " (" + type + ") -> 400", () ->
                    SecurityReport.check("Wrong-typed field", () -> {
                        ObjectNode body = (ObjectNode) SampleBodies.plausible(operation);
                        body.set(property, SampleBodies.wrongTypeFor(type));
                        Response response = call(operation).token(allowedCaller(operation))
                                .body(SampleBodies.write(body)).send();
                        assertProblem(response, 400);
                    })));
            if (!type.equals("string")) {
                continue;
            }
            cases.add(DynamicTest.dynamicTest("huge string in " + property, () -> SecurityReport.check(
                    "Huge string in a field", () -> {
                        ObjectNode body = (ObjectNode) SampleBodies.plausible(operation);
                        body.put(property, HUGE_STRING);
                        Response response = call(operation).token(allowedCaller(operation))
                                .body(SampleBodies.write(body)).send();
                        assertHandled(response);
                        assertThat(response.statusCode()).as("a 20,000-character %s must be refused: %s", property,
                                abbreviated(response)).isGreaterThanOrEqualTo(400);
                    })));
            for (String payload : PAYLOADS.subList(0, 7)) {
                cases.add(DynamicTest.dynamicTest("field " + property + " = " + shortName(payload), () ->
                        SecurityReport.check("Injection string in a body field", () -> {
                            ObjectNode body = (ObjectNode) SampleBodies.plausible(operation);
                            body.put(property, payload);
                            assertHandled(call(operation).token(allowedCaller(operation))
                                    .body(SampleBodies.write(body)).send());
                        })));
            }
        }
        return cases;
    }

    private static String shortName(String payload) {
        String printable = payload.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 24 ? printable.substring(0, 24) + "…(" + payload.length() + ")" : printable;
    }
}
