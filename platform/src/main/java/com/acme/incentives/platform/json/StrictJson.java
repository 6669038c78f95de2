package com.acme.incentives.platform.json;

import com.acme.incentives.platform.i18n.PlatformMessages;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * JSON input is strict, for request bodies and everything else this service reads:
 * <ul>
 * <li>text may not contain a NUL character: PostgreSQL cannot store one in text, and no value of ours needs it.
 * Refused while parsing, so the answer is a 400 naming the field (ProblemExceptionMappers), never a failure deep in a
 * transaction;</li>
 * <li>a key repeated in one object is refused: which of the two values counts is otherwise up to the parser, and a
 * check made by one reader (a proxy, a WAF) could pass a value another reads differently;</li>
 * <li>anything after the JSON value ({@code {...} {...}}) is refused rather than silently ignored;</li>
 * <li>in a request body, every field problem is collected ({@link BodyProblems}) so one answer names them all.</li>
 * </ul>
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    /** Raised for a string value with a NUL character; carries the JSON path like any mapping error. */
    public static class NulCharacterException extends JsonMappingException {
        NulCharacterException(JsonParser parser) {
            super(parser, "must not contain a NUL character");
        }
    }

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("strict-json-text");
        module.addDeserializer(String.class, new StringDeserializer() {
            @Override
            public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                String value = super.deserialize(parser, context);
                if (value != null && value.indexOf('\u0000') >= 0) {
                    if (BodyProblems.collecting()) {
                        BodyProblems.add(BodyProblems.path(parser), PlatformMessages.NUL_CHARACTER);
                        return null;
                    }
                    throw new NulCharacterException(parser);
                }
                return value;
            }
        });
        mapper.registerModule(module);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.addHandler(new BodyProblems.Handler());
    }
}
