package com.acme.incentives.platform.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules every operation's OpenAPI description follows (docs/conventions.md, "REST"), checked on a service's live
 * document ({@code /q/openapi}) by each service's OpenApiDocumentTest: an explicit camelCase operationId, a security
 * requirement, a schema on each success answer (but 204), and the Problem schema in application/problem+json on every
 * refusal. The gateway's build checks the same of the merged contract, and that operationIds are unique across
 * services.
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
        }));
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
