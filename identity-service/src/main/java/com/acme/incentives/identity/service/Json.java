package com.acme.incentives.identity.service;

import java.util.List;
import java.util.stream.Collectors;

/** Tiny JSON for audit details: only role names and partner IDs, which never need escaping beyond quotes. */
final class Json {

    private Json() {
    }

    static String array(List<String> values) {
        return values.stream().map(v -> "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(",", "[", "]"));
    }
}
