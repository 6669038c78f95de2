package com.acme.incentives.platform.i18n;

/**
 * The platform's texts (bundle {@code messages/problems}): the details of the problems every service answers the same
 * way, and the field messages shared by every service. A field message's key is its error's {@code code} unless the
 * constant names another (every "must be a number/date/…" is {@code type}).
 */
public enum PlatformMessages implements MessageKey {
    // --- problem details ---
    FIELDS_INVALID,
    PARAMETERS_INVALID,
    UNKNOWN_QUERY_PARAMETER,
    UNKNOWN_QUERY_PARAMETERS,
    NO_PARAMETERS,
    RESPONSE_INVALID,
    BODY_DUPLICATE_KEY,
    BODY_NOT_JSON,
    BODY_TRAILING_CONTENT,
    BODY_EMPTY,
    BODY_SHAPE,
    BODY_UNREADABLE,
    BODY_NOT_DOCUMENTED,
    BEARER_TOKEN_REQUIRED,
    ROLE_FORBIDDEN,
    NO_RESOURCE,
    METHOD_NOT_SUPPORTED,
    CONTENT_TYPE_NOT_ACCEPTED,
    ACCEPT_NOT_SATISFIED,
    REQUEST_NOT_COMPLETED,
    STATE_CONFLICT,
    DATABASE_UNREACHABLE,
    UNEXPECTED_ERROR,
    URI_TOO_LONG,
    URI_NUL,
    BODY_TOO_LARGE_FOR_SERVICE,
    BODY_WITHOUT_CONTENT_TYPE,
    BODY_TOO_LARGE,
    IF_MATCH_REQUIRED,
    VERSION_CHANGED,
    IDEMPOTENCY_KEY_REUSED,
    ORGANIZATION_NOT_FOUND,
    LOCATION_NOT_FOUND,
    // --- field messages (the key is the code unless named) ---
    DUPLICATE_KEY,
    UNKNOWN_FIELD,
    TYPE_ONE_OF("type"),
    TYPE_WHOLE_NUMBER("type"),
    TYPE_NUMBER("type"),
    TYPE_BOOLEAN("type"),
    TYPE_DATE("type"),
    TYPE_TIMESTAMP("type"),
    TYPE_UUID("type"),
    TYPE_STRING("type"),
    TYPE_ARRAY("type"),
    TYPE_OBJECT("type"),
    TYPE_OTHER("type"),
    NUL_CHARACTER,
    INVALID_VALUE,
    UNKNOWN_PARAMETER,
    WHOLE_NUMBER_AT_MOST("range"),
    GIVEN_ONCE,
    NOT_SORTABLE,
    SORT_BY,
    IF_MATCH_FORMAT,
    IDEMPOTENCY_KEY_FORMAT,
    LISTED_TWICE,
    REQUIRED,
    MONTH_FORMAT,
    DATE_FORMAT,
    UUID_FORMAT,
    CURRENCY_CODE,
    COUNTRY_CODE,
    PARTNER_ID_FORMAT,
    PROGRAM_ID_FORMAT,
    NOT_A_LOCATION_OF_ORGANIZATION,
    UNKNOWN_LOCATION;

    private final String code;

    PlatformMessages() {
        this.code = null;
    }

    PlatformMessages(String code) {
        this.code = code;
    }

    @Override
    public String bundle() {
        return "messages/problems";
    }

    @Override
    public String code() {
        return code == null ? key() : code;
    }
}
