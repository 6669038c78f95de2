package com.acme.incentives.platform.problem;

import com.acme.incentives.platform.i18n.Languages;
import com.acme.incentives.platform.i18n.MessageKey;
import com.acme.incentives.platform.i18n.Messages;
import com.acme.incentives.platform.i18n.PlatformMessages;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one exception business code throws to answer a client with a problem. Rolls back the surrounding
 * transaction like any runtime exception. Its detail is a message key and arguments, told in the language of the
 * request ({@link Languages}): {@code ApiException.notFound(IdentityMessages.USER_NOT_FOUND, userId)}.
 */
public class ApiException extends RuntimeException {

    /** The members of every problem ({@link Problem}): an extension may not take their names. */
    private static final java.util.Set<String> RESERVED_MEMBERS = java.util.Set.of("type", "title", "status", "detail",
            "instance", "correlationId", "errors");

    private final ProblemType type;
    private final List<FieldViolation> errors;
    private final Map<String, Object> extensions = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(ProblemType type, MessageKey detail, Object... args) {
        this(type, List.of(), detail, args);
    }

    public ApiException(ProblemType type, List<FieldViolation> errors, MessageKey detail, Object... args) {
        this(type, Messages.text(Languages.current(), detail, args), errors);
    }

    /** A detail already told in the request's language (e.g. summing up field errors). */
    private ApiException(ProblemType type, String detail, List<FieldViolation> errors) {
        super(detail, null, false, false);
        this.type = type;
        this.errors = List.copyOf(errors);
    }

    public static ApiException notFound(MessageKey detail, Object... args) {
        return new ApiException(ProblemType.NOT_FOUND, detail, args);
    }

    public static ApiException conflict(MessageKey detail, Object... args) {
        return new ApiException(ProblemType.CONFLICT, detail, args);
    }

    public static ApiException forbidden(MessageKey detail, Object... args) {
        return new ApiException(ProblemType.FORBIDDEN, detail, args);
    }

    public static ApiException unprocessable(MessageKey detail, Object... args) {
        return new ApiException(ProblemType.UNPROCESSABLE, detail, args);
    }

    /** A 400 naming one invalid field. */
    public static ApiException invalidField(String field, MessageKey message, Object... args) {
        return invalid(List.of(FieldViolation.of(field, message, args)));
    }

    public static ApiException invalid(List<FieldViolation> errors) {
        return new ApiException(ProblemType.VALIDATION_FAILED, describe(Languages.current(), errors), errors);
    }

    /** The detail of a 400 listing field errors: "field: message" for one, the fields named for more. */
    public static String describe(Locale language, List<FieldViolation> errors) {
        if (errors.size() == 1) {
            return errors.get(0).field() + ": " + errors.get(0).message();
        }
        return Messages.text(language, PlatformMessages.FIELDS_INVALID, errors.size(),
                errors.stream().map(FieldViolation::field).distinct().collect(Collectors.joining(", ")));
    }

    /** Adds a problem-specific member, e.g. {@code with("earningId", id)}. */
    public ApiException with(String name, Object value) {
        // A member named like one of RFC 9457's (status, type…) would replace it: a client reading "status" as the
        // HTTP status would find a payment's instead.
        if (RESERVED_MEMBERS.contains(name)) {
            throw new IllegalArgumentException("'" + name + "' is a member every problem has; name the extension");
        }
        extensions.put(name, value);
        return this;
    }

    /** Adds a response header to the problem answer, e.g. {@code header("ETag", "\"3\"")} on a 412. */
    public ApiException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public ProblemType type() {
        return type;
    }

    public List<FieldViolation> errors() {
        return errors;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
