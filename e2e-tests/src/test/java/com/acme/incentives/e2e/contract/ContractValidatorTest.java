package com.acme.incentives.e2e.contract;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract check itself, against the committed docs/openapi.json with hand-built exchanges: no platform, no
 * network. The one test class of this module that runs without the running platform (it never calls
 * RunningPlatform), so {@code -Dtest=ContractValidatorTest} runs it alone.
 */
class ContractValidatorTest {

    private static final String ORG = "3f1c2b8e-7d0a-4c55-9a51-0c1f3f7f1a2b";
    private static final String ME = "{\"subject\":\"s-1\",\"roles\":[\"INCENTIVE_ADMIN\"],\"locations\":[],"
            + "\"actions\":[\"users:manage\"],\"organizationId\":\"" + ORG + "\"}";
    private static final String PROBLEM = "{\"type\":\"/problems/not-found\",\"title\":\"Not found\",\"status\":404}";
    private static final String REGISTERED = "{\"id\":\"" + ORG + "\",\"name\":\"Fabrikam\","
            + "\"primaryContact\":{\"email\":\"pat@fabrikam.example\",\"firstName\":\"Pat\",\"lastName\":\"Doe\"},"
            + "\"createdAt\":\"2026-12-02T12:00:00Z\",\"temporaryPassword\":\"x\",\"primaryContactUser\":{"
            + "\"id\":\"" + UUID.randomUUID() + "\",\"organizationId\":\"" + ORG + "\",\"email\":\"pat@fabrikam.example\","
            + "\"firstName\":\"Pat\",\"lastName\":\"Doe\",\"roles\":[\"GLOBAL_ADMIN\"],\"locations\":[],"
            + "\"status\":\"PENDING_ACTIVATION\",\"createdAt\":\"2026-12-02T12:00:00Z\"}}";
    private static final String REGISTER = "{\"name\":\"Fabrikam\",\"primaryContact\":{\"email\":\"pat@fabrikam.example\","
            + "\"firstName\":\"Pat\",\"lastName\":\"Doe\"}}";

    private static ContractValidator validator;

    @BeforeAll
    static void committedDocument() {
        validator = ContractValidator.fromFile(ContractCheck.committedDocument(Path.of("").toAbsolutePath()));
    }

    private static Exchange get(String path, int status, String type, String body, Map<String, String> headers) {
        return exchange("GET", path, null, null, status, type, body, headers);
    }

    private static Exchange exchange(String method, String path, String requestType, String requestBody, int status,
                                     String type, String body, Map<String, String> headers) {
        Map<String, List<String>> responseHeaders = new java.util.HashMap<>();
        headers.forEach((name, value) -> responseHeaders.put(name, List.of(value)));
        if (type != null) {
            responseHeaders.put("Content-Type", List.of(type));
        }
        return new Exchange(method, path, requestType, requestBody, status, responseHeaders, body, false);
    }

    private static List<String> violations(Exchange exchange) {
        return validator.check(exchange).violations();
    }

    @Test
    void aDocumentedOkWithAValidBodyPasses() {
        ContractValidator.Result result = validator.check(get("/api/v1/me", 200, "application/json;charset=UTF-8", ME,
                Map.of("X-Correlation-Id", "abc")));
        assertThat(result.violations()).isEmpty();
        assertThat(result.operation()).isEqualTo("GET /api/v1/me");
    }

    @Test
    void aDocumentedCreatedWithLocationAndAValidRequestPasses() {
        assertThat(violations(exchange("POST", "/api/v1/organizations", "application/json", REGISTER, 201,
                "application/json", REGISTERED, Map.of("Location", "/api/v1/organizations/" + ORG)))).isEmpty();
    }

    @Test
    void aPathParameterMatchesItsTemplateAndAQueryIsIgnored() {
        ContractValidator.Result result = validator.check(get("/api/v1/organizations/" + ORG + "/locations?page=0",
                404, "application/problem+json", PROBLEM, Map.of()));
        assertThat(result.operation()).isEqualTo("GET /api/v1/organizations/{orgId}/locations");
        assertThat(result.violations()).isEmpty();
    }

    @Test
    void anUndocumentedStatusIsReported() {
        // registerOrganization declares 201, not 200; a default covers errors only.
        assertThat(violations(exchange("POST", "/api/v1/organizations", "application/json", REGISTER, 200,
                "application/json", REGISTERED, Map.of("Location", "/x"))))
                .singleElement().asString().contains("status 200 is not declared");
    }

    @Test
    void anErrorNotDeclaredByItsStatusIsCoveredByTheDefaultAsAProblem() {
        assertThat(violations(get("/api/v1/me", 405, "application/problem+json",
                "{\"type\":\"/problems/method-not-allowed\",\"title\":\"Method not allowed\",\"status\":405}",
                Map.of()))).isEmpty();
        assertThat(violations(get("/api/v1/me", 500, "text/html", "<h1>oops</h1>", Map.of())))
                .anySatisfy(v -> assertThat(v).contains("media type text/html is not declared"));
    }

    @Test
    void aWrongMediaTypeIsReported() {
        assertThat(violations(get("/api/v1/me", 200, "text/html", "<html></html>", Map.of())))
                .singleElement().asString().contains("media type text/html is not declared for 200");
        assertThat(violations(get("/api/v1/me", 404, "application/json", PROBLEM, Map.of())))
                .anySatisfy(v -> assertThat(v).contains("media type application/json is not declared for 404"));
    }

    @Test
    void aBodyMissingARequiredFieldIsReported() {
        String withoutRoles = ME.replace("\"roles\":[\"INCENTIVE_ADMIN\"],", "");
        assertThat(violations(get("/api/v1/me", 200, "application/json", withoutRoles, Map.of())))
                .singleElement().asString().contains("response body does not match its schema").contains("roles");
    }

    @Test
    void aWrongEnumValueIsReported() {
        String king = REGISTERED.replace("\"GLOBAL_ADMIN\"", "\"KING\"");
        assertThat(violations(exchange("POST", "/api/v1/organizations", "application/json", REGISTER, 201,
                "application/json", king, Map.of("Location", "/api/v1/organizations/" + ORG))))
                .singleElement().asString().contains("response body does not match its schema").contains("enum");
    }

    @Test
    void aWrongFormatOrTypeIsReported() {
        assertThat(violations(get("/api/v1/me", 200, "application/json", ME.replace(ORG, "not-a-uuid"), Map.of())))
                .singleElement().asString().contains("organizationId");
        assertThat(violations(get("/api/v1/me", 200, "application/json", ME.replace("\"" + ORG + "\"", "null"),
                Map.of()))).singleElement().asString().contains("organizationId");
    }

    @Test
    void anUnknownPathOrMethodIsReported() {
        assertThat(violations(get("/api/v1/no-such-thing", 404, "application/problem+json", PROBLEM, Map.of())))
                .singleElement().asString().contains("no path of the document matches /api/v1/no-such-thing");
        assertThat(violations(exchange("DELETE", "/api/v1/me", null, null, 405, "application/problem+json",
                PROBLEM, Map.of()))).singleElement().asString().contains("DELETE is not an operation of /api/v1/me");
    }

    @Test
    void aCreatedWithoutLocationIsReported() {
        assertThat(violations(exchange("POST", "/api/v1/organizations", "application/json", REGISTER, 201,
                "application/json", REGISTERED, Map.of())))
                .singleElement().asString().contains("required header Location is missing on the 201");
    }

    @Test
    void aDeclaredHeaderIsValidatedAgainstItsSchema() {
        assertThat(violations(get("/api/v1/me", 429, "application/problem+json",
                "{\"type\":\"/problems/too-many-requests\",\"title\":\"Too many\",\"status\":429}",
                Map.of("Retry-After", "soon")))).singleElement().asString().contains("header Retry-After");
    }

    @Test
    void anInvalidRequestBodyOfASuccessIsReported() {
        assertThat(violations(exchange("POST", "/api/v1/organizations", "application/json",
                "{\"name\":\"Fabrikam\"}", 201, "application/json", REGISTERED,
                Map.of("Location", "/api/v1/organizations/" + ORG))))
                .singleElement().asString().contains("request body does not match its schema")
                .contains("primaryContact");
    }

    @Test
    void aRequestRefusedOrInvalidOnPurposeIsJudgedByItsResponseOnly() {
        String refused = "{\"type\":\"/problems/validation-failed\",\"title\":\"Validation failed\",\"status\":400}";
        // Refused: the invalid request is what the test meant; the refusal is documented.
        assertThat(violations(exchange("POST", "/api/v1/organizations", "application/json", "[]", 400,
                "application/problem+json", refused, Map.of()))).isEmpty();
        // Hostile input the service accepted: its request is not held to the schema...
        assertThat(violations(exchange("POST", "/api/v1/organizations", "application/json", "{\"name\":\"x\"}", 201,
                "application/json", REGISTERED, Map.of("Location", "/x")).asInvalidOnPurpose())).isEmpty();
        // ... a hostile request to no operation must still be refused as a problem ...
        assertThat(violations(exchange("PATCH", "/api/v1/me", null, null, 405, "application/problem+json",
                PROBLEM, Map.of()).asInvalidOnPurpose())).isEmpty();
        // ... and its answer is checked like any other.
        assertThat(violations(exchange("POST", "/api/v1/organizations", "application/json", "[]", 400,
                "text/plain", "bad", Map.of()).asInvalidOnPurpose())).isNotEmpty();
    }

    @Test
    void pathsOutsideTheApiAreNotPartOfTheContract() {
        assertThat(ContractValidator.notApi("/login")).isPresent();
        assertThat(ContractValidator.notApi("/q/health/ready")).isPresent();
        assertThat(ContractValidator.notApi("/")).isPresent();
        assertThat(ContractValidator.notApi("/api/v1/openapi.json")).isPresent();
        assertThat(ContractValidator.notApi("/api/v1/docs/index.html")).isPresent();
        assertThat(ContractValidator.notApi("/api/v1/me")).isEmpty();
        assertThat(ContractValidator.notApi("/api/v1/no-such-thing?x=1")).isEmpty();
    }

    @Test
    void theDocumentsOperationsAreAllKnown() {
        assertThat(validator.operations()).contains("POST /api/v1/organizations", "GET /api/v1/me")
                .hasSizeGreaterThan(40);
    }

    private static final Map<String, String> WEBHOOK_HEADERS = Map.of(
            "webhook-id", "msg_" + UUID.randomUUID(), "webhook-timestamp", "1796212800",
            "webhook-signature", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=");
    private static final String PAYMENT_SENT = "{\"type\":\"payment.sent\",\"timestamp\":\"2026-12-02T12:00:00Z\","
            + "\"data\":{\"paymentId\":\"" + UUID.randomUUID() + "\",\"organizationId\":\"" + ORG + "\","
            + "\"partnerId\":\"1234567\",\"amount\":\"1250.00\",\"currency\":\"USD\","
            + "\"sentAt\":\"2026-12-02T12:00:00Z\",\"bankReference\":null,\"somethingNew\":1}}";

    @Test
    void aWebhookWithItsHeadersAndAPayloadOfItsSchemaPasses() {
        ContractValidator.Result result = validator.checkWebhook(WEBHOOK_HEADERS, PAYMENT_SENT);
        assertThat(result.violations()).isEmpty();
        assertThat(result.operation()).isEqualTo("WEBHOOK payment.sent");
    }

    @Test
    void aWebhookPayloadThatDriftedOrAMissingHeaderIsUndocumented() {
        assertThat(validator.checkWebhook(WEBHOOK_HEADERS, PAYMENT_SENT.replace("\"1250.00\"", "1250.0")).violations())
                .singleElement().asString().startsWith("webhook body does not match its schema").contains("amount");
        assertThat(validator.checkWebhook(WEBHOOK_HEADERS,
                PAYMENT_SENT.replace("\"partnerId\":\"1234567\",", "")).violations())
                .singleElement().asString().contains("partnerId");
        assertThat(validator.checkWebhook(Map.of("webhook-id", "msg_x"), PAYMENT_SENT).violations())
                .containsExactly("header webhook-id (msg_x) does not match ^msg_[0-9a-f-]{36}$",
                        "required header webhook-timestamp is missing", "required header webhook-signature is missing");
        assertThat(validator.checkWebhook(WEBHOOK_HEADERS, PAYMENT_SENT.replace("payment.sent", "payment.lost"))
                .violations()).singleElement().asString().startsWith("no webhook payment.lost in the document");
    }
}
