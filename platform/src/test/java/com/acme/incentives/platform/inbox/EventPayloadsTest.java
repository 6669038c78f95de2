package com.acme.incentives.platform.inbox;

import com.acme.incentives.platform.events.EventEnvelope;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.Validation;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading an event's data as a consumer's record: tolerant of new fields, a poison event for anything else. */
class EventPayloadsTest {

    enum Kind { DIRECT, INDIRECT }

    record Sample(@NotNull @Pattern(regexp = "[0-9]{1,12}") String partnerId, @NotNull UUID organizationId,
            @NotBlank String name, Kind kind, LocalDate startsOn, Long sequence, List<String> roles) {
    }

    // The service's ObjectMapper fails on unknown properties (request bodies are strict); events must not.
    private final EventPayloads payloads = new EventPayloads(
            new ObjectMapper().findAndRegisterModules().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES),
            Validation.byDefaultProvider().configure().messageInterpolator(new ParameterMessageInterpolator())
                    .buildValidatorFactory().getValidator());

    private static final UUID ORG = UUID.fromString("6f0c8a52-7a4e-4a57-9d0b-1f1f7a0c2b11");

    @Test
    void readsTheFieldsTheRecordNamesAndIgnoresTheOthers() throws Exception {
        Sample sample = payloads.read(event("""
                {"partnerId":"123","organizationId":"%s","name":"Munich","kind":"INDIRECT","startsOn":"2026-02-01",
                 "sequence":7,"roles":["A","B"],"addedLaterByTheProducer":{"x":1}}""".formatted(ORG)), Sample.class);
        assertThat(sample).isEqualTo(new Sample("123", ORG, "Munich", Kind.INDIRECT, LocalDate.of(2026, 2, 1), 7L,
                List.of("A", "B")));
    }

    @Test
    void optionalFieldsMayBeAbsentOrNull() throws Exception {
        Sample sample = payloads.read(event("""
                {"partnerId":"123","organizationId":"%s","name":"Munich","kind":null}""".formatted(ORG)),
                Sample.class);
        assertThat(sample.kind()).isNull();
        assertThat(sample.roles()).isNull();
    }

    @Test
    void aFieldAgainstTheContractIsAPoisonEventNamingTheField() {
        assertPoison("""
                {"organizationId":"%s","name":"Munich"}""".formatted(ORG), "Sample against its contract: partnerId");
        assertPoison("""
                {"partnerId":"12ab","organizationId":"%s","name":"Munich"}""".formatted(ORG), "partnerId must match");
        assertPoison("""
                {"partnerId":"123","organizationId":"%s","name":"  "}""".formatted(ORG), "name must not be blank");
        assertPoison("""
                {"partnerId":"123","organizationId":"not-a-uuid","name":"Munich"}""", "unreadable organizationId");
        assertPoison("""
                {"partnerId":"123","organizationId":"%s","name":"M","kind":"DISTRIBUTOR"}""".formatted(ORG),
                "unreadable kind");
        assertPoison("""
                {"partnerId":"123","organizationId":"%s","name":"M","startsOn":"2026-02-30"}""".formatted(ORG),
                "unreadable startsOn");
        assertPoison("""
                {"partnerId":"123","organizationId":"%s","name":"M","roles":"A"}""".formatted(ORG),
                "unreadable roles");
        assertPoison("""
                {"partnerId":"123","organizationId":"%s","name":"M","sequence":"seven"}""".formatted(ORG),
                "unreadable sequence");
    }

    @Test
    void dataThatIsNotAnObjectIsAPoisonEvent() {
        assertThatThrownBy(() -> payloads.read(new EventEnvelope(UUID.randomUUID(), "Sample", "a", Instant.now(), 1,
                null), Sample.class)).isInstanceOf(PoisonEventException.class).hasMessage("Sample without a data object");
        assertPoison("[1,2]", "Sample without a data object");
    }

    private void assertPoison(String data, String message) {
        assertThatThrownBy(() -> payloads.read(event(data), Sample.class))
                .isInstanceOf(PoisonEventException.class).hasMessageContaining(message);
    }

    private static EventEnvelope event(String data) throws Exception {
        JsonNode node = new ObjectMapper().readTree(data);
        return new EventEnvelope(UUID.randomUUID(), "Sample", "a", Instant.now(), 1, node);
    }
}
