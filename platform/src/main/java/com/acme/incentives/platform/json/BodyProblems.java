package com.acme.incentives.platform.json;

import com.acme.incentives.platform.i18n.MessageKey;
import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.platform.problem.FieldViolation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.util.ClassUtil;
import com.fasterxml.jackson.databind.util.TokenBuffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The field problems Jackson meets while it reads one request body (an unknown field, a string where a number is
 * expected, an unknown enum name, an object where text is expected), collected instead of thrown at the first one, so
 * the client learns of every invalid field in one answer ({@link BodyValidation} adds Bean Validation's findings and
 * refuses the body). A problem is collected only while a request body is being read through {@link BodyValidation};
 * everywhere else (events, stored replies) Jackson fails at the first problem as usual.
 */
public final class BodyProblems {

    private static final ThreadLocal<List<FieldViolation>> CURRENT = new ThreadLocal<>();

    private BodyProblems() {
    }

    /** Starts collecting on this thread; the list fills while the body is read. */
    static List<FieldViolation> start() {
        List<FieldViolation> problems = new ArrayList<>();
        CURRENT.set(problems);
        return problems;
    }

    static void stop() {
        CURRENT.remove();
    }

    /** Whether a problem should be collected (true) or thrown (false). */
    static boolean collecting() {
        return CURRENT.get() != null;
    }

    static void add(String field, MessageKey message, Object... args) {
        add(FieldViolation.of(field.isEmpty() ? "body" : field, message, args));
    }

    static void add(FieldViolation problem) {
        List<FieldViolation> problems = CURRENT.get();
        if (problems != null) {
            problems.add(problem);
        }
    }

    /**
     * The JSON path of the value the parser stands on, as {@code agreements[17].validTo}: the name clients use for
     * their own fields.
     */
    static String path(JsonParser parser) {
        JsonStreamContext context = parser.getParsingContext();
        JsonToken token = parser.currentToken();
        // On the start of an object or array the parser has already entered it: its field is named in the parent.
        if ((token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) && context.getParent() != null) {
            context = context.getParent();
        }
        return path(context);
    }

    /** The JSON path of a parsing context (the object or array the parser is in, with its current name/index). */
    public static String pathOf(JsonStreamContext context) {
        return path(context);
    }

    static String path(JsonStreamContext context) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                parts.add(0, "." + c.getCurrentName());
            } else if (c.inArray()) {
                parts.add(0, "[" + Math.max(c.getCurrentIndex(), 0) + "]");
            }
        }
        String joined = String.join("", parts);
        return joined.startsWith(".") ? joined.substring(1) : joined;
    }

    /**
     * The field's problem when its value is not of this type, saying what a client must send ("must be a number",
     * "must be one of A, B"), in the request's language; its code is {@code type}.
     */
    public static FieldViolation typeProblem(String field, Class<?> type) {
        if (type.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object c : type.getEnumConstants()) {
                names.add(((Enum<?>) c).name());
            }
            return FieldViolation.of(field, PlatformMessages.TYPE_ONE_OF, String.join(", ", names));
        }
        return FieldViolation.of(field, typeMessage(type));
    }

    private static PlatformMessages typeMessage(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return PlatformMessages.TYPE_WHOLE_NUMBER;
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return PlatformMessages.TYPE_NUMBER;
        }
        if (type == Boolean.class || type == boolean.class) {
            return PlatformMessages.TYPE_BOOLEAN;
        }
        if (type == java.time.LocalDate.class) {
            return PlatformMessages.TYPE_DATE;
        }
        if (type == java.time.Instant.class || type == java.time.OffsetDateTime.class) {
            return PlatformMessages.TYPE_TIMESTAMP;
        }
        if (type == java.util.UUID.class) {
            return PlatformMessages.TYPE_UUID;
        }
        if (type == String.class) {
            return PlatformMessages.TYPE_STRING;
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return PlatformMessages.TYPE_ARRAY;
        }
        return PlatformMessages.TYPE_OBJECT;
    }

    /**
     * Records each problem and lets Jackson go on with an empty value (null, or 0/false for a primitive), so the
     * other fields are still read and checked. A problem of the whole body (an array where an object is expected)
     * is not collected: the body has not the documented shape at all (ProblemExceptionMappers answers it).
     */
    static final class Handler extends DeserializationProblemHandler {

        @Override
        public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser,
                com.fasterxml.jackson.databind.JsonDeserializer<?> deserializer, Object beanOrClass,
                String propertyName) throws IOException {
            if (!collecting()) {
                return false;
            }
            String field;
            if (parser.getClass().getEnclosingClass() == TokenBuffer.class) {
                // A record's unknown properties are buffered while its constructor arguments are gathered and
                // replayed from the buffer afterwards; the buffer's parsing context is not the document's (after an
                // empty array it still names the array's first element). The document's own parser then stands
                // after the record's last constructor argument: on the record's next field name, or on its end
                // (where Jackson has already stepped out to the record's parent).
                JsonParser document = context.getParser();
                JsonStreamContext record = document.getParsingContext();
                if (document.currentToken() != JsonToken.END_OBJECT && record.getParent() != null) {
                    record = record.getParent();
                }
                String at = path(record);
                field = at.isEmpty() ? propertyName : at + "." + propertyName;
            } else {
                // The parser stands on the property's value, so the path ends with the property's name.
                String at = path(parser);
                field = at.endsWith(propertyName) ? at : at.isEmpty() ? propertyName : at + "." + propertyName;
            }
            add(field, PlatformMessages.UNKNOWN_FIELD);
            parser.skipChildren();
            return true;
        }

        @Override
        public Object handleWeirdStringValue(DeserializationContext context, Class<?> targetType, String value,
                String failureMsg) {
            return collect(context, targetType);
        }

        @Override
        public Object handleWeirdNumberValue(DeserializationContext context, Class<?> targetType, Number value,
                String failureMsg) {
            return collect(context, targetType);
        }

        @Override
        public Object handleUnexpectedToken(DeserializationContext context, JavaType targetType, JsonToken token,
                JsonParser parser, String failureMsg) throws IOException {
            if (!collecting() || path(parser).isEmpty()) {
                return NOT_HANDLED;
            }
            Object empty = collect(context, targetType.getRawClass());
            parser.skipChildren();
            return empty;
        }

        @Override
        public Object handleMissingInstantiator(DeserializationContext context, Class<?> instClass,
                ValueInstantiator instantiator, JsonParser parser, String msg) throws IOException {
            if (!collecting() || path(parser).isEmpty()) {
                return NOT_HANDLED;
            }
            Object empty = collect(context, instClass);
            parser.skipChildren();
            return empty;
        }

        private static Object collect(DeserializationContext context, Class<?> targetType) {
            JsonParser parser = context.getParser();
            if (!collecting() || parser == null) {
                return NOT_HANDLED;
            }
            String field = path(parser);
            if (field.isEmpty()) {
                return NOT_HANDLED;
            }
            add(typeProblem(field, targetType));
            return targetType.isPrimitive() ? ClassUtil.defaultValue(targetType) : null;
        }
    }
}
