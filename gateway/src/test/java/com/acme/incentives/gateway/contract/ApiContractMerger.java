package com.acme.incentives.gateway.contract;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Makes the one public API contract of the gateway out of the four services' OpenAPI documents, in the gateway's
 * build (test scope, like deploy's RealmImport: exec-maven-plugin runs {@link #main} in process-test-classes, before
 * the tests and the packaging). Each service's build wrote its document to {@code <service>/target/openapi/}; this
 * unites paths, webhooks (the requests the platform sends to partners' endpoints: enrollment-service's), components
 * and tags, refuses what would make the union ambiguous (a path and method, a webhook, an operationId or a component
 * name that two services both define differently) or incomplete (an operation without an operationId, a success
 * answer without a schema, a refusal not in the Problem shape, a webhook without its payload's schema), sets the
 * servers to the gateway's own origin
 * ({@code /}), and writes {@code openapi.json} and {@code openapi.yaml} into the gateway's classes
 * ({@code api-contract/}), from which {@code ApiContractRoutes} serves them: the gateway needs no service to start.
 *
 * <p>Keys are sorted at every level and the JSON is pretty-printed, so the document is byte-for-byte the same for the
 * same services, and {@code docs/openapi.json} (its committed copy) diffs line by line.
 */
public final class ApiContractMerger {

    public static final List<String> SERVICES = List.of("identity", "eligibility", "enrollment", "payout");
    public static final String TITLE = "Partner Incentives Platform API";
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ApiContractMerger() {
    }

    /** A document that cannot be made: every reason, so one build shows all of them. */
    public static final class ContractException extends RuntimeException {
        private final List<String> problems;

        ContractException(List<String> problems) {
            super("The services' OpenAPI documents cannot make one contract:\n  - " + String.join("\n  - ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    /** Merges the documents (service name to document, in the given order) into the gateway's contract. */
    public static ObjectNode merge(Map<String, JsonNode> documents) {
        List<String> problems = new ArrayList<>();
        ObjectNode paths = NODES.objectNode();
        ObjectNode webhooks = NODES.objectNode();
        Map<String, String> pathOwner = new TreeMap<>();
        Map<String, String> operationIds = new TreeMap<>();
        Map<String, ObjectNode> components = new TreeMap<>();
        Map<String, String> componentOwner = new TreeMap<>();
        Map<String, ObjectNode> tags = new LinkedHashMap<>();
        String version = null;

        for (Map.Entry<String, JsonNode> entry : documents.entrySet()) {
            String service = entry.getKey();
            JsonNode document = entry.getValue();
            if (!document.path("openapi").asText().startsWith("3.1")) {
                problems.add(service + ": OpenAPI " + document.path("openapi").asText() + ", expected 3.1.x");
            }
            String serviceVersion = document.path("info").path("version").asText(null);
            if (version == null) {
                version = serviceVersion;
            } else if (serviceVersion != null && !serviceVersion.equals(version)) {
                problems.add(service + ": info.version " + serviceVersion + " differs from the others' " + version);
            }
            document.path("tags").forEach(tag -> tags.putIfAbsent(tag.path("name").asText(), (ObjectNode) tag));

            Iterator<Map.Entry<String, JsonNode>> pathItems = document.path("paths").fields();
            while (pathItems.hasNext()) {
                Map.Entry<String, JsonNode> pathItem = pathItems.next();
                String path = pathItem.getKey();
                ObjectNode merged = paths.has(path) ? (ObjectNode) paths.get(path) : paths.putObject(path);
                Iterator<Map.Entry<String, JsonNode>> fields = pathItem.getValue().fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    String key = field.getKey();
                    if (!METHODS.contains(key)) {
                        if (merged.has(key) && !merged.get(key).equals(field.getValue())) {
                            problems.add(service + ": " + path + " declares " + key + " unlike "
                                    + pathOwner.get(path + " " + key));
                        }
                        merged.set(key, field.getValue());
                        pathOwner.putIfAbsent(path + " " + key, service);
                        continue;
                    }
                    String name = key.toUpperCase() + " " + path;
                    String owner = pathOwner.putIfAbsent(name, service);
                    if (owner != null) {
                        problems.add(name + " is defined by both " + owner + " and " + service);
                        continue;
                    }
                    ObjectNode operation = ((ObjectNode) field.getValue()).deepCopy();
                    operation.put("x-service", service);
                    merged.set(key, operation);
                    checkOperation(service, name, operation, document, problems);
                    String id = operation.path("operationId").asText("");
                    if (!id.isEmpty()) {
                        String other = operationIds.putIfAbsent(id, service + " " + name);
                        if (other != null) {
                            problems.add("operationId " + id + " is used by " + other + " and by " + service + " "
                                    + name);
                        }
                    }
                }
            }

            Iterator<Map.Entry<String, JsonNode>> hooks = document.path("webhooks").fields();
            while (hooks.hasNext()) {
                Map.Entry<String, JsonNode> hook = hooks.next();
                String name = "webhook " + hook.getKey();
                String owner = pathOwner.putIfAbsent(name, service);
                if (owner != null) {
                    problems.add(name + " is defined by both " + owner + " and " + service);
                    continue;
                }
                ObjectNode pathItem = ((ObjectNode) hook.getValue()).deepCopy();
                pathItem.fields().forEachRemaining(field -> {
                    if (METHODS.contains(field.getKey()) && field.getValue().isObject()) {
                        ((ObjectNode) field.getValue()).put("x-service", service);
                    }
                });
                webhooks.set(hook.getKey(), pathItem);
                checkWebhook(service, name, pathItem, problems);
                pathItem.fields().forEachRemaining(field -> {
                    String id = field.getValue().path("operationId").asText("");
                    if (METHODS.contains(field.getKey()) && !id.isEmpty()) {
                        String other = operationIds.putIfAbsent(id, service + " " + name);
                        if (other != null) {
                            problems.add("operationId " + id + " is used by " + other + " and by " + service + " "
                                    + name);
                        }
                    }
                });
            }

            Iterator<Map.Entry<String, JsonNode>> kinds = document.path("components").fields();
            while (kinds.hasNext()) {
                Map.Entry<String, JsonNode> kind = kinds.next();
                ObjectNode target = components.computeIfAbsent(kind.getKey(), k -> NODES.objectNode());
                Iterator<Map.Entry<String, JsonNode>> named = kind.getValue().fields();
                while (named.hasNext()) {
                    Map.Entry<String, JsonNode> component = named.next();
                    String key = kind.getKey() + "/" + component.getKey();
                    if (target.has(component.getKey())) {
                        if (!canonical(target.get(component.getKey())).equals(canonical(component.getValue()))) {
                            problems.add("components/" + key + " has one shape in " + componentOwner.get(key)
                                    + " and another in " + service + ": give one of them another name"
                                    + " (@Schema(name = \"...\"))");
                        }
                    } else {
                        target.set(component.getKey(), component.getValue());
                        componentOwner.put(key, service);
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ContractException(problems);
        }

        ObjectNode contract = NODES.objectNode();
        contract.put("openapi", "3.1.0");
        ObjectNode info = contract.putObject("info");
        info.put("title", TITLE);
        info.put("version", version == null ? "1.0.0" : version);
        info.put("description", "The public API of the partner incentives platform, as the gateway serves it:"
                + " every operation of identity, eligibility, enrollment and payout under `/api/v1`. Errors are"
                + " `application/problem+json` (schema `Problem`). Sign in with a bearer token (systems: OAuth2"
                + " client credentials) or the gateway's browser session (`/login`; writes send `X-XSRF-TOKEN`)."
                + " Each operation's `x-service` names the service that owns it, `x-roles` the roles it needs."
                + " `webhooks` are the signed requests the platform sends to an organization's registered endpoints"
                + " (Standard Webhooks; `/organizations/{orgId}/webhook-endpoints`), one per event type.");
        ArrayNode servers = contract.putArray("servers");
        servers.addObject().put("url", "/").put("description", "The gateway (its own origin)");
        ArrayNode tagList = contract.putArray("tags");
        tags.values().forEach(tagList::add);
        contract.set("paths", paths);
        if (!webhooks.isEmpty()) {
            contract.set("webhooks", webhooks);
        }
        ObjectNode componentNode = contract.putObject("components");
        components.forEach(componentNode::set);
        return (ObjectNode) canonical(contract);
    }

    /**
     * The rules every operation follows (docs/conventions.md, "REST"): an explicit operationId; each 2xx other than
     * 204 has a schema; each 4xx/5xx and {@code default} answer is a Problem in {@code application/problem+json}.
     */
    static void checkOperation(String service, String name, JsonNode operation, JsonNode document,
            List<String> problems) {
        String where = service + ": " + name;
        if (operation.path("operationId").asText("").isEmpty()) {
            problems.add(where + " has no operationId (@Operation(operationId = \"...\"))");
        }
        if (!operation.path("security").isArray() || operation.path("security").isEmpty()) {
            problems.add(where + " declares no security (@RolesAllowed or @Authenticated)");
        }
        Iterator<Map.Entry<String, JsonNode>> responses = operation.path("responses").fields();
        boolean success = false;
        while (responses.hasNext()) {
            Map.Entry<String, JsonNode> response = responses.next();
            String status = response.getKey();
            JsonNode content = response.getValue().path("content");
            if (status.startsWith("2")) {
                success = true;
                if (status.equals("204")) {
                    continue;
                }
                if (content.isEmpty()) {
                    problems.add(where + " answers " + status + " without a body schema");
                }
                content.fields().forEachRemaining(media -> {
                    JsonNode schema = media.getValue().path("schema");
                    if (schema.isMissingNode() || schema.isEmpty()) {
                        problems.add(where + " answers " + status + " " + media.getKey() + " with an empty schema"
                                + " (@APIResponse(content = @Content(schema = @Schema(implementation = ...))))");
                    }
                });
            } else if (status.startsWith("4") || status.startsWith("5") || status.equals("default")) {
                JsonNode schema = content.path("application/problem+json").path("schema");
                if (!schema.path("$ref").asText().equals("#/components/schemas/Problem")) {
                    problems.add(where + " answers " + status + " without the Problem schema in"
                            + " application/problem+json");
                }
            }
        }
        if (!success) {
            problems.add(where + " declares no success answer");
        }
    }

    /**
     * A webhook is a request the platform makes, so the rules are the receiver's view of it: one {@code post} with an
     * operationId (a generated receiver's method), a required JSON body with a schema (the payload a receiver parses)
     * and the 2xx answer that acknowledges it.
     */
    static void checkWebhook(String service, String name, JsonNode pathItem, List<String> problems) {
        String where = service + ": " + name;
        pathItem.fieldNames().forEachRemaining(key -> {
            if (METHODS.contains(key) && !key.equals("post")) {
                problems.add(where + " is sent as " + key.toUpperCase() + ": webhooks are POSTs");
            }
        });
        JsonNode post = pathItem.path("post");
        if (!post.isObject()) {
            problems.add(where + " has no post operation");
            return;
        }
        if (post.path("operationId").asText("").isEmpty()) {
            problems.add(where + " has no operationId");
        }
        JsonNode schema = post.path("requestBody").path("content").path("application/json").path("schema");
        if (!post.path("requestBody").path("required").asBoolean(false) || schema.isMissingNode()
                || schema.isEmpty()) {
            problems.add(where + " has no required application/json body with a schema (its payload)");
        }
        boolean acknowledged = false;
        Iterator<String> statuses = post.path("responses").fieldNames();
        while (statuses.hasNext()) {
            acknowledged |= statuses.next().startsWith("2");
        }
        if (!acknowledged) {
            problems.add(where + " declares no 2xx answer (how a receiver acknowledges it)");
        }
    }

    /** The node with the keys of every object sorted, recursively (arrays keep their order). */
    public static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = NODES.objectNode();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            names.forEach(name -> sorted.set(name, canonical(node.get(name))));
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode array = NODES.arrayNode();
            node.forEach(item -> array.add(canonical(item)));
            return array;
        }
        return node;
    }

    /** Two-space indentation, {@code "key": value}, LF line ends and a final newline. */
    public static String pretty(JsonNode node) {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        try {
            return JSON.writer(printer).writeValueAsString(node) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String yaml(JsonNode node) {
        try {
            return new ObjectMapper(YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build()).writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where each service's build leaves its document. */
    public static Path serviceDocument(Path repoRoot, String service) {
        return repoRoot.resolve(service + "-service").resolve("target/openapi/openapi.json");
    }

    /**
     * {@code --repo-root <dir> --output <dir>}. When a service's document is missing (the gateway built alone, without
     * the services), the committed {@code docs/openapi.json} is served instead and the contract check is skipped
     * (source.txt says which), rather than failing a build that did not touch the contract.
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        Path root = Path.of(options.getOrDefault("--repo-root", ".")).toAbsolutePath().normalize();
        Path output = Path.of(options.getOrDefault("--output", "target/classes/api-contract"));
        Files.createDirectories(output);

        List<String> missing = SERVICES.stream().filter(s -> !Files.isRegularFile(serviceDocument(root, s))).toList();
        JsonNode contract;
        String source;
        if (missing.isEmpty()) {
            Map<String, JsonNode> documents = new LinkedHashMap<>();
            for (String service : SERVICES) {
                documents.put(service, JSON.readTree(serviceDocument(root, service).toFile()));
            }
            contract = merge(documents);
            source = "services";
        } else {
            Path committed = root.resolve("docs/openapi.json");
            System.out.println("[api-contract] WARNING: no OpenAPI document of " + missing + " (build them first:"
                    + " ./mvnw -pl gateway -am package); serving the committed " + committed);
            contract = JSON.readTree(committed.toFile());
            source = "committed";
        }
        Files.writeString(output.resolve("openapi.json"), pretty(contract), StandardCharsets.UTF_8);
        Files.writeString(output.resolve("openapi.yaml"), yaml(contract), StandardCharsets.UTF_8);
        Files.writeString(output.resolve("source.txt"), source + "\n", StandardCharsets.UTF_8);
        System.out.println("[api-contract] " + output.resolve("openapi.json") + ": "
                + operations(contract).size() + " operations and " + webhooks(contract).size() + " webhooks (from the "
                + source + ")");
    }

    /** Webhook name (its payload's {@code type}) to its POST operation, in name order. */
    public static Map<String, JsonNode> webhooks(JsonNode document) {
        Map<String, JsonNode> webhooks = new TreeMap<>();
        document.path("webhooks").fields().forEachRemaining(hook -> webhooks.put(hook.getKey(),
                hook.getValue().path("post")));
        return webhooks;
    }

    /** "METHOD /path" to operation, in path order. */
    public static Map<String, JsonNode> operations(JsonNode document) {
        Map<String, JsonNode> operations = new TreeMap<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            if (METHODS.contains(method.getKey())) {
                operations.put(method.getKey().toUpperCase() + " " + path.getKey(), method.getValue());
            }
        }));
        return operations;
    }
}
