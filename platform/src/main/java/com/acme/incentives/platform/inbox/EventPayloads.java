package com.acme.incentives.platform.inbox;

import com.acme.incentives.platform.events.EventEnvelope;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An event's {@code data} read as the record its consumer declares: {@code payloads.read(event, LocationAdded.class)}.
 * The record names only the fields that consumer uses, with Bean Validation constraints saying what it needs
 * ({@code @NotBlank}, {@code @NotNull UUID}, {@code @Pattern}); every consumer of every service reads events this way
 * instead of picking fields out of the JSON by hand.
 * <p>
 * A tolerant reader: fields the record does not name are ignored, because producers add fields over time
 * (docs/events.md, "Versioning"), whereas the REST API refuses unknown ones. Anything that does not fit the record (a
 * required field missing or blank, a UUID or date that does not parse, an unknown enum constant) is a
 * {@link PoisonEventException} naming the event type and the field: no number of retries would make it fit, so the
 * inbox dead-letters it at once.
 */
@ApplicationScoped
public class EventPayloads {

    private final ObjectMapper json;
    private final Validator validator;

    @Inject
    public EventPayloads(ObjectMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    public <T> T read(EventEnvelope event, Class<T> type) {
        if (event.data() == null || !event.data().isObject()) {
            throw new PoisonEventException(event.type() + " without a data object");
        }
        T payload;
        try {
            ObjectReader reader = json.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
            payload = reader.readValue(json.treeAsTokens(event.data()));
        } catch (JsonMappingException e) {
            throw new PoisonEventException(event.type() + " with an unreadable " + path(e) + ": "
                    + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new PoisonEventException(event.type() + " with unreadable data: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new PoisonEventException(event.type() + " with unreadable data", e);
        }
        Set<ConstraintViolation<T>> violations = validator.validate(payload);
        if (!violations.isEmpty()) {
            throw new PoisonEventException(event.type() + " against its contract: " + violations.stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .map(v -> v.getPropertyPath() + " " + v.getMessage()).collect(Collectors.joining(", ")));
        }
        return payload;
    }

    /** The field the mapping failed on, as a JSON path ({@code roles[2]}, {@code partnerId}). */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "data" : path.toString();
    }
}
