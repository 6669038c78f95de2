package com.acme.incentives.enrollment.events;

import com.acme.incentives.platform.inbox.PoisonEventException;
import com.fasterxml.jackson.databind.JsonNode;

/** Reading required fields of an event's data; a missing one makes the event poison (dead-lettered at once). */
final class Fields {

    private Fields() {
    }

    static String text(JsonNode data, String field, String type) {
        JsonNode value = data == null ? null : data.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            throw new PoisonEventException(type + " without " + field);
        }
        return value.asText();
    }

    static long number(JsonNode data, String field, String type) {
        JsonNode value = data == null ? null : data.get(field);
        if (value == null || !value.canConvertToLong()) {
            throw new PoisonEventException(type + " without a numeric " + field);
        }
        return value.asLong();
    }
}
