package com.acme.incentives.platform.problem;

import com.acme.incentives.platform.i18n.Languages;
import com.acme.incentives.platform.i18n.MessageKey;
import com.acme.incentives.platform.i18n.Messages;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Locale;

/**
 * One invalid input: the JSON path of the field (or the query/path parameter name), a stable machine {@code code} of
 * what is wrong (a front-end may translate by it; docs/conventions.md, "Languages") and the same in words, in the
 * request's language.
 */
@JsonPropertyOrder({ "field", "code", "message" })
public record FieldViolation(String field, String code, String message) {

    /** The field's problem in the language of the current request; the code is the key's. */
    public static FieldViolation of(String field, MessageKey key, Object... args) {
        return of(Languages.current(), field, key, args);
    }

    public static FieldViolation of(Locale language, String field, MessageKey key, Object... args) {
        return new FieldViolation(field, key.code(), Messages.text(language, key, args));
    }
}
