package com.acme.incentives.e2e.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks exchanges against the gateway's OpenAPI 3.1 document: the operation exists (method and path template under
 * the server's base path), the status is declared, the response's media type is declared for it, its required
 * headers are present and valid, and its body (and, for a 2xx that was not made invalid on purpose, the request's
 * body) validates against the declared schema, by JSON Schema 2020-12 with {@code $ref}s into the document.
 *
 * <p>Three rules the document alone does not spell out, each because the document means it so:
 * <ul>
 * <li>A {@code default} response covers error statuses (4xx, 5xx) only: every default in the document is a problem
 *     document, so a success or redirect the operation does not declare is undocumented.</li>
 * <li>A {@code Location} header declared on a 201 is required (RFC 9110: a 201 identifies what it created); any header
 *     declared {@code required: true} is required.</li>
 * <li>An exchange whose request was invalid on purpose (hostile input) is judged by its response only; if its path or
 *     method is no operation at all, that response must be a problem document (4xx, application/problem+json).</li>
 * </ul>
 */
public final class ContractValidator {

    /** The API's base path on the gateway: everything under it is in the contract. */
    public static final String API_BASE = "/api/v1";
    private static final String PROBLEM_JSON = "application/problem+json";
    /** Where the document is registered for the schema library: a name only, never fetched. */
    private static final String DOCUMENT_URI = "https://contract.incentives.invalid/openapi.json";
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERRORS_SHOWN = 5;

    private final JsonNode document;
    private final String basePath;
    private final List<PathTemplate> templates = new ArrayList<>();
    /** Each schema to validate against, by identity, and its pointer into the registered copy of the document. */
    private final Map<JsonNode, String> schemaPointers = new IdentityHashMap<>();
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private final SchemaRegistry registry;

    private ContractValidator(String documentText) {
        try {
            document = JSON.readTree(documentText);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the contract document is not JSON: " + e.getOriginalMessage(), e);
        }
        if (!document.path("openapi").asText().startsWith("3.1")) {
            throw new IllegalArgumentException("not an OpenAPI 3.1 document: openapi = " + document.path("openapi"));
        }
        basePath = basePath(document);
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            templates.add(new PathTemplate(path.getKey(), path.getValue()));
        }
        // Every schema the checks use, inline or not, copied under the document's $defs so that one JSON pointer
        // without path templates' braces or media types' slashes names it; their $refs still resolve in the document.
        ObjectNode registered = document.deepCopy();
        ObjectNode defs = registered.putObject("$defs");
        collectSchemas(document.path("paths"), defs);
        collectSchemas(document.path("webhooks"), defs);
        withoutEmailFormat(registered);
        registry = SchemaRegistry.withDialect(Dialects.getOpenApi31(), builder -> builder
                .schemas(Map.of(DOCUMENT_URI, registered.toString()))
                // Formats are assertions here (uuid, date, date-time, email, int32...): the document promises them.
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    }

    /** The validator of this document (its JSON text). */
    public static ContractValidator of(String documentText) {
        return new ContractValidator(documentText);
    }

    /** The validator of a document file (the committed docs/openapi.json). */
    public static ContractValidator fromFile(Path document) {
        try {
            return of(Files.readString(document, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the contract document " + document.toAbsolutePath(), e);
        }
    }

    /** The validator of the document the gateway at {@code gatewayUrl} serves ({@code GET /api/v1/openapi.json}). */
    public static ContractValidator fromGateway(String gatewayUrl) {
        URI uri = URI.create(gatewayUrl + API_BASE + "/openapi.json");
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(30)).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + uri + " answered " + response.statusCode());
            }
            return of(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot load the contract document from " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted loading " + uri, e);
        }
    }

    /**
     * Why a path on the gateway is not part of the contract, or empty when it is: everything outside
     * {@code /api/v1/} (sign-in, sign-out, /q/*, pages) and the contract's own document and docs page.
     */
    public static Optional<String> notApi(String rawPath) {
        String path = rawPath.contains("?") ? rawPath.substring(0, rawPath.indexOf('?')) : rawPath;
        if (!path.startsWith(API_BASE + "/")) {
            return Optional.of("gateway page, not API (" + firstSegment(path) + ")");
        }
        String rest = path.substring(API_BASE.length());
        if (rest.equals("/openapi.json") || rest.equals("/openapi.yaml") || rest.equals("/docs")
                || rest.startsWith("/docs/")) {
            return Optional.of("the contract document and its docs page");
        }
        return Optional.empty();
    }

    /** The operations the document declares, as {@code METHOD /template}. */
    public List<String> operations() {
        List<String> operations = new ArrayList<>();
        for (PathTemplate template : templates) {
            template.operations.keySet().forEach(method -> operations.add(method.toUpperCase(Locale.ROOT) + " "
                    + template.template));
        }
        return operations;
    }

    /** What is undocumented about this exchange: empty when it conforms to the document. */
    public Result check(Exchange exchange) {
        List<String> violations = new ArrayList<>();
        if (!exchange.path().startsWith(basePath)) {
            violations.add("path outside the document's server base path " + basePath);
            return new Result(null, violations);
        }
        String path = exchange.path().substring(basePath.length());
        PathTemplate template = match(path);
        JsonNode operation = template == null ? null
                : template.operations.get(exchange.method().toLowerCase(Locale.ROOT));
        if (operation == null) {
            String what = template == null ? "no path of the document matches " + path
                    : exchange.method() + " is not an operation of " + template.template + " (it has "
                    + template.operations.keySet().stream().map(m -> m.toUpperCase(Locale.ROOT)).toList() + ")";
            if (exchange.invalidOnPurpose()) {
                // A hostile request may aim anywhere: its answer must still be the API's refusal.
                checkRefusal(exchange, violations);
                return new Result(null, violations);
            }
            violations.add(what);
            return new Result(null, violations);
        }
        String name = exchange.method() + " " + template.template;
        JsonNode response = declaredResponse(operation, exchange.status());
        if (response == null) {
            violations.add("status " + exchange.status() + " is not declared (declared: "
                    + iterable(operation.path("responses").fieldNames()) + ")");
        } else {
            checkResponse(exchange, resolve(response), violations);
        }
        if (exchange.status() / 100 == 2 && !exchange.invalidOnPurpose()) {
            checkRequest(exchange, operation, violations);
        }
        return new Result(name, violations);
    }

    /**
     * What is undocumented about a webhook request the platform sent to a receiver: the payload's {@code type} names
     * a webhook of the document, the body validates against its schema, and each header it declares (the Standard
     * Webhooks ones) is present and valid. {@code headers} by lower-case name.
     */
    public Result checkWebhook(Map<String, String> headers, String body) {
        List<String> violations = new ArrayList<>();
        String type;
        try {
            type = JSON.readTree(body).path("type").asText("");
        } catch (JsonProcessingException e) {
            violations.add("the webhook body is not JSON: " + abbreviate(e.getOriginalMessage(), 200));
            return new Result(null, violations);
        }
        JsonNode post = document.path("webhooks").path(type).path("post");
        if (post.isMissingNode()) {
            violations.add("no webhook " + type + " in the document (it has "
                    + iterable(document.path("webhooks").fieldNames()) + ")");
            return new Result(null, violations);
        }
        String name = "WEBHOOK " + type;
        for (JsonNode parameter : post.path("parameters")) {
            JsonNode definition = resolve(parameter);
            if (!definition.path("in").asText().equals("header")) {
                continue;
            }
            String header = definition.path("name").asText();
            String value = headers.get(header.toLowerCase(Locale.ROOT));
            if (value == null) {
                if (definition.path("required").asBoolean(false)) {
                    violations.add("required header " + header + " is missing");
                }
            } else {
                String pattern = resolve(definition.path("schema")).path("pattern").asText(null);
                if (pattern != null && !Pattern.compile(pattern).matcher(value).find()) {
                    violations.add("header " + header + " (" + abbreviate(value, 80) + ") does not match " + pattern);
                }
            }
        }
        JsonNode content = resolve(post.path("requestBody")).path("content").path("application/json");
        if (content.isMissingNode()) {
            violations.add("the document declares no application/json body for " + name);
        } else {
            validate("webhook body", body, content.get("schema"), violations);
        }
        return new Result(name, violations);
    }

    /** The operation an exchange was matched to ({@code METHOD /template}, null if none) and what was wrong. */
    public record Result(String operation, List<String> violations) {
        public boolean conforms() {
            return violations.isEmpty();
        }
    }

    private void checkRefusal(Exchange exchange, List<String> violations) {
        if (exchange.status() < 400) {
            violations.add("a request to no operation of the document answered " + exchange.status());
        } else if (!PROBLEM_JSON.equals(mediaType(exchange.header("Content-Type")))) {
            violations.add("the refusal of a request to no operation is " + exchange.header("Content-Type")
                    + ", not " + PROBLEM_JSON);
        }
    }

    private void checkResponse(Exchange exchange, JsonNode response, List<String> violations) {
        JsonNode content = response.path("content");
        String type = mediaType(exchange.header("Content-Type"));
        boolean hasBody = !exchange.responseBody().isEmpty();
        if (content.isObject() && content.size() > 0) {
            Map.Entry<String, JsonNode> declared = declaredMediaType(content, type);
            if (type == null) {
                if (!exchange.method().equals("HEAD")) {
                    violations.add("no Content-Type, but the document declares " + iterable(content.fieldNames())
                            + " for " + exchange.status());
                }
            } else if (declared == null) {
                violations.add("media type " + type + " is not declared for " + exchange.status() + " (declared: "
                        + iterable(content.fieldNames()) + ")");
            } else if (isJson(type) && hasBody) {
                validate("response body", exchange.responseBody(), declared.getValue().get("schema"), violations);
            }
            if (exchange.status() >= 400 && type != null && !PROBLEM_JSON.equals(type)) {
                violations.add("an error answer must be " + PROBLEM_JSON + ", not " + type);
            }
        } else if (hasBody) {
            violations.add("a body (" + type + ") where the document declares none for " + exchange.status());
        }
        Iterator<Map.Entry<String, JsonNode>> headers = response.path("headers").fields();
        while (headers.hasNext()) {
            Map.Entry<String, JsonNode> header = headers.next();
            JsonNode definition = resolve(header.getValue());
            String value = exchange.header(header.getKey());
            boolean required = definition.path("required").asBoolean(false)
                    || (exchange.status() == 201 && header.getKey().equalsIgnoreCase("Location"));
            if (value == null) {
                if (required) {
                    violations.add("required header " + header.getKey() + " is missing on the " + exchange.status());
                }
            } else if (definition.has("schema")) {
                validate("header " + header.getKey(), headerAsJson(value, resolve(definition.get("schema"))),
                        definition.get("schema"), violations);
            }
        }
    }

    private void checkRequest(Exchange exchange, JsonNode operation, List<String> violations) {
        JsonNode requestBody = operation.has("requestBody") ? resolve(operation.get("requestBody")) : null;
        boolean hasBody = exchange.requestBody() != null && !exchange.requestBody().isEmpty();
        if (requestBody == null) {
            if (hasBody) {
                violations.add("a request body where the document declares none");
            }
            return;
        }
        if (!hasBody) {
            if (requestBody.path("required").asBoolean(false) && exchange.requestBody() != null) {
                violations.add("no request body, but the document requires one");
            }
            return;
        }
        String type = mediaType(exchange.requestType());
        Map.Entry<String, JsonNode> declared = declaredMediaType(requestBody.path("content"), type);
        if (declared == null) {
            violations.add("request media type " + type + " is not declared (declared: "
                    + iterable(requestBody.path("content").fieldNames()) + ")");
        } else if (isJson(type)) {
            validate("request body", exchange.requestBody(), declared.getValue().get("schema"), violations);
        }
    }

    private void validate(String what, String json, JsonNode schemaNode, List<String> violations) {
        if (schemaNode == null) {
            return;
        }
        String pointer = schemaPointers.get(schemaNode);
        if (pointer == null) {
            throw new IllegalStateException("schema not collected: " + schemaNode);
        }
        Schema schema = schemas.computeIfAbsent(pointer, p -> {
            Schema loaded = registry.getSchema(SchemaLocation.of(DOCUMENT_URI + "#" + p));
            loaded.initializeValidators();
            return loaded;
        });
        List<Error> errors;
        try {
            errors = schema.validate(json, InputFormat.JSON);
        } catch (RuntimeException notJson) {
            violations.add(what + " is not JSON: " + abbreviate(String.valueOf(notJson.getMessage()), 200));
            return;
        }
        if (!errors.isEmpty()) {
            StringBuilder reason = new StringBuilder(what + " does not match its schema: ");
            for (int i = 0; i < Math.min(errors.size(), MAX_ERRORS_SHOWN); i++) {
                reason.append(i == 0 ? "" : "; ").append(errors.get(i).toString());
            }
            if (errors.size() > MAX_ERRORS_SHOWN) {
                reason.append("; and ").append(errors.size() - MAX_ERRORS_SHOWN).append(" more");
            }
            violations.add(reason.toString());
        }
    }

    /** A header's text as the JSON value its schema expects: a number for a numeric schema, else a string. */
    private static String headerAsJson(String value, JsonNode schema) {
        String type = schema.path("type").asText("");
        if ((type.equals("integer") || type.equals("number")) && value.trim().matches("-?[0-9]+(\\.[0-9]+)?")) {
            return value.trim();
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The response object for this status: exact, else its range ({@code 4XX}), else {@code default} for errors. */
    private static JsonNode declaredResponse(JsonNode operation, int status) {
        JsonNode responses = operation.path("responses");
        if (responses.has(String.valueOf(status))) {
            return responses.get(String.valueOf(status));
        }
        String range = (status / 100) + "XX";
        Iterator<Map.Entry<String, JsonNode>> declared = responses.fields();
        while (declared.hasNext()) {
            Map.Entry<String, JsonNode> response = declared.next();
            if (response.getKey().equalsIgnoreCase(range)) {
                return response.getValue();
            }
        }
        return status >= 400 ? responses.get("default") : null;
    }

    /** The declared media type this one falls under (exact, {@code type/*} or {@code * /*}), or null. */
    private static Map.Entry<String, JsonNode> declaredMediaType(JsonNode content, String type) {
        if (type == null) {
            return null;
        }
        Map.Entry<String, JsonNode> wildcard = null;
        Iterator<Map.Entry<String, JsonNode>> declared = content.fields();
        while (declared.hasNext()) {
            Map.Entry<String, JsonNode> entry = declared.next();
            String key = entry.getKey().toLowerCase(Locale.ROOT);
            if (key.equals(type)) {
                return entry;
            }
            if (key.equals("*/*") || (key.endsWith("/*") && type.startsWith(key.substring(0, key.length() - 1)))) {
                wildcard = entry;
            }
        }
        return wildcard;
    }

    /** A Content-Type's media type without parameters, lower case; null when absent or blank. */
    static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int parameters = contentType.indexOf(';');
        return (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
    }

    private static boolean isJson(String type) {
        return type != null && (type.equals("application/json") || type.endsWith("+json"));
    }

    /** The most specific template matching the path: literal segments win over parameters. */
    private PathTemplate match(String path) {
        String[] segments = path.split("/", -1);
        PathTemplate best = null;
        int bestLiterals = -1;
        for (PathTemplate template : templates) {
            int literals = template.matches(segments);
            if (literals > bestLiterals) {
                best = template;
                bestLiterals = literals;
            }
        }
        return best;
    }

    /** Follows {@code $ref}s within the document (responses, headers, parameters, request bodies). */
    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int depth = 0; current != null && current.has("$ref") && depth < 20; depth++) {
            String ref = current.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalStateException("only local $refs are supported: " + ref);
            }
            current = document.at(ref.substring(1));
        }
        if (current == null || current.isMissingNode()) {
            throw new IllegalStateException("unresolvable $ref " + node);
        }
        return current;
    }

    /** Copies every schema of a request body, response body and response header under $defs, remembering where. */
    private void collectSchemas(JsonNode paths, ObjectNode defs) {
        for (JsonNode pathItem : iterableNodes(paths)) {
            for (String method : METHODS) {
                JsonNode operation = pathItem.get(method);
                if (operation == null) {
                    continue;
                }
                if (operation.has("requestBody")) {
                    collectContent(resolve(operation.get("requestBody")).path("content"), defs);
                }
                for (JsonNode response : iterableNodes(operation.path("responses"))) {
                    JsonNode resolved = resolve(response);
                    collectContent(resolved.path("content"), defs);
                    for (JsonNode header : iterableNodes(resolved.path("headers"))) {
                        JsonNode definition = resolve(header);
                        if (definition.has("schema")) {
                            collect(definition.get("schema"), defs);
                        }
                    }
                }
            }
        }
    }

    private void collectContent(JsonNode content, ObjectNode defs) {
        for (JsonNode mediaType : iterableNodes(content)) {
            if (mediaType.has("schema")) {
                collect(mediaType.get("schema"), defs);
            }
        }
    }

    private void collect(JsonNode schema, ObjectNode defs) {
        if (!schemaPointers.containsKey(schema)) {
            String name = "contract-check-" + schemaPointers.size();
            defs.set(name, schema.deepCopy());
            schemaPointers.put(schema, "/$defs/" + name);
        }
    }

    /**
     * Drops {@code format: email} from the copy the schema library validates with: its email format also checks the
     * domain against IANA's list of top-level domains, which refuses the reserved {@code .example} (RFC 2606) that
     * every test address uses, though such an address is a valid RFC 5321 mailbox. The document's own pattern and
     * maxLength for email fields still apply; every other format stays an assertion.
     */
    private static void withoutEmailFormat(JsonNode node) {
        if (node instanceof ObjectNode object && object.path("format").asText().equals("email")) {
            object.remove("format");
        }
        node.elements().forEachRemaining(ContractValidator::withoutEmailFormat);
    }

    private static String basePath(JsonNode document) {
        String url = document.path("servers").path(0).path("url").asText("/");
        String path = url.contains("://") ? URI.create(url).getRawPath() : url;
        return path == null || path.equals("/") ? "" : path.replaceAll("/+$", "");
    }

    private static String firstSegment(String path) {
        int next = path.indexOf('/', 1);
        return next < 0 ? path : path.substring(0, next) + "/…";
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    private static Iterable<JsonNode> iterableNodes(JsonNode node) {
        List<JsonNode> list = new ArrayList<>();
        if (node.isObject()) {
            node.elements().forEachRemaining(list::add);
        }
        return list;
    }

    static String abbreviate(String text, int length) {
        return text.length() > length ? text.substring(0, length) + "…" : text;
    }

    /** A path of the document and its operations by lower-case method. */
    private static final class PathTemplate {
        final String template;
        final String[] segments;
        final Map<String, JsonNode> operations = new LinkedHashMap<>();

        PathTemplate(String template, JsonNode item) {
            this.template = template;
            this.segments = template.split("/", -1);
            for (String method : METHODS) {
                if (item.has(method)) {
                    operations.put(method, item.get(method));
                }
            }
        }

        /** How many literal segments matched, or -1 if the path does not match (a parameter matches one segment). */
        int matches(String[] path) {
            if (path.length != segments.length) {
                return -1;
            }
            int literals = 0;
            for (int i = 0; i < segments.length; i++) {
                String segment = segments[i];
                if (segment.startsWith("{") && segment.endsWith("}")) {
                    if (path[i].isEmpty()) {
                        return -1;
                    }
                } else if (segment.equals(path[i])) {
                    literals++;
                } else {
                    return -1;
                }
            }
            return literals;
        }
    }
}
