package com.acme.incentives.eligibility.rest;

import com.acme.incentives.platform.testing.OpenApiRules;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Every operation of this service is described as the contract needs it (OpenApiRules). */
@QuarkusTest
class OpenApiDocumentTest {

    @Test
    void everyOperationHasAnIdAnAnswerSchemaAndProblemRefusals() {
        OpenApiRules.assertFollowed();
    }
}
