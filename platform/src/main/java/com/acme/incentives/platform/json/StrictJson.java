package com.acme.incentives.platform.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * Text in a request body may not contain a NUL character: PostgreSQL cannot store one in text, and no value of ours
 * needs it. Refused while parsing, so the answer is a 400 naming the field (ProblemExceptionMappers), never a failure
 * deep in a transaction.
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
                    throw new NulCharacterException(parser);
                }
                return value;
            }
        });
        mapper.registerModule(module);
    }
}
