package com.acme.incentives.platform.json;

import com.acme.incentives.platform.problem.FieldViolation;
import com.acme.incentives.platform.web.ProblemExceptionMappers;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON paths a request body's problems are reported under, as a client names its own fields. */
class BodyProblemsTest {

    record Row(String id, int count) {
    }

    record Batch(List<Row> agreements, List<Row> competencies) {
    }

    /** The fields named: those collected, and the one Jackson stopped at if it did (as BodyValidation reports). */
    private static List<FieldViolation> problemsReading(String json) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        new StrictJson().customize(mapper);
        List<FieldViolation> collected = BodyProblems.start();
        List<FieldViolation> problems = new ArrayList<>();
        try {
            mapper.readValue(json, Batch.class);
        } catch (JsonMappingException e) {
            problems.add(new FieldViolation(ProblemExceptionMappers.jsonPath(e), "jackson", e.getOriginalMessage()));
        } finally {
            BodyProblems.stop();
        }
        problems.addAll(0, collected);
        return problems;
    }

    @Test
    void anUnknownFieldAfterAnEmptyArrayIsNamedFromTheTop() throws Exception {
        assertThat(problemsReading("{\"agreements\": [], \"contracts\": []}"))
                .extracting(FieldViolation::field).containsExactly("contracts");
    }

    @Test
    void anUnknownFieldAfterAFilledArrayIsNamedFromTheTop() throws Exception {
        assertThat(problemsReading("{\"agreements\": [{\"id\": \"a\", \"count\": 1}], \"contracts\": 3}"))
                .extracting(FieldViolation::field).containsExactly("contracts");
    }

    @Test
    void problemsInsideRowsNameTheRow() throws Exception {
        assertThat(problemsReading("{\"agreements\": [{\"id\": \"a\", \"count\": 1}, {\"id\": \"b\", \"count\": \"x\","
                + " \"extra\": 1}]}"))
                .extracting(FieldViolation::field).containsExactlyInAnyOrder("agreements[1].count", "agreements[1].extra");
    }

    @Test
    void anUnknownFieldBeforeTheLastArgumentOfARowNamesTheRow() throws Exception {
        assertThat(problemsReading("{\"agreements\": [{\"id\": \"a\", \"count\": 1}, {\"extra\": 1, \"id\": \"b\","
                + " \"count\": 2, \"more\": 3}], \"competencies\": []}"))
                .extracting(FieldViolation::field)
                .containsExactlyInAnyOrder("agreements[1].extra", "agreements[1].more");
    }

    @Test
    void anUnknownFieldBeforeTheLastArgumentAtTheTopIsNamedFromTheTop() throws Exception {
        assertThat(problemsReading("{\"contracts\": 1, \"agreements\": [], \"competencies\": [{\"id\": \"c\","
                + " \"count\": 1, \"other\": true}]}"))
                .extracting(FieldViolation::field)
                .containsExactlyInAnyOrder("contracts", "competencies[0].other");
    }
}
