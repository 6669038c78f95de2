package com.acme.incentives.platform.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one exception business code throws to answer a client with a problem. Rolls back the surrounding
 * transaction like any runtime exception.
 */
public class ApiException extends RuntimeException {

    private final ProblemType type;
    private final List<FieldViolation> errors;
    private final Map<String, Object> extensions = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(ProblemType type, String detail) {
        this(type, detail, List.of());
    }

    public ApiException(ProblemType type, String detail, List<FieldViolation> errors) {
        super(detail, null, false, false);
        this.type = type;
        this.errors = List.copyOf(errors);
    }

    public static ApiException notFound(String what) {
        return new ApiException(ProblemType.NOT_FOUND, what + " was not found");
    }

    public static ApiException conflict(String detail) {
        return new ApiException(ProblemType.CONFLICT, detail);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(ProblemType.FORBIDDEN, detail);
    }

    public static ApiException unprocessable(String detail) {
        return new ApiException(ProblemType.UNPROCESSABLE, detail);
    }

    /** A 400 naming one invalid field. */
    public static ApiException invalidField(String field, String message) {
        return new ApiException(ProblemType.VALIDATION_FAILED, field + ": " + message,
                List.of(new FieldViolation(field, message)));
    }

    public static ApiException invalid(List<FieldViolation> errors) {
        return new ApiException(ProblemType.VALIDATION_FAILED,
                errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                        : errors.size() + " fields are invalid: " + errors.stream().map(FieldViolation::field)
                                .distinct().collect(java.util.stream.Collectors.joining(", ")),
                errors);
    }

    /** Adds a problem-specific member, e.g. {@code with("earningId", id)}. */
    public ApiException with(String name, Object value) {
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
