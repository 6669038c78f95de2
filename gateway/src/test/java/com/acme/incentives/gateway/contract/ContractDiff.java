package com.acme.incentives.gateway.contract;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What changed between two versions of the contract, sorted by what it means for a client written against the old
 * one:
 * <ul>
 * <li><b>breaking</b>: a removed operation or success answer; a removed field (responses: a client reads it;
 * requests: JSON input is strict, so a client still sending it gets 400); a response field that may now be absent; a
 * removed enum value; a new required request field or parameter, or a body that became required; a narrowed request
 * type (another type or format, an enum where any value was taken, a lower maximum length or size, a higher minimum,
 * a new or other pattern), or a response type that now allows values it did not;</li>
 * <li><b>additive</b>: a new operation, optional parameter, field, enum value, answer or schema;</li>
 * <li><b>other</b>: anything else that differs (descriptions, examples, summaries).</li>
 * </ul>
 * Schemas are compared where they are used (request bodies and parameters as requests, 2xx bodies as responses),
 * following {@code $ref}s, so a component used on both sides is judged by both rules. A webhook's payload is what a
 * partner's receiver reads, so it is judged as a response: a removed webhook or payload field is breaking, a new one
 * additive.
 */
public final class ContractDiff {

    public record Report(List<String> breaking, List<String> additive, List<String> other) {

        public boolean identical() {
            return breaking.isEmpty() && additive.isEmpty() && other.isEmpty();
        }

        public String describe() {
            StringBuilder sb = new StringBuilder();
            section(sb, "Breaking changes", breaking);
            section(sb, "Additive changes", additive);
            section(sb, "Other changes", other);
            return sb.toString();
        }

        private static void section(StringBuilder sb, String title, List<String> lines) {
            sb.append(title).append(" (").append(lines.size()).append(")").append(lines.isEmpty() ? "\n" : ":\n");
            lines.forEach(line -> sb.append("  - ").append(line).append('\n'));
        }
    }

    private enum Side { REQUEST, RESPONSE }

    private final JsonNode oldDocument;
    private final JsonNode newDocument;
    private final Set<String> breaking = new LinkedHashSet<>();
    private final Set<String> additive = new LinkedHashSet<>();
    private final Set<String> other = new LinkedHashSet<>();
    private final Set<String> visited = new HashSet<>();

    private ContractDiff(JsonNode oldDocument, JsonNode newDocument) {
        this.oldDocument = oldDocument;
        this.newDocument = newDocument;
    }

    public static Report compare(JsonNode oldDocument, JsonNode newDocument) {
        ContractDiff diff = new ContractDiff(oldDocument, newDocument);
        diff.run();
        return new Report(List.copyOf(diff.breaking), List.copyOf(diff.additive), List.copyOf(diff.other));
    }

    private void run() {
        Map<String, JsonNode> before = ApiContractMerger.operations(oldDocument);
        Map<String, JsonNode> after = ApiContractMerger.operations(newDocument);
        for (String name : before.keySet()) {
            if (!after.containsKey(name)) {
                breaking.add("removed operation " + name + " (" + before.get(name).path("operationId").asText() + ")");
            }
        }
        for (String name : after.keySet()) {
            if (!before.containsKey(name)) {
                additive.add("new operation " + name + " (" + after.get(name).path("operationId").asText() + ")");
            } else {
                operation(name, before.get(name), after.get(name));
            }
        }
        Map<String, JsonNode> oldHooks = ApiContractMerger.webhooks(oldDocument);
        Map<String, JsonNode> newHooks = ApiContractMerger.webhooks(newDocument);
        oldHooks.keySet().stream().filter(name -> !newHooks.containsKey(name))
                .forEach(name -> breaking.add("removed webhook " + name));
        newHooks.forEach((name, post) -> {
            if (!oldHooks.containsKey(name)) {
                additive.add("new webhook " + name);
                return;
            }
            schema("webhook " + name + " payload",
                    resolve(oldDocument, oldHooks.get(name).path("requestBody")).path("content")
                            .path("application/json").path("schema"),
                    resolve(newDocument, post.path("requestBody")).path("content").path("application/json")
                            .path("schema"),
                    Side.RESPONSE);
        });
        Set<String> oldSchemas = names(oldDocument.path("components").path("schemas"));
        Set<String> newSchemas = names(newDocument.path("components").path("schemas"));
        newSchemas.stream().filter(n -> !oldSchemas.contains(n)).forEach(n -> additive.add("new schema " + n));
        oldSchemas.stream().filter(n -> !newSchemas.contains(n))
                .forEach(n -> other.add("schema " + n + " is no longer in the document"));
        if (breaking.isEmpty() && additive.isEmpty() && other.isEmpty()
                && !ApiContractMerger.canonical(oldDocument).equals(ApiContractMerger.canonical(newDocument))) {
            other.add("descriptions, examples or other documentation differ");
        }
    }

    private void operation(String name, JsonNode before, JsonNode after) {
        if (!Objects.equals(before.path("operationId").asText(), after.path("operationId").asText())) {
            breaking.add(name + ": operationId " + before.path("operationId").asText() + " became "
                    + after.path("operationId").asText() + " (generated clients rename the method)");
        }
        // Parameters, by where and name.
        Map<String, JsonNode> oldParameters = parameters(oldDocument, before);
        Map<String, JsonNode> newParameters = parameters(newDocument, after);
        newParameters.forEach((key, parameter) -> {
            JsonNode was = oldParameters.get(key);
            boolean required = parameter.path("required").asBoolean(false);
            if (was == null) {
                (required ? breaking : additive).add(name + ": new " + (required ? "required" : "optional")
                        + " parameter " + key);
            } else {
                if (required && !was.path("required").asBoolean(false)) {
                    breaking.add(name + ": parameter " + key + " became required");
                }
                schema(name + " parameter " + key, was.path("schema"), parameter.path("schema"), Side.REQUEST);
            }
        });
        oldParameters.keySet().stream().filter(key -> !newParameters.containsKey(key))
                .forEach(key -> other.add(name + ": parameter " + key + " removed (sent anyway, it is ignored)"));

        // Request body.
        JsonNode oldBody = resolve(oldDocument, before.path("requestBody"));
        JsonNode newBody = resolve(newDocument, after.path("requestBody"));
        if (!newBody.isMissingNode()) {
            if (newBody.path("required").asBoolean(false) && !oldBody.path("required").asBoolean(false)) {
                breaking.add(name + ": the request body became required");
            }
            newBody.path("content").fields().forEachRemaining(media -> {
                JsonNode was = oldBody.path("content").path(media.getKey());
                if (was.isMissingNode()) {
                    additive.add(name + ": accepts " + media.getKey());
                } else {
                    schema(name + " request", was.path("schema"), media.getValue().path("schema"), Side.REQUEST);
                }
            });
            oldBody.path("content").fieldNames().forEachRemaining(media -> {
                if (newBody.path("content").path(media).isMissingNode()) {
                    breaking.add(name + ": no longer accepts " + media);
                }
            });
        } else if (!oldBody.isMissingNode()) {
            breaking.add(name + ": no longer takes a request body");
        }

        // Answers.
        JsonNode oldResponses = before.path("responses");
        JsonNode newResponses = after.path("responses");
        oldResponses.fieldNames().forEachRemaining(status -> {
            if (newResponses.path(status).isMissingNode()) {
                (status.startsWith("2") ? breaking : other).add(name + ": no longer answers " + status);
            }
        });
        newResponses.fields().forEachRemaining(response -> {
            String status = response.getKey();
            JsonNode was = resolve(oldDocument, oldResponses.path(status));
            JsonNode now = resolve(newDocument, response.getValue());
            if (was.isMissingNode()) {
                additive.add(name + ": new answer " + status);
                return;
            }
            if (!status.startsWith("2")) {
                if (!ApiContractMerger.canonical(was).equals(ApiContractMerger.canonical(now))) {
                    other.add(name + ": answer " + status + " documented differently");
                }
                return;
            }
            was.path("content").fields().forEachRemaining(media -> {
                JsonNode nowMedia = now.path("content").path(media.getKey());
                if (nowMedia.isMissingNode()) {
                    breaking.add(name + ": " + status + " no longer answers " + media.getKey());
                } else {
                    schema(name + " " + status, media.getValue().path("schema"), nowMedia.path("schema"),
                            Side.RESPONSE);
                }
            });
            now.path("content").fieldNames().forEachRemaining(media -> {
                if (was.path("content").path(media).isMissingNode()) {
                    additive.add(name + ": " + status + " also answers " + media);
                }
            });
        });
    }

    /** Compares a schema as used on one side; {@code where} names the place for the report. */
    private void schema(String where, JsonNode oldRaw, JsonNode newRaw, Side side) {
        String oldRef = oldRaw.path("$ref").asText(null);
        String newRef = newRaw.path("$ref").asText(null);
        boolean component = oldRef != null && oldRef.equals(newRef);
        // One report per component and side, however many operations use it.
        if (component && !visited.add(side + " " + oldRef)) {
            return;
        }
        String label = component ? "schema " + oldRef.substring(oldRef.lastIndexOf('/') + 1) + " ("
                + side.name().toLowerCase() + ")" : where;
        JsonNode before = resolve(oldDocument, oldRaw);
        JsonNode after = resolve(newDocument, newRaw);
        if (before.isMissingNode() || after.isMissingNode()) {
            return;
        }

        Set<String> oldTypes = types(before);
        Set<String> newTypes = types(after);
        // A request may send less than before only if it is told so (narrowing breaks it); a response may promise
        // more precisely what it sends (narrowing is safe), but not send something else.
        if (!oldTypes.equals(newTypes) && !(oldTypes.isEmpty() && side == Side.RESPONSE)) {
            boolean safe = side == Side.REQUEST ? newTypes.isEmpty() || newTypes.containsAll(oldTypes)
                    : !newTypes.isEmpty() && oldTypes.containsAll(newTypes);
            (safe ? additive : breaking).add(label + ": type " + (oldTypes.isEmpty() ? "any" : oldTypes)
                    + " became " + (newTypes.isEmpty() ? "any" : newTypes));
        }
        String oldFormat = before.path("format").asText(null);
        String newFormat = after.path("format").asText(null);
        if (newFormat != null && !newFormat.equals(oldFormat)) {
            (side == Side.RESPONSE && oldFormat == null ? additive : breaking).add(label + ": format "
                    + (oldFormat == null ? "(none)" : oldFormat) + " became " + newFormat);
        } else if (oldFormat != null && newFormat == null) {
            other.add(label + ": format " + oldFormat + " dropped");
        }
        if (before.has("enum") || after.has("enum")) {
            Set<String> oldValues = values(before.path("enum"));
            Set<String> newValues = values(after.path("enum"));
            if (!after.has("enum")) {
                additive.add(label + ": any value allowed now, not only " + oldValues);
            } else if (!before.has("enum")) {
                (side == Side.REQUEST ? breaking : additive).add(label + ": only " + newValues
                        + (side == Side.REQUEST ? " allowed now" : " answered (documented as an enum now)"));
            } else {
                oldValues.stream().filter(v -> !newValues.contains(v))
                        .forEach(v -> breaking.add(label + ": enum value " + v + " removed"));
                newValues.stream().filter(v -> !oldValues.contains(v))
                        .forEach(v -> additive.add(label + ": new enum value " + v));
            }
        }
        if (side == Side.REQUEST) {
            narrowed(label, before, after, "maxLength", true);
            narrowed(label, before, after, "maxItems", true);
            narrowed(label, before, after, "maximum", true);
            narrowed(label, before, after, "minLength", false);
            narrowed(label, before, after, "minItems", false);
            narrowed(label, before, after, "minimum", false);
            String oldPattern = before.path("pattern").asText(null);
            String newPattern = after.path("pattern").asText(null);
            if (newPattern != null && !newPattern.equals(oldPattern)) {
                breaking.add(label + ": pattern " + (oldPattern == null ? "(none)" : oldPattern) + " became "
                        + newPattern);
            }
        }

        Set<String> oldRequired = values(before.path("required"));
        Set<String> newRequired = values(after.path("required"));
        Set<String> oldProperties = names(before.path("properties"));
        Set<String> newProperties = names(after.path("properties"));
        for (String property : oldProperties) {
            if (!newProperties.contains(property)) {
                breaking.add(label + ": " + (side == Side.RESPONSE ? "response" : "request") + " field " + property
                        + " removed");
            }
        }
        for (String property : newProperties) {
            boolean required = newRequired.contains(property);
            if (!oldProperties.contains(property)) {
                if (side == Side.REQUEST && required) {
                    breaking.add(label + ": new required request field " + property);
                } else {
                    additive.add(label + ": new " + (side == Side.RESPONSE ? "response" : "optional request")
                            + " field " + property);
                }
                continue;
            }
            if (side == Side.REQUEST && required && !oldRequired.contains(property)) {
                breaking.add(label + ": request field " + property + " became required");
            }
            if (side == Side.RESPONSE && !required && oldRequired.contains(property)) {
                breaking.add(label + ": response field " + property + " may now be absent");
            }
            schema(label + "." + property, before.path("properties").path(property),
                    after.path("properties").path(property), side);
        }
        if (before.has("items") && after.has("items")) {
            schema(label + "[]", before.path("items"), after.path("items"), side);
        }
        if (before.path("additionalProperties").isObject() && after.path("additionalProperties").isObject()) {
            schema(label + "{}", before.path("additionalProperties"), after.path("additionalProperties"), side);
        }
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            JsonNode a = before.path(combinator);
            JsonNode b = after.path(combinator);
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                schema(label + " " + combinator + "[" + i + "]", a.get(i), b.get(i), side);
            }
        }
    }

    /** A limit added, or moved to exclude values it allowed: {@code upper} for maxima. */
    private void narrowed(String label, JsonNode before, JsonNode after, String keyword, boolean upper) {
        if (!after.has(keyword)) {
            return;
        }
        double now = after.get(keyword).asDouble();
        if (!before.has(keyword)) {
            breaking.add(label + ": new limit " + keyword + " " + after.get(keyword).asText());
            return;
        }
        double was = before.get(keyword).asDouble();
        if (upper ? now < was : now > was) {
            breaking.add(label + ": " + keyword + " " + before.get(keyword).asText() + " became "
                    + after.get(keyword).asText());
        }
    }

    private static Set<String> types(JsonNode schema) {
        Set<String> types = new TreeSet<>();
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        } else if (type.isTextual()) {
            types.add(type.asText());
        }
        return types;
    }

    private static Set<String> values(JsonNode array) {
        Set<String> values = new TreeSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Map<String, JsonNode> parameters(JsonNode document, JsonNode operation) {
        Map<String, JsonNode> parameters = new java.util.TreeMap<>();
        List<JsonNode> all = new ArrayList<>();
        operation.path("parameters").forEach(all::add);
        for (JsonNode raw : all) {
            JsonNode parameter = resolve(document, raw);
            parameters.put(parameter.path("in").asText() + " " + parameter.path("name").asText(), parameter);
        }
        return parameters;
    }

    /** Follows {@code $ref}s inside the same document. */
    static JsonNode resolve(JsonNode document, JsonNode node) {
        JsonNode current = node;
        int hops = 0;
        while (current != null && current.has("$ref") && hops++ < 20) {
            String ref = current.get("$ref").asText();
            if (!ref.startsWith("#")) {
                break;
            }
            current = document.at(ref.substring(1));
        }
        return current == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : current;
    }
}
