package com.acme.incentives.payout.events;

import com.acme.incentives.payout.domain.LocationEnrollment;
import com.acme.incentives.payout.domain.PayoutAssignment;
import com.acme.incentives.platform.events.EventEnvelope;
import com.acme.incentives.platform.inbox.EventInbox;
import com.acme.incentives.platform.inbox.PoisonEventException;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * Keeps each location's enrolment status per programme from enrollment-service's EnrollmentChanged events; a
 * payout run holds payments of locations not ENROLLED. Events can arrive late or twice: one whose sequence is not
 * above the last applied one for that (location, programme) is ignored.
 */
@ApplicationScoped
public class EnrollmentEventsConsumer {

    static final String CONSUMER = "payout-service:enrollment-events";

    @Inject
    EventInbox inbox;

    @Incoming("enrollment-events")
    @Blocking
    public void onEnrollmentEvent(ConsumerRecord<String, String> record) {
        inbox.consume(CONSUMER, record, this::apply);
    }

    void apply(EventEnvelope event) {
        if (!"EnrollmentChanged".equals(event.type())) {
            return; // invitations and migrations do not change what payout does
        }
        JsonNode data = event.data();
        String partnerId = text(data, "partnerId");
        String programId = text(data, "programId");
        long sequence = number(data, "sequence");
        LocationEnrollment enrollment = LocationEnrollment.getEntityManager().find(LocationEnrollment.class,
                new PayoutAssignment.Key(partnerId, programId), jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (enrollment != null && enrollment.sequence >= sequence) {
            return; // stale or repeated
        }
        if (enrollment == null) {
            enrollment = new LocationEnrollment();
            enrollment.partnerId = partnerId;
            enrollment.programId = programId;
        }
        try {
            enrollment.organizationId = UUID.fromString(text(data, "organizationId"));
            enrollment.enrollmentId = data.hasNonNull("enrollmentId")
                    ? UUID.fromString(data.get("enrollmentId").asText()) : null;
            enrollment.earningsStartDate = data.hasNonNull("earningsStartDate")
                    ? LocalDate.parse(data.get("earningsStartDate").asText()) : null;
            enrollment.changedAt = data.hasNonNull("changedAt") ? Instant.parse(data.get("changedAt").asText())
                    : event.occurredAt();
        } catch (RuntimeException e) {
            throw new PoisonEventException("EnrollmentChanged with an unreadable field: " + e.getMessage());
        }
        enrollment.status = text(data, "status");
        enrollment.sequence = sequence;
        enrollment.persist();
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data == null ? null : data.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            throw new PoisonEventException("EnrollmentChanged without " + field);
        }
        return value.asText();
    }

    private static long number(JsonNode data, String field) {
        JsonNode value = data == null ? null : data.get(field);
        if (value == null || !value.canConvertToLong()) {
            throw new PoisonEventException("EnrollmentChanged without a numeric " + field);
        }
        return value.asLong();
    }
}
