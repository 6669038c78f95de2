package com.acme.incentives.e2e.security;

import com.acme.incentives.e2e.RunningPlatform;
import com.acme.incentives.e2e.contract.InvalidRequestsOnPurpose;
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
 * allowed to call the operation: malformed and wrong-typed bodies, missing and extra fields, repeated keys, content
 * after the JSON value, bodies without Content-Type or over the body limit, huge strings, injection strings in every
 * parameter, unknown query parameters, pages beyond reach, undeclared sort fields, and bearer tokens that are not the
 * realm's JWTs. Never a 5xx; every refusal is problem+json; a body with an extra field (mass assignment) is refused
 * whole, so it changes nothing. The contract check holds the answers to the API's document, never these requests,
 * which break it on purpose.
 */
@InvalidRequestsOnPurpose
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
        cases.addAll(requestCases(operation));
        if (operation.hasJsonBody()) {
            cases.addAll(bodyCases(operation));
        }
        return cases.stream();
    }

    /**
     * What the platform refuses on every operation whatever it does: a query parameter it does not take, a bearer
     * token that is not the realm's JWT, and on lists a page beyond reach or a sort field the list does not declare.
     */
    private static List<DynamicNode> requestCases(ApiOperation operation) {
        List<DynamicNode> cases = new ArrayList<>();
        cases.add(DynamicTest.dynamicTest("unknown query parameter -> 400 naming it", () -> SecurityReport.check(
                "Unknown query parameter", () -> {
                    Response response = call(operation).token(allowedCaller(operation))
                            .query("notAParameter", "1").send();
                    assertProblem(response, 400);
                    assertThat(response.jsonPath().getList("errors.field")).as("the problem names the parameter")
                            .contains("notAParameter");
                })));
        for (String token : List.of("opaque-token-not-a-jwt", "eyJhbGciOiJSUzI1NiIsImtpZCI6Im5vcGUifQ"
                + ".eyJzdWIiOiJ4IiwicmVhbG1fYWNjZXNzIjp7InJvbGVzIjpbIlBST0dSQU1fT1BFUkFUT1IiXX19.c2lnbmF0dXJl")) {
            cases.add(DynamicTest.dynamicTest("bearer token that is not the realm's JWT -> 401", () ->
                    SecurityReport.check("Forged or opaque bearer token", () -> assertProblem(
                            call(operation).token(token).send(), 401))));
        }
        List<String> queryNames = operation.queryParameters().stream().map(Parameter::name).toList();
        if (queryNames.contains("page")) {
            for (String[] paging : List.of(new String[] { "2147483647", "100" },
                    new String[] { "99999999999999999999", "20" }, new String[] { "-1", "20" },
                    new String[] { "0", "2147483648" })) {
                cases.add(DynamicTest.dynamicTest("page=" + paging[0] + "&size=" + paging[1] + " -> 400", () ->
                        SecurityReport.check("Page offset overflow", () -> assertProblem(
                                call(operation).token(allowedCaller(operation)).query("page", paging[0])
                                        .query("size", paging[1]).send(), 400))));
            }
        }
        if (queryNames.contains("sort")) {
            Parameter sort = operation.queryParameters().stream().filter(p -> p.name().equals("sort")).findFirst()
                    .orElseThrow();
            List<String> fields = new ArrayList<>();
            sort.schema().path("x-sort-fields").forEach(f -> fields.add(f.asText()));
            cases.add(DynamicTest.dynamicTest("sort by an undeclared field -> 400 naming the allowed ones", () ->
                    SecurityReport.check("Unknown sort field", () -> {
                        Response response = call(operation).token(allowedCaller(operation))
                                .query("sort", "password,desc").send();
                        assertProblem(response, 400);
                        assertThat(response.asString()).as("the problem lists the sortable fields")
                                .contains(fields.isEmpty() ? "sort" : fields.get(0));
                    })));
            for (String field : fields) {
                for (String direction : List.of("asc", "desc")) {
                    cases.add(DynamicTest.dynamicTest("sort=" + field + "," + direction, () -> SecurityReport.check(
                            "Sorting by a declared field", () -> {
                                Response response = call(operation).token(allowedCaller(operation))
                                        .query("sort", field + "," + direction).send();
                                assertHandled(response);
                                assertThat(response.statusCode()).as("sorting by a declared field: %s",
                                        abbreviated(response)).isNotEqualTo(400);
                            })));
                }
            }
        }
        return cases;
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
        cases.add(DynamicTest.dynamicTest("10.5 MB body -> 413", () -> SecurityReport.check("Body over the limit",
                () -> assertProblem(call(operation).token(allowedCaller(operation))
                        .body("{\"x\":\"" + "y".repeat(10_500_000) + "\"}").send(), 413))));
        cases.add(DynamicTest.dynamicTest("body without Content-Type -> 415", () -> SecurityReport.check(
                "Body without Content-Type", () -> assertProblem(call(operation).token(allowedCaller(operation))
                        .withoutContentType().send(), 415))));
        cases.add(DynamicTest.dynamicTest("content after the JSON value -> 400", () -> SecurityReport.check(
                "Trailing content after the JSON value", () -> {
                    String plausible = SampleBodies.write(SampleBodies.plausible(operation));
                    assertProblem(call(operation).token(allowedCaller(operation)).body(plausible + " " + plausible)
                            .send(), 400);
                })));
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
        cases.add(DynamicTest.dynamicTest("repeated key -> 400", () -> SecurityReport.check(
                "Repeated JSON key", () -> {
                    String plausible = SampleBodies.write(SampleBodies.plausible(operation));
                    String first = SampleBodies.topLevelProperties(operation).stream().findFirst().orElse("x");
                    // {"a": 1, ...} becomes {"a": "again", "a": 1, ...}: the same key twice in one object.
                    String repeated = "{\"" + first + "\": \"again\"," + plausible.substring(1);
                    Response response = call(operation).token(allowedCaller(operation)).body(repeated).send();
                    assertProblem(response, 400);
                })));
        if (!SampleBodies.topLevelProperties(operation).isEmpty()) {
            cases.add(DynamicTest.dynamicTest("every field wrong at once -> one 400 naming each", () ->
                    SecurityReport.check("Several invalid fields in one body", () -> {
                        ObjectNode body = (ObjectNode) SampleBodies.plausible(operation);
                        List<String> properties = List.copyOf(SampleBodies.topLevelProperties(operation));
                        for (String property : properties) {
                            body.set(property, SampleBodies.wrongTypeFor(SampleBodies.typeOf(operation, property)));
                        }
                        body.put("notAField", "x");
                        Response response = call(operation).token(allowedCaller(operation))
                                .body(SampleBodies.write(body)).send();
                        assertProblem(response, 400);
                        List<String> named = response.jsonPath().getList("errors.field");
                        assertThat(named).as("every invalid field is named in one answer: %s",
                                abbreviated(response)).contains("notAField");
                        for (String property : properties) {
                            assertThat(named).as("names %s: %s", property, abbreviated(response))
                                    .anyMatch(field -> field.equals(property) || field.startsWith(property + ".")
                                            || field.startsWith(property + "["));
                        }
                    })));
        }
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
