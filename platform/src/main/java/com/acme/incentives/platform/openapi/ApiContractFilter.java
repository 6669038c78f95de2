package com.acme.incentives.platform.openapi;

import com.acme.incentives.platform.concurrency.VersionChecked;
import com.acme.incentives.platform.concurrency.Versions;
import com.acme.incentives.platform.correlation.CorrelationId;
import com.acme.incentives.platform.idempotency.IdempotencyInterceptor;
import com.acme.incentives.platform.idempotency.Idempotent;
import com.acme.incentives.platform.paging.Sortable;
import com.acme.incentives.platform.problem.Problem;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.OAuthFlow;
import org.eclipse.microprofile.openapi.models.security.OAuthFlows;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What every operation of every service has in common, added to each service's OpenAPI document at build time, so a
 * resource declares only what is its own (operationId, success answer, the business refusals it makes) and the rest
 * is written once, here, the same everywhere:
 * <ul>
 * <li>the one error shape: schemas {@code Problem} and {@code FieldViolation}; every 4xx/5xx response (and the
 * {@code default} response) answers {@value Problem#MEDIA_TYPE} with it;</li>
 * <li>the refusals the platform and the gateway make whatever the operation's code does: 400 (Bean Validation,
 * malformed JSON, bad or unknown query parameters) on every operation, 401, 403 (a role-restricted operation, or a
 * write through a browser session without its XSRF header), 413 and 415 when it takes a body, 429 (the gateway's rate
 * limit), 503 (database or Keycloak unreachable), and {@code default} for the rest (405, 406, 414, 500, 502,
 * 504);</li>
 * <li>sorting: a list's {@code sort} parameter lists the fields of its {@link Sortable} (or is left out when it has
 * none);</li>
 * <li>headers: {@value CorrelationId#HEADER} on every request and response; {@value IdempotencyInterceptor#HEADER}
 * on the {@link Idempotent} operations (read from the index), with 422 for a reused key and
 * {@value IdempotencyInterceptor#REPLAYED_HEADER} on their success answers; the required {@code If-Match} on the
 * {@link VersionChecked} updates, with 412 (stale version) and 428 (no If-Match); the {@code ETag} header component
 * that the answers of versioned resources name;</li>
 * <li>security: a bearer JWT (systems: OAuth2 client credentials) or the gateway's browser session (cookie
 * {@code q_session}; writes also send {@code X-XSRF-TOKEN}), each with the roles of the operation's
 * {@code @RolesAllowed} (OpenAPI 3.1 lets a requirement of any scheme list role names; e2e-tests read them);
 * the roles are repeated in the operation's {@code x-roles} extension.</li>
 * </ul>
 * Responses an operation declares itself keep their description; only what is missing is filled in.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ApiContractFilter implements OASFilter {

    public static final String PROBLEM = "Problem";
    public static final String FIELD_VIOLATION = "FieldViolation";
    public static final String BEARER = "bearer";
    public static final String OAUTH2 = "oauth2";
    public static final String SESSION = "session";
    public static final String XSRF = "xsrf";
    public static final String ROLES_EXTENSION = "x-roles";
    /** A decimal amount or rate as JSON text: how money travels in this API (docs/conventions.md, "Money"). */
    public static final String DECIMAL_PATTERN = "^-?[0-9]{1,15}(\\.[0-9]{1,10})?$";

    public static final String SORT_FIELDS_EXTENSION = "x-sort-fields";
    private static final DotName SORTABLE = DotName.createSimple(Sortable.class.getName());
    private static final DotName IDEMPOTENT = DotName.createSimple(Idempotent.class.getName());
    private static final DotName VERSION_CHECKED = DotName.createSimple(VersionChecked.class.getName());
    private static final DotName OPERATION = DotName.createSimple(
            org.eclipse.microprofile.openapi.annotations.Operation.class.getName());
    private static final Set<PathItem.HttpMethod> WRITES = Set.of(PathItem.HttpMethod.POST, PathItem.HttpMethod.PUT,
            PathItem.HttpMethod.PATCH, PathItem.HttpMethod.DELETE);

    private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

    static {
        DESCRIPTIONS.put("400", "Invalid input: `/problems/validation-failed` (every invalid field or parameter in"
                + " `errors`, all in one answer; an unknown JSON field or query parameter is refused by name) or"
                + " `/problems/malformed-request` (not well-formed JSON, a key repeated in one object, content after"
                + " the JSON value)");
        DESCRIPTIONS.put("401", "No valid credentials (missing, expired or foreign token; no session):"
                + " `/problems/unauthorized`, with `WWW-Authenticate: Bearer`");
        DESCRIPTIONS.put("403", "The caller's role does not allow this operation, or a browser session's write lacks"
                + " the `X-XSRF-TOKEN` header or comes from another origin: `/problems/forbidden`");
        DESCRIPTIONS.put("404", "Not found, or another organization's (you cannot tell which): `/problems/not-found`");
        DESCRIPTIONS.put("409", "Conflicts with the resource's current state: `/problems/conflict`");
        DESCRIPTIONS.put("412", "`If-Match` names another version than the current one (someone changed the resource"
                + " since you read it): `/problems/precondition-failed`, with the current `ETag`; read it again and"
                + " redo the change");
        DESCRIPTIONS.put("413", "The body is larger than this operation accepts: `/problems/payload-too-large`");
        DESCRIPTIONS.put("415", "The body is not in a media type this operation accepts, or has no"
                + " `Content-Type`:"
                + " `/problems/unsupported-media-type`");
        DESCRIPTIONS.put("422", "Cannot be done in the current state: `/problems/unprocessable`");
        DESCRIPTIONS.put("428", "No `If-Match`: this update needs the `ETag` of the version it changes:"
                + " `/problems/precondition-required`");
        DESCRIPTIONS.put("429", "Rate limit of the gateway: `/problems/too-many-requests`; retry after `Retry-After`"
                + " seconds");
        DESCRIPTIONS.put("503", "The service cannot reach its database (identity-service: or Keycloak); nothing was"
                + " changed: `/problems/service-unavailable`, retry after `Retry-After` seconds");
        DESCRIPTIONS.put("default", "Any other problem (405 method not allowed, 406 not acceptable, 414 URI too long,"
                + " 500 internal error, 502 bad gateway, 504 gateway timeout), in the same shape");
    }

    /** operationId of every {@link Idempotent} resource method. */
    private final Set<String> idempotent;

    /** operationId of every {@link VersionChecked} resource method. */
    private final Set<String> versionChecked;

    /** operationId of every {@link Sortable} list and the fields it can be sorted by. */
    private final Map<String, List<String>> sortable = new LinkedHashMap<>();

    public ApiContractFilter(IndexView index) {
        idempotent = operationIds(index, IDEMPOTENT);
        versionChecked = operationIds(index, VERSION_CHECKED);
        readSortable(index);
    }

    private static Set<String> operationIds(IndexView index, DotName annotationName) {
        Set<String> ids = new TreeSet<>();
        for (AnnotationInstance annotation : index.getAnnotations(annotationName)) {
            if (annotation.target().kind() != AnnotationTarget.Kind.METHOD) {
                continue;
            }
            AnnotationInstance operation = annotation.target().asMethod().annotation(OPERATION);
            AnnotationValue id = operation == null ? null : operation.value("operationId");
            if (id != null) {
                ids.add(id.asString());
            }
        }
        return ids;
    }

    private void readSortable(IndexView index) {
        for (AnnotationInstance annotation : index.getAnnotations(SORTABLE)) {
            if (annotation.target().kind() != AnnotationTarget.Kind.METHOD) {
                continue;
            }
            AnnotationInstance operation = annotation.target().asMethod().annotation(OPERATION);
            AnnotationValue id = operation == null ? null : operation.value("operationId");
            if (id != null) {
                sortable.put(id.asString(), List.of(annotation.value().asStringArray()));
            }
        }
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents();
        if (components == null) {
            components = OASFactory.createComponents();
            openAPI.setComponents(components);
        }
        addComponents(components);
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations()
                .forEach((method, operation) -> complete(method, item, operation)));
    }

    /**
     * {@code @Schema(implementation = X.class)} on a record component leaves SmallRye's {@code type: object} beside the
     * {@code $ref} to X; for a string schema (an enum, {@link DecimalString}) no value could satisfy both, so the
     * reference alone must stand.
     */
    @Override
    public Schema filterSchema(Schema schema) {
        if (schema.getRef() != null && schema.getType() != null && schema.getType().equals(List.of(SchemaType.OBJECT))
                && (schema.getProperties() == null || schema.getProperties().isEmpty())) {
            schema.setType(null);
        }
        return schema;
    }

    private void complete(PathItem.HttpMethod method, PathItem item, Operation operation) {
        // SmallRye's generic 400/401/403 are replaced by the ones the rules below decide.
        if (operation.getResponses() != null && operation.getResponses().getAPIResponses() != null) {
            new ArrayList<>(operation.getResponses().getAPIResponses().entrySet()).stream()
                    .filter(e -> e.getValue().getDescription() != null
                            && isSmallRyeDefault(e.getValue().getDescription()))
                    .forEach(e -> operation.getResponses().removeAPIResponse(e.getKey()));
        }
        boolean idempotentOperation = operation.getOperationId() != null
                && idempotent.contains(operation.getOperationId());
        boolean versionCheckedOperation = operation.getOperationId() != null
                && versionChecked.contains(operation.getOperationId());
        boolean body = operation.getRequestBody() != null;
        describeSort(operation);
        operation.addParameter(ref(OASFactory.createParameter(), "#/components/parameters/CorrelationId"));
        if (idempotentOperation) {
            operation.addParameter(ref(OASFactory.createParameter(), "#/components/parameters/IdempotencyKey"));
        }
        if (versionCheckedOperation) {
            operation.addParameter(ref(OASFactory.createParameter(), "#/components/parameters/IfMatch"));
        }

        Set<String> roles = roles(operation);
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        // Every operation can get a 400: at least for a query parameter it does not take (web/QueryParameters).
        shared(responses, "400");
        problem(responses, "401");
        if (!roles.isEmpty() || WRITES.contains(method)) {
            shared(responses, "403");
        }
        if (body) {
            problem(responses, "413");
            problem(responses, "415");
        }
        if (idempotentOperation) {
            APIResponse unprocessable = responses.getAPIResponse("422");
            String reused = "the `Idempotency-Key` was used before with a different request:"
                    + " `/problems/idempotency-key-reused`";
            if (unprocessable == null) {
                problem(responses, "422").setDescription("The `Idempotency-Key` was used before with a different"
                        + " request: `/problems/idempotency-key-reused`");
            } else if (!String.valueOf(unprocessable.getDescription()).contains("idempotency-key-reused")) {
                unprocessable.setDescription(unprocessable.getDescription() + "; or " + reused);
            }
        }
        if (versionCheckedOperation) {
            problem(responses, "412").addHeader(Versions.ETAG, ref(OASFactory.createHeader(),
                    "#/components/headers/ETag"));
            problem(responses, "428");
        }
        problem(responses, "429").addHeader("Retry-After", ref(OASFactory.createHeader(),
                "#/components/headers/RetryAfter"));
        problem(responses, "503").addHeader("Retry-After", ref(OASFactory.createHeader(),
                "#/components/headers/RetryAfter"));
        problem(responses, "default");
        responses.getAPIResponse("401").addHeader("WWW-Authenticate", OASFactory.createHeader()
                .description("`Bearer`").schema(string()));

        for (Map.Entry<String, APIResponse> entry : new ArrayList<>(responses.getAPIResponses().entrySet())) {
            APIResponse response = entry.getValue();
            if (response.getRef() != null) {
                continue;
            }
            if (entry.getKey().startsWith("4") || entry.getKey().startsWith("5")) {
                problem(responses, entry.getKey()); // the operation's own refusals: same shape
            }
            response.addHeader(CorrelationId.HEADER, ref(OASFactory.createHeader(),
                    "#/components/headers/CorrelationId"));
            if (idempotentOperation && entry.getKey().startsWith("2")) {
                response.addHeader(IdempotencyInterceptor.REPLAYED_HEADER, ref(OASFactory.createHeader(),
                        "#/components/headers/IdempotentReplayed"));
            }
        }

        if (!roles.isEmpty() || operation.getSecurity() != null) {
            List<String> roleList = List.copyOf(roles);
            List<SecurityRequirement> security = new ArrayList<>();
            security.add(OASFactory.createSecurityRequirement().addScheme(BEARER, roleList));
            SecurityRequirement session = OASFactory.createSecurityRequirement().addScheme(SESSION, roleList);
            if (WRITES.contains(method)) {
                session.addScheme(XSRF);
            }
            security.add(session);
            operation.setSecurity(security);
            operation.addExtension(ROLES_EXTENSION, roleList);
        }
    }

    /**
     * A list's {@code sort} parameter (PageRequest) names the fields of its {@link Sortable}: in the description, as
     * the pattern, and in the schema's {@value #SORT_FIELDS_EXTENSION}. A list without {@link Sortable} cannot be sorted, so the
     * parameter is not offered at all (the platform refuses it: web/QueryParameters).
     */
    private void describeSort(Operation operation) {
        if (operation.getParameters() == null) {
            return;
        }
        for (Parameter parameter : new ArrayList<>(operation.getParameters())) {
            if (!"sort".equals(parameter.getName()) || parameter.getIn() != Parameter.In.QUERY) {
                continue;
            }
            List<String> fields = operation.getOperationId() == null ? null : sortable.get(operation.getOperationId());
            if (fields == null) {
                operation.removeParameter(parameter);
                continue;
            }
            parameter.description("Sort order, `field,asc` or `field,desc` (`field` alone: ascending), by one of: "
                    + String.join(", ", fields.stream().map(f -> "`" + f + "`").toList())
                    + ". Without it, the list's own order; an unknown field is a 400 naming these");
            parameter.schema(string().pattern("^(" + String.join("|", fields) + ")(,(asc|desc))?$")
                    .examples(List.of(fields.get(0) + ",desc")).addExtension(SORT_FIELDS_EXTENSION, fields));
        }
    }

    /** The roles of the requirement SmallRye derived from {@code @RolesAllowed} (any scheme's list). */
    private static Set<String> roles(Operation operation) {
        Set<String> roles = new LinkedHashSet<>();
        if (operation.getSecurity() != null) {
            for (SecurityRequirement requirement : operation.getSecurity()) {
                if (requirement.getSchemes() != null) {
                    requirement.getSchemes().values().forEach(list -> {
                        if (list != null) {
                            roles.addAll(list);
                        }
                    });
                }
            }
        }
        return roles;
    }

    /**
     * A refusal every operation of its kind can give: when the operation declared the status for a reason of its own,
     * the shared reasons are added to its description.
     */
    private static void shared(APIResponses responses, String status) {
        APIResponse declared = responses.getAPIResponse(status);
        String own = declared == null ? null : declared.getDescription();
        APIResponse response = problem(responses, status);
        if (own != null && !own.isBlank() && !isSmallRyeDefault(own) && !own.equals(DESCRIPTIONS.get(status))
                && !own.contains("Also:")) {
            response.setDescription(own + ". Also: " + DESCRIPTIONS.get(status));
        }
    }

    /** The response of this status, made or completed: a description and the Problem body. */
    private static APIResponse problem(APIResponses responses, String status) {
        APIResponse response = responses.getAPIResponse(status);
        if (response == null) {
            response = OASFactory.createAPIResponse();
            responses.addAPIResponse(status, response);
        }
        if (response.getDescription() == null || response.getDescription().isBlank()
                || isSmallRyeDefault(response.getDescription())) {
            response.setDescription(DESCRIPTIONS.getOrDefault(status, "A problem"));
        }
        if (response.getContent() == null || response.getContent().getMediaTypes() == null
                || response.getContent().getMediaTypes().isEmpty()) {
            response.setContent(problemContent());
        }
        return response;
    }

    /** SmallRye's generated "Not Authorized"/"Not Allowed"/"Bad Request" say less than ours. */
    private static boolean isSmallRyeDefault(String description) {
        return Set.of("Not Authorized", "Not Allowed", "Bad Request").contains(description);
    }

    private static Content problemContent() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref(PROBLEM)));
    }

    private static void addComponents(Components components) {
        components.addSchema(FIELD_VIOLATION, OASFactory.createSchema()
                .addType(SchemaType.OBJECT)
                .description("One invalid input: the JSON path of the field (`agreements[17].validTo`), or the name"
                        + " of the query, path parameter or header, and what is wrong with it: `code` for programs"
                        + " (stable; a Bean Validation constraint's name such as `NotNull`, `Pattern`, `Size`, or a"
                        + " kebab-case code such as `type`, `unknown-field`, `listed-twice`), `message` for people, in"
                        + " the language of the answer's `Content-Language` (English, Japanese or Korean, chosen by"
                        + " `Accept-Language`)")
                .addRequired("field").addRequired("code").addRequired("message")
                .addProperty("field", string().examples(List.of("partnerId")))
                .addProperty("code", string().examples(List.of("Pattern")))
                .addProperty("message", string().examples(List.of("must be digits only (the MPN ID), at most 12"))));
        components.addSchema(PROBLEM, OASFactory.createSchema()
                .addType(SchemaType.OBJECT)
                .description("RFC 9457 problem details, the one error shape of the API. Switch on `type` (stable);"
                        + " `detail` is for people; `errors` lists each invalid field; problem-specific members"
                        + " appear at the top level (e.g. `missing` of a refused migration completion,"
                        + " `unknownEndToEndIds` of a bank status report)")
                .addRequired("type").addRequired("title").addRequired("status")
                .addProperty("type", string().format("uri-reference")
                        .description("`/problems/<kind>`: validation-failed, malformed-request, unauthorized,"
                                + " forbidden, not-found, method-not-allowed, not-acceptable, conflict,"
                                + " precondition-failed, payload-too-large, uri-too-long, unsupported-media-type,"
                                + " idempotency-key-reused, unprocessable, precondition-required, too-many-requests,"
                                + " internal-error, bad-gateway,"
                                + " service-unavailable")
                        .examples(List.of("/problems/validation-failed")))
                .addProperty("title", string().examples(List.of("Validation failed")))
                .addProperty("status", OASFactory.createSchema().addType(SchemaType.INTEGER).format("int32")
                        .examples(List.of(400)))
                .addProperty("detail", string().examples(List.of("partnerId: must be digits only (the MPN ID), at most"
                        + " 12")))
                .addProperty("instance", string().format("uri-reference")
                        .description("The path of the request").examples(List.of("/api/v1/organizations")))
                .addProperty("correlationId", string().description("The request's `X-Correlation-Id`: quote it"
                        + " when reporting a problem"))
                .addProperty("errors", OASFactory.createSchema().addType(SchemaType.ARRAY)
                        .items(OASFactory.createSchema().ref(FIELD_VIOLATION)))
                .additionalPropertiesBoolean(Boolean.TRUE));

        components.addParameter("CorrelationId", OASFactory.createParameter()
                .name(CorrelationId.HEADER).in(Parameter.In.HEADER).required(false)
                .description("Ties this request to its logs and the events it causes; sent back on the response."
                        + " Made by the gateway when absent or not of this form")
                .schema(string().pattern("^[A-Za-z0-9._:-]{1,100}$")));
        components.addParameter("IdempotencyKey", OASFactory.createParameter()
                .name(IdempotencyInterceptor.HEADER).in(Parameter.In.HEADER).required(false)
                .description("Makes a retry safe: the first successful answer is stored with the change and"
                        + " replayed (with `Idempotent-Replayed: true`) for the same key and request; the same key"
                        + " with another request is a 422. Per client, kept 24 hours")
                .schema(string().pattern("^[\\x21-\\x7E]{1,200}$").examples(List.of(
                        "6f1c2b8e-7d0a-4c55-9a51-0c1f3f7f1a2b"))));

        components.addParameter("IfMatch", OASFactory.createParameter()
                .name(Versions.IF_MATCH).in(Parameter.In.HEADER).required(true)
                .description("The `ETag` of the version this update changes, as read (`\"3\"`); another version"
                        + " than the current one is a 412, none a 428. `*` updates whatever version is current")
                .schema(string().examples(List.of("\"1\""))));

        components.addHeader("CorrelationId", OASFactory.createHeader()
                .description("The request's correlation id (the caller's, or a new one)").schema(string()));
        components.addHeader("Location", OASFactory.createHeader()
                .description("Where the created resource is read").schema(string().format("uri-reference")));
        components.addHeader("ETag", OASFactory.createHeader()
                .description("The version of the resource, a strong entity tag (`\"3\"`): send it back in"
                        + " `If-Match` to update this version. It changes with every change a client makes, not"
                        + " with what the service works out itself (a validation outcome, an expiry)")
                .schema(string()));
        components.addHeader("RetryAfter", OASFactory.createHeader()
                .description("Seconds to wait before trying again")
                .schema(OASFactory.createSchema().addType(SchemaType.INTEGER).format("int32")));
        components.addHeader("IdempotentReplayed", OASFactory.createHeader()
                .description("`true` when this is the stored answer to an earlier request with the same"
                        + " `Idempotency-Key`").schema(string().enumeration(List.of("true"))));

        components.addSecurityScheme(BEARER, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                .description("An access token of the platform's Keycloak realm (audience `incentives-api`) in"
                        + " `Authorization: Bearer …`. Systems get one with the OAuth2 client credentials grant"
                        + " (scheme `oauth2`); the roles it must carry are listed with each operation"));
        components.addSecurityScheme(OAUTH2, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.OAUTH2)
                .description("How partner and vendor systems obtain the bearer token: client credentials at the"
                        + " realm's token endpoint (`incentives-<instance>`; the URL is the local platform's)")
                .flows(OASFactory.createObject(OAuthFlows.class).clientCredentials(
                        OASFactory.createObject(OAuthFlow.class)
                                .tokenUrl("http://localhost:8180/realms/incentives-run/protocol/openid-connect/token")
                                .scopes(Map.of()))));
        components.addSecurityScheme(SESSION, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.COOKIE).name("q_session")
                .description("The gateway's browser session, set by signing in at `/login` (with `q_session_at`"
                        + " and `q_session_rt`); the gateway relays the session's access token"));
        components.addSecurityScheme(XSRF, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name("X-XSRF-TOKEN")
                .description("With a session, state-changing calls (POST, PUT, PATCH, DELETE) send the value of the"
                        + " `XSRF-TOKEN` cookie in this header"));
        // SmallRye's own scheme (quarkus.smallrye-openapi.security-scheme) is replaced by the ones above.
        if (components.getSecuritySchemes() != null) {
            new ArrayList<>(components.getSecuritySchemes().keySet()).stream()
                    .filter(name -> !Set.of(BEARER, OAUTH2, SESSION, XSRF).contains(name))
                    .forEach(components::removeSecurityScheme);
        }
    }

    private static Schema string() {
        return OASFactory.createSchema().addType(SchemaType.STRING);
    }

    private static <T extends org.eclipse.microprofile.openapi.models.Reference<T>> T ref(T object, String ref) {
        object.setRef(ref);
        return object;
    }
}
