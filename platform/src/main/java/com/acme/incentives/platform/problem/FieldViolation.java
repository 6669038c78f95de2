package com.acme.incentives.platform.problem;

/** One invalid input: the JSON path of the field (or the query/path parameter name) and what is wrong with it. */
public record FieldViolation(String field, String message) {
}
