package com.acme.incentives.platform.testing;

import com.acme.incentives.platform.security.Capabilities;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules every operation's OpenAPI description follows (docs/conventions.md, "REST"), checked on a service's live
 * document ({@code /q/openapi}) by each service's OpenApiDocumentTest: an explicit camelCase operationId, a security
 * requirement, a schema on each success answer (but 204), and the Problem schema in application/problem+json on every
 * refusal; and roles that agree with GET /me: an operation open to an organization's members names its
 * capabilities ({@code x-capabilities}), and the organization roles of its {@code @RolesAllowed} ({@code x-roles}) are
 * exactly those that {@link Capabilities#BY_ROLE} (the table /me answers from) gives one of them. The gateway's build
 * checks the same of the merged contract, and that operationIds are unique across services.
 */
public final class OpenApiRules {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    private OpenApiRules() {
    }

    /** Reads the running service's document and fails with every broken rule listed. */
    public static void assertFollowed() {
        String body = RestAssured.given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString();
        JsonNode document;
        try {
            document = new ObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(document.path("paths").size()).as("operations in the document").isPositive();
        assertThat(violations(document)).as("OpenAPI rules (docs/conventions.md, \"REST\")").isEmpty();
    }

    public static List<String> violations(JsonNode document) {
        List<String> problems = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(entry -> {
            if (!METHODS.contains(entry.getKey())) {
                return;
            }
            String name = entry.getKey().toUpperCase() + " " + path.getKey();
            JsonNode operation = entry.getValue();
            if (!operation.path("operationId").asText("").matches("[a-z][A-Za-z0-9]*")) {
                problems.add(name + ": no explicit camelCase operationId");
            }
            if (operation.path("security").isEmpty()) {
                problems.add(name + ": no security requirement");
            }
            boolean success = false;
            var responses = operation.path("responses").fields();
            while (responses.hasNext()) {
                var response = responses.next();
                String status = response.getKey();
                JsonNode content = response.getValue().path("content");
                if (status.startsWith("2")) {
                    success = true;
                    if (!status.equals("204") && (content.isEmpty() || hasEmptySchema(content))) {
                        problems.add(name + ": " + status + " without a body schema");
                    }
                } else if (!content.path("application/problem+json").path("schema").path("$ref").asText()
                        .equals("#/components/schemas/Problem")) {
                    problems.add(name + ": " + status + " is not a Problem in application/problem+json");
                }
            }
            if (!success) {
                problems.add(name + ": no success answer");
            }
            problems.addAll(capabilityViolations(name, operation));
        }));
        return problems;
    }

    /**
     * Whether the operation's organization roles are the ones GET /me's table gives its capabilities: a role /me
     * promises it but the service refuses (or the reverse) is named. An operation open to no organization role
     * (operators', machine clients', or {@code @Authenticated} ones) declares no capability.
     */
    public static List<String> capabilityViolations(String name, JsonNode operation) {
        List<String> problems = new ArrayList<>();
        Set<String> allowed = new TreeSet<>();
        operation.path("x-roles").forEach(role -> allowed.add(role.asText()));
        allowed.retainAll(Capabilities.ORGANIZATION_ROLES);
        JsonNode declared = operation.path(Capabilities.EXTENSION);
        if (declared.isMissingNode()) {
            if (!allowed.isEmpty()) {
                problems.add(name + ": open to " + allowed + " but names no " + Capabilities.EXTENSION
                        + " (@Operation(extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,"
                        + " value = Capabilities.REQUIRES_...)))");
            }
            return problems;
        }
        if (!declared.isArray() || declared.isEmpty()) {
            problems.add(name + ": " + Capabilities.EXTENSION + " is not a non-empty JSON array");
            return problems;
        }
        Set<String> capabilities = new TreeSet<>();
        declared.forEach(capability -> capabilities.add(capability.asText()));
        Set<String> known = new TreeSet<>();
        Capabilities.BY_ROLE.values().forEach(known::addAll);
        for (String capability : capabilities) {
            if (!known.contains(capability)) {
                problems.add(name + ": capability " + capability + " is no role's in GET /me's table");
            }
        }
        Set<String> promised = Capabilities.organizationRolesWithAny(capabilities);
        if (!promised.equals(allowed)) {
            Set<String> refused = new TreeSet<>(promised);
            refused.removeAll(allowed);
            Set<String> unannounced = new TreeSet<>(allowed);
            unannounced.removeAll(promised);
            problems.add(name + ": GET /me gives " + capabilities + " to " + promised + ", but @RolesAllowed lets in "
                    + allowed + (refused.isEmpty() ? "" : "; refused although /me allows: " + refused)
                    + (unannounced.isEmpty() ? "" : "; allowed although /me does not say so: " + unannounced));
        }
        return problems;
    }

    private static boolean hasEmptySchema(JsonNode content) {
        for (JsonNode media : content) {
            if (media.path("schema").isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
