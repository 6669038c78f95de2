package com.acme.incentives.e2e.support;

import com.acme.incentives.e2e.support.ApiOperations.ApiOperation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Request bodies built from an operation's JSON schema: a plausible body (every property filled with a value of its
 * type and format) to start from, and the hostile variants derived from it. The plausible body need not pass the
 * service's business validation; the hostile variants must never get past it.
 */
public final class SampleBodies {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SampleBodies() {
    }

    /**
     * Values the services' validation accepts for well-known property names, so that a plausible body gets past
     * validation and the check under test (tenancy, for instance) is the one that answers.
     */
    private static final Map<String, String> HINTS = Map.ofEntries(
            Map.entry("country", "DE"), Map.entry("bankCountry", "DE"), Map.entry("currency", "EUR"),
            Map.entry("email", "@email"), Map.entry("partnerId", "@partner"), Map.entry("locations", "@partners"),
            Map.entry("programId", "csp-indirect-reseller"), Map.entry("period", "2026-10"),
            Map.entry("roles", "@roles"), Map.entry("iban", "DE89370400440532013000"),
            Map.entry("bic", "COBADEFFXXX"), Map.entry("taxId", "DE123456789"), Map.entry("firstName", "Sam"),
            Map.entry("lastName", "Sample"), Map.entry("name", "Sample name"));

    private static JsonNode hint(String name) {
        String value = HINTS.get(name);
        return switch (value) {
            case "@email" -> NODES.textNode("sample-" + UUID.randomUUID() + "@example.com");
            case "@partner" -> NODES.textNode(TenantFixture.get().partnerIdA);
            case "@partners" -> NODES.arrayNode().add(TenantFixture.get().partnerIdA);
            case "@roles" -> NODES.arrayNode().add("INCENTIVE_USER");
            default -> NODES.textNode(value);
        };
    }

    public static JsonNode plausible(ApiOperation operation) {
        return value(operation, operation.requestSchema(), 0);
    }

    /** The names of the top-level properties of an object body (empty for other bodies). */
    public static List<String> topLevelProperties(ApiOperation operation) {
        JsonNode schema = operation.resolve(operation.requestSchema());
        List<String> names = new ArrayList<>();
        if (schema != null) {
            schema.path("properties").fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    public static boolean isObjectBody(ApiOperation operation) {
        JsonNode schema = operation.resolve(operation.requestSchema());
        return schema != null && (schema.path("type").asText("object").equals("object") || schema.has("properties"));
    }

    public static String typeOf(ApiOperation operation, String property) {
        JsonNode schema = operation.resolve(operation.resolve(operation.requestSchema()).path("properties").path(property));
        if (schema == null) {
            return "string";
        }
        if (schema.has("properties")) {
            return "object";
        }
        return schema.path("type").asText("string");
    }

    /** A value of a type the property's schema does not allow (never coercible by Jackson into the right one). */
    public static JsonNode wrongTypeFor(String type) {
        return switch (type) {
            case "array" -> NODES.textNode("not-a-list");
            case "object" -> NODES.numberNode(42);
            default -> {
                ObjectNode object = NODES.objectNode();
                object.put("unexpected", "object");
                yield object;
            }
        };
    }

    private static JsonNode value(ApiOperation operation, JsonNode raw, int depth) {
        JsonNode schema = operation.resolve(raw);
        if (schema == null || schema.isMissingNode() || depth > 6) {
            return NODES.textNode("x");
        }
        if (schema.has("allOf")) {
            return value(operation, schema.get("allOf").get(0), depth + 1);
        }
        if (schema.has("oneOf") || schema.has("anyOf")) {
            return value(operation, (schema.has("oneOf") ? schema.get("oneOf") : schema.get("anyOf")).get(0),
                    depth + 1);
        }
        if (schema.has("enum")) {
            return schema.get("enum").get(0);
        }
        String type = schema.path("type").asText(schema.has("properties") ? "object" : "string");
        switch (type) {
            case "object": {
                ObjectNode object = NODES.objectNode();
                Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
                while (properties.hasNext()) {
                    Map.Entry<String, JsonNode> property = properties.next();
                    JsonNode hint = HINTS.containsKey(property.getKey()) ? hint(property.getKey()) : null;
                    object.set(property.getKey(), hint != null ? hint : value(operation, property.getValue(), depth + 1));
                }
                return object;
            }
            case "array": {
                ArrayNode array = NODES.arrayNode();
                array.add(value(operation, schema.path("items"), depth + 1));
                return array;
            }
            case "integer":
                return NODES.numberNode(1);
            case "number":
                return NODES.numberNode(1.5);
            case "boolean":
                return NODES.booleanNode(true);
            default:
                return NODES.textNode(sampleString(schema));
        }
    }

    private static String sampleString(JsonNode schema) {
        // A documented example of a string without a format is a valid value (money: "1250.00", which no generic
        // string would be); dates, times and UUIDs keep the values below.
        if (!schema.has("format") && schema.path("examples").isArray() && !schema.path("examples").isEmpty()
                && schema.path("examples").get(0).isTextual()) {
            return schema.path("examples").get(0).asText();
        }
        String format = schema.path("format").asText("");
        return switch (format) {
            case "date" -> "2026-10-01";
            case "date-time" -> "2026-10-01T10:00:00Z";
            case "uuid" -> UUID.randomUUID().toString();
            case "email" -> "sample-" + UUID.randomUUID() + "@example.com";
            case "uri", "url" -> "https://example.com/x";
            default -> schema.has("pattern") && schema.get("pattern").asText().contains("\\d{4}-\\d{2}")
                    ? "2026-10" : "sample";
        };
    }

    public static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
