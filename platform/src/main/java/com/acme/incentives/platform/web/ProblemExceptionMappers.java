package com.acme.incentives.platform.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;
import com.acme.incentives.platform.problem.Problem;
import com.acme.incentives.platform.problem.ProblemType;
import com.acme.incentives.platform.i18n.Languages;
import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.platform.json.BodyProblems;
import com.acme.incentives.platform.json.StrictJson;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns every exception that reaches the REST layer into the one problem shape. Nothing of an exception's message is
 * copied to the client unless we wrote it (ApiException): no stack traces, SQL or class names.
 */
public class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);

    @ServerExceptionMapper
    public Response apiException(ApiException e, UriInfo uri) {
        Problem problem = ProblemResponses.problem(e.type(), e.getMessage(), path(uri), e.errors(), e.extensions());
        Response.ResponseBuilder response = ProblemResponses.builder(problem);
        e.headers().forEach(response::header);
        return response.build();
    }

    @ServerExceptionMapper(priority = 1)
    public Response violations(ResteasyReactiveViolationException e, UriInfo uri) {
        return violationsResponse(e, uri);
    }

    @ServerExceptionMapper
    public Response violations(ConstraintViolationException e, UriInfo uri) {
        return violationsResponse(e, uri);
    }

    private Response violationsResponse(ConstraintViolationException e, UriInfo uri) {
        boolean returnValue = e.getConstraintViolations().stream().anyMatch(v -> isReturnValue(v.getPropertyPath()));
        if (returnValue) {
            // Our own response broke its contract: a bug, not the client's fault.
            LOG.errorf("Response validation failed: %s", e.getConstraintViolations());
            return ProblemResponses.response(ProblemType.INTERNAL_ERROR, path(uri), PlatformMessages.RESPONSE_INVALID);
        }
        List<FieldViolation> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldViolation(fieldName(v), code(v), v.getMessage()))
                .sorted(Comparator.comparing(FieldViolation::field).thenComparing(FieldViolation::message))
                .collect(Collectors.toList());
        return ProblemResponses.response(ProblemResponses.problem(ProblemType.VALIDATION_FAILED,
                ApiException.describe(Languages.current(), errors), path(uri), errors, Map.of()));
    }

    /**
     * The machine code of a Bean Validation finding: the constraint's simple name ({@code NotNull}, {@code Pattern},
     * {@code Size}...), stable whatever the message says.
     */
    public static String code(ConstraintViolation<?> violation) {
        return violation.getConstraintDescriptor() == null ? "invalid"
                : violation.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName();
    }

    @ServerExceptionMapper
    public Response jsonParse(JsonParseException e, UriInfo uri) {
        // Jackson's STRICT_DUPLICATE_DETECTION (StrictJson) names the key; the path is read from the parser itself.
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith("Duplicate field '") && e.getProcessor() != null) {
            JsonParser parser = e.getProcessor();
            String key = message.substring("Duplicate field '".length(), message.lastIndexOf('\''));
            String field = BodyProblems.pathOf(parser.getParsingContext());
            String name = field.isEmpty() ? key : field;
            return ProblemResponses.response(ProblemResponses.problem(ProblemType.MALFORMED_REQUEST,
                    PlatformMessages.BODY_DUPLICATE_KEY.text(key, e.getLocation().getLineNr(),
                            e.getLocation().getColumnNr()),
                    path(uri), List.of(FieldViolation.of(name, PlatformMessages.DUPLICATE_KEY)), Map.of()));
        }
        return ProblemResponses.response(ProblemType.MALFORMED_REQUEST, path(uri), PlatformMessages.BODY_NOT_JSON,
                e.getLocation().getLineNr(), e.getLocation().getColumnNr());
    }

    @ServerExceptionMapper
    public Response unknownProperty(UnrecognizedPropertyException e, UriInfo uri) {
        return fieldProblem(FieldViolation.of(jsonPath(e), PlatformMessages.UNKNOWN_FIELD), uri);
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e, UriInfo uri) {
        String field = jsonPath(e);
        return fieldProblem(e.getTargetType() == null ? FieldViolation.of(field, PlatformMessages.TYPE_OTHER)
                : BodyProblems.typeProblem(field, e.getTargetType()), uri);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        String field = jsonPath(e);
        String original = String.valueOf(e.getOriginalMessage());
        if (original.startsWith("Trailing token")) {
            // DeserializationFeature.FAIL_ON_TRAILING_TOKENS (StrictJson): {"a":1} {"b":2} is two values, not one.
            return ProblemResponses.response(ProblemType.MALFORMED_REQUEST, path(uri),
                    PlatformMessages.BODY_TRAILING_CONTENT, e.getLocation().getLineNr(), e.getLocation().getColumnNr());
        }
        if (original.startsWith("No content to map")) {
            return ProblemResponses.response(ProblemType.MALFORMED_REQUEST, path(uri), PlatformMessages.BODY_EMPTY);
        }
        if (field.isEmpty()) {
            return ProblemResponses.response(ProblemType.MALFORMED_REQUEST, path(uri), PlatformMessages.BODY_SHAPE);
        }
        return fieldProblem(e.getTargetType() == null ? FieldViolation.of(field, PlatformMessages.TYPE_OTHER)
                : BodyProblems.typeProblem(field, e.getTargetType()), uri);
    }

    @ServerExceptionMapper
    public Response nulCharacter(StrictJson.NulCharacterException e, UriInfo uri) {
        String field = jsonPath(e);
        return fieldProblem(FieldViolation.of(field.isEmpty() ? "body" : field, PlatformMessages.NUL_CHARACTER), uri);
    }

    @ServerExceptionMapper
    public Response jsonMapping(JsonMappingException e, UriInfo uri) {
        JsonParseException parse = causeOf(e, JsonParseException.class);
        if (parse != null) {
            return jsonParse(parse, uri); // e.g. a repeated key inside a nested object, wrapped with its path
        }
        // e.g. a record constructor that refused a value; its cause's message is ours, but may not be: stay generic.
        String field = jsonPath(e);
        if (field.isEmpty()) {
            return ProblemResponses.response(ProblemType.MALFORMED_REQUEST, path(uri), PlatformMessages.BODY_SHAPE);
        }
        return fieldProblem(FieldViolation.of(field, PlatformMessages.INVALID_VALUE), uri);
    }

    private static Response fieldProblem(FieldViolation error, UriInfo uri) {
        return ProblemResponses.response(ProblemResponses.problem(ProblemType.VALIDATION_FAILED,
                error.field() + ": " + error.message(), path(uri), List.of(error), Map.of()));
    }

    @ServerExceptionMapper
    public Response jsonProcessing(JsonProcessingException e, UriInfo uri) {
        return ProblemResponses.response(ProblemType.MALFORMED_REQUEST, path(uri), PlatformMessages.BODY_UNREADABLE);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthenticated(uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return unauthenticated(uri);
    }

    private Response unauthenticated(UriInfo uri) {
        return Response.fromResponse(ProblemResponses.response(ProblemType.UNAUTHORIZED, path(uri),
                PlatformMessages.BEARER_TOKEN_REQUIRED))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return ProblemResponses.response(ProblemType.FORBIDDEN, path(uri), PlatformMessages.ROLE_FORBIDDEN);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return ProblemResponses.response(ProblemType.NOT_FOUND, path(uri), PlatformMessages.NO_RESOURCE);
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, UriInfo uri) {
        Response r = ProblemResponses.response(ProblemType.METHOD_NOT_ALLOWED, path(uri),
                PlatformMessages.METHOD_NOT_SUPPORTED);
        Object allow = e.getResponse().getHeaders().getFirst(HttpHeaders.ALLOW);
        return allow == null ? r : Response.fromResponse(r).header(HttpHeaders.ALLOW, allow).build();
    }

    @ServerExceptionMapper
    public Response notSupported(NotSupportedException e, UriInfo uri) {
        return ProblemResponses.response(ProblemType.UNSUPPORTED_MEDIA_TYPE, path(uri),
                PlatformMessages.CONTENT_TYPE_NOT_ACCEPTED);
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e, UriInfo uri) {
        return ProblemResponses.response(ProblemType.NOT_ACCEPTABLE, path(uri), PlatformMessages.ACCEPT_NOT_SATISFIED);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        // The JSON reader wraps what Jackson found wrong with a body in a 400 (a parse error inside a nested object
        // comes wrapped once more, with its path); say what it was.
        JsonParseException parse = causeOf(e, JsonParseException.class);
        if (parse != null) {
            return jsonParse(parse, uri);
        }
        if (e.getCause() instanceof MismatchedInputException mismatch) {
            return mismatchedInput(mismatch, uri);
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("Request failed", e);
            return ProblemResponses.response(ProblemType.INTERNAL_ERROR, path(uri),
                    PlatformMessages.REQUEST_NOT_COMPLETED);
        }
        ProblemType type = ProblemType.forStatus(status);
        return type == ProblemType.MALFORMED_REQUEST
                ? ProblemResponses.response(type, path(uri), PlatformMessages.BODY_NOT_DOCUMENTED)
                : ProblemResponses.response(type, path(uri), type);
    }

    @ServerExceptionMapper
    public Response uniqueViolation(org.hibernate.exception.ConstraintViolationException e, UriInfo uri) {
        // A race that our own checks did not catch (two requests at once). The constraint name is ours; the SQL is not
        // shown.
        LOG.warnf("Database constraint %s refused a write", e.getConstraintName());
        return ProblemResponses.response(ProblemType.CONFLICT, path(uri), PlatformMessages.STATE_CONFLICT);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        Throwable cause = rootCause(e);
        if (cause instanceof ApiException api) {
            return apiException(api, uri);
        }
        if (cause instanceof org.hibernate.exception.ConstraintViolationException cve) {
            return uniqueViolation(cve, uri);
        }
        if (databaseUnreachable(e)) {
            // Not a bug: the database is away (restart, failover). Readiness says so too; the client may retry.
            LOG.warnf("Database unreachable: %s", cause.toString());
            return Response.fromResponse(ProblemResponses.response(ProblemType.SERVICE_UNAVAILABLE, path(uri),
                    PlatformMessages.DATABASE_UNREACHABLE))
                    .header("Retry-After", "5").build();
        }
        LOG.error("Unexpected error", e);
        return ProblemResponses.response(ProblemType.INTERNAL_ERROR, path(uri), PlatformMessages.UNEXPECTED_ERROR);
    }

    /**
     * A connection-level database failure anywhere in the chain: SQLState class 08 (connection exception), 57P01-03
     * (the server is shutting down or starting), Hibernate's JDBCConnectionException, or the pool's acquisition timeout.
     */
    static boolean databaseUnreachable(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 12; depth++, t = t.getCause()) {
            if (t instanceof org.hibernate.exception.JDBCConnectionException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P0"))) {
                    return true;
                }
                if (sql.getMessage() != null && sql.getMessage().contains("Acquisition timeout")) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        int depth = 0;
        while (t.getCause() != null && t.getCause() != t && depth++ < 10) {
            if (t instanceof ApiException) {
                return t;
            }
            t = t.getCause();
        }
        return t;
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        Throwable t = e.getCause();
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** The path as the client sent it (still percent-encoded), so {@code instance} is a valid URI reference. */
    static String path(UriInfo uri) {
        try {
            return uri == null ? null : uri.getPath(false);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean isReturnValue(Path path) {
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.RETURN_VALUE) {
                return true;
            }
        }
        return false;
    }

    /**
     * "create.body.email" becomes "email", "list.size" becomes "size": the client knows its fields and parameters,
     * not our method names.
     */
    public static String fieldName(ConstraintViolation<?> violation) {
        String parameter = null;
        List<String> properties = new ArrayList<>();
        for (Path.Node node : violation.getPropertyPath()) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, CROSS_PARAMETER, RETURN_VALUE -> {
                }
                case PARAMETER -> parameter = node.getName();
                default -> {
                    if (node.getIndex() != null && !properties.isEmpty()) {
                        int last = properties.size() - 1;
                        properties.set(last, properties.get(last) + "[" + node.getIndex() + "]");
                    } else if (node.getKey() != null && !properties.isEmpty()) {
                        int last = properties.size() - 1;
                        properties.set(last, properties.get(last) + "[" + node.getKey() + "]");
                    }
                    // A constraint on a list element (List<@Pattern String>) ends in a node named "<list element>":
                    // its index already went onto the list's name above, so "locations[0]", not the marker.
                    if (node.getName() != null && node.getKind() != ElementKind.CONTAINER_ELEMENT) {
                        properties.add(node.getName());
                    }
                }
            }
        }
        // A body or @BeanParam parameter is named by the property inside it; a plain parameter by its own name.
        if (!properties.isEmpty()) {
            return String.join(".", properties);
        }
        return parameter == null ? "body" : parameter;
    }

    public static String jsonPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

}
