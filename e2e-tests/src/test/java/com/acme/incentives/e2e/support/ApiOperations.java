package com.acme.incentives.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Every operation of the public API, read from the contract the e2e instance's gateway serves (GET
 * /api/v1/openapi.json: the services' OpenAPI documents merged at build time, each operation naming its service in
 * {@code x-service}), so that the generated security and hostile-input tests cover a new endpoint without anyone
 * writing a test for it, and test the document clients are given.
 */
public final class ApiOperations {

    /** The e2e instance's services and their ports (deploy/local/services.sh, INSTANCE=e2e); each serves its own part
     * of the contract at /q/openapi. */
    public static final Map<String, Integer> SERVICES = Map.of(
            "identity", 8111, "eligibility", 8112, "enrollment", 8113, "payout", 8114);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static List<ApiOperation> all;

    private ApiOperations() {
    }

    public record Parameter(String name, String in, boolean required, JsonNode schema) {
    }

    /**
     * One operation. {@code roles} are the roles of its security requirement (empty for {@code @Authenticated});
     * {@code secured} is false when the document declares no security requirement at all.
     */
    public record ApiOperation(String service, String method, String path, boolean secured, List<String> roles,
                               List<Parameter> parameters, JsonNode requestSchema, String requestMediaType,
                               JsonNode document) {

        public String name() {
            return method.toUpperCase() + " " + path;
        }

        public List<Parameter> pathParameters() {
            return parameters.stream().filter(p -> p.in().equals("path")).toList();
        }

        public List<Parameter> queryParameters() {
            return parameters.stream().filter(p -> p.in().equals("query")).toList();
        }

        public boolean hasJsonBody() {
            return requestSchema != null && requestMediaType != null && requestMediaType.contains("json");
        }

        public boolean isRead() {
            return method.equalsIgnoreCase("get");
        }

        /** Follows a {@code $ref} into the document's components. */
        public JsonNode resolve(JsonNode schema) {
            JsonNode current = schema;
            while (current != null && current.has("$ref")) {
                String ref = current.get("$ref").asText();
                current = document.at(ref.substring(1));
            }
            return current;
        }
    }

    public static synchronized List<ApiOperation> all() {
        if (all == null) {
            String body = Gateway.request(Gateway.URL).get("/api/v1/openapi.json").then().statusCode(200)
                    .extract().asString();
            List<ApiOperation> operations = new ArrayList<>(parse(body));
            operations.sort(java.util.Comparator.comparing(ApiOperation::service));
            all = List.copyOf(operations);
        }
        return all;
    }

    /** The operations of a contract document, each with the service its {@code x-service} names. */
    static List<ApiOperation> parse(String body) {
        try {
            JsonNode document = JSON.readTree(body);
            List<ApiOperation> operations = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
            while (paths.hasNext()) {
                Map.Entry<String, JsonNode> path = paths.next();
                Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
                while (methods.hasNext()) {
                    Map.Entry<String, JsonNode> method = methods.next();
                    if (!List.of("get", "post", "put", "patch", "delete").contains(method.getKey())) {
                        continue;
                    }
                    String service = method.getValue().path("x-service").asText("");
                    if (service.isEmpty()) {
                        throw new IllegalStateException(method.getKey() + " " + path.getKey()
                                + " names no service (x-service) in the gateway's contract");
                    }
                    operations.add(operation(service, path.getKey(), method.getKey(), method.getValue(),
                            path.getValue().path("parameters"), document));
                }
            }
            return operations;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("The gateway's OpenAPI document is not JSON", e);
        }
    }

    private static ApiOperation operation(String service, String path, String method, JsonNode node,
                                          JsonNode pathLevelParameters, JsonNode document) {
        JsonNode security = node.path("security");
        boolean secured = security.isArray() && !security.isEmpty();
        // The same roles are listed for each way of calling (bearer token, browser session): collected once.
        java.util.Set<String> roles = new java.util.LinkedHashSet<>();
        security.forEach(requirement -> requirement.fields()
                .forEachRemaining(scheme -> scheme.getValue().forEach(role -> roles.add(role.asText()))));
        List<Parameter> parameters = new ArrayList<>();
        node.path("parameters").forEach(raw -> {
            // Shared parameters (X-Correlation-Id, Idempotency-Key) are references into the components.
            JsonNode p = raw.has("$ref") ? document.at(raw.get("$ref").asText().substring(1)) : raw;
            parameters.add(new Parameter(p.path("name").asText(), p.path("in").asText(),
                    p.path("required").asBoolean(false), p.path("schema")));
        });
        // Parameters declared once for the whole path apply to every method; only the path's own placeholders count
        // (SmallRye sometimes lists a resource class's query parameters there too).
        pathLevelParameters.forEach(p -> {
            boolean declared = parameters.stream().anyMatch(q -> q.name().equals(p.path("name").asText()));
            if (!declared && p.path("in").asText().equals("path")) {
                parameters.add(new Parameter(p.path("name").asText(), "path", true, p.path("schema")));
            }
        });
        JsonNode schema = null;
        String mediaType = null;
        Iterator<Map.Entry<String, JsonNode>> content = node.path("requestBody").path("content").fields();
        if (content.hasNext()) {
            Map.Entry<String, JsonNode> first = content.next();
            mediaType = first.getKey();
            schema = first.getValue().path("schema");
        }
        return new ApiOperation(service, method, path, secured, List.copyOf(roles), List.copyOf(parameters), schema,
                mediaType, document);
    }
}
