package com.acme.incentives.payout.events;

import com.acme.incentives.payout.domain.LocationEnrollment;
import com.acme.incentives.payout.domain.PayoutAssignment;
import com.acme.incentives.platform.events.EventEnvelope;
import com.acme.incentives.platform.inbox.EventInbox;
import com.acme.incentives.platform.inbox.EventPayloads;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
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

    @Inject
    EventPayloads payloads;

    @Incoming("enrollment-events")
    @Blocking
    public void onEnrollmentEvent(ConsumerRecord<String, String> record) {
        inbox.consume(CONSUMER, record, this::apply);
    }

    /**
     * enrollment-service's EnrollmentChanged, as far as payout reads it (docs/events.md): {@code enrollmentId} and
     * {@code earningsStartDate} may be absent, {@code changedAt} too (the event's time then).
     */
    record EnrollmentChanged(@NotBlank String partnerId, @NotBlank String programId, @NotNull Long sequence,
            @NotNull UUID organizationId, UUID enrollmentId, LocalDate earningsStartDate, Instant changedAt,
            @NotBlank String status) {
    }

    void apply(EventEnvelope event) {
        if (!"EnrollmentChanged".equals(event.type())) {
            return; // invitations and migrations do not change what payout does
        }
        EnrollmentChanged changed = payloads.read(event, EnrollmentChanged.class);
        LocationEnrollment enrollment = LocationEnrollment.getEntityManager().find(LocationEnrollment.class,
                new PayoutAssignment.Key(changed.partnerId(), changed.programId()),
                jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (enrollment != null && enrollment.sequence >= changed.sequence()) {
            return; // stale or repeated
        }
        if (enrollment == null) {
            enrollment = new LocationEnrollment();
            enrollment.partnerId = changed.partnerId();
            enrollment.programId = changed.programId();
        }
        enrollment.organizationId = changed.organizationId();
        enrollment.enrollmentId = changed.enrollmentId();
        enrollment.earningsStartDate = changed.earningsStartDate();
        enrollment.changedAt = changed.changedAt() != null ? changed.changedAt() : event.occurredAt();
        enrollment.status = changed.status();
        enrollment.sequence = changed.sequence();
        enrollment.persist();
    }
}
