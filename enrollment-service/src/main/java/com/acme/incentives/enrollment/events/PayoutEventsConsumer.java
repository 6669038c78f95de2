package com.acme.incentives.enrollment.events;

import com.acme.incentives.enrollment.domain.PayoutProfileState;
import com.acme.incentives.enrollment.mail.Notifications;
import com.acme.incentives.enrollment.service.AuditLog;
import com.acme.incentives.enrollment.service.EnrollmentService;
import com.acme.incentives.enrollment.webhooks.WebhookQueue;
import com.acme.incentives.platform.audit.AuditTrail;
import com.acme.incentives.platform.events.EventEnvelope;
import com.acme.incentives.platform.inbox.EventInbox;
import com.acme.incentives.platform.inbox.EventPayloads;
import com.acme.incentives.platform.inbox.PoisonEventException;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/**
 * payout.events: PayoutProfileStatusChanged moves accepted enrolments (they wait for COMPLETE profiles to be
 * ENROLLED); TaxProfileExpiring, a tax profile that expired (a PayoutProfileStatusChanged to taxProfile EXPIRED),
 * BankProfileRejected (an operator's rejection of a payment profile), PaymentHeld, PaymentSent, PaymentRejected and
 * PaymentReturned are mailed to the partner ({@link Notifications});
 * AuditRecorded goes to the organizations' audit log ({@link AuditLog}). Other payment events are not needed here.
 */
@ApplicationScoped
public class PayoutEventsConsumer {

    static final String CONSUMER = "enrollment-service:payout-events";

    @Inject
    EventInbox inbox;

    @Inject
    EventPayloads payloads;

    @Inject
    EnrollmentService enrollments;

    @Inject
    Notifications notifications;

    @Inject
    AuditLog auditLog;

    @Inject
    WebhookQueue webhooks;

    @Incoming("payout-events")
    @Blocking
    public void onPayoutEvent(ConsumerRecord<String, String> record) {
        inbox.consume(CONSUMER, record, this::apply);
    }

    /** payout-service's PayoutProfileStatusChanged, as far as enrollment reads it (docs/events.md). */
    record ProfileStatusChanged(@NotBlank String partnerId, UUID organizationId, @NotNull PayoutProfileState status,
            String taxProfile, String bankProfile, @NotNull Long sequence, Instant changedAt) {
    }

    record TaxProfileExpiring(@NotNull UUID organizationId, @NotBlank String partnerId, @NotNull LocalDate expiresOn) {
    }

    record BankProfileRejected(@NotNull UUID organizationId, @NotBlank String name, @NotBlank String reason) {
    }

    /**
     * The payment events enrollment mails (PaymentHeld, PaymentSent, PaymentRejected, PaymentReturned and the older
     * PaymentReversed): programme, period and bank reference are optional (PaymentSent lacks two), so are the hold's
     * reasons and forfeit date (added compatibly) and the bank's reason.
     */
    record PaymentEvent(@NotNull UUID organizationId, @NotBlank String partnerId, String programId, String period,
            @NotBlank String amount, @NotBlank String currency, String bankReference, List<String> holdReasons,
            String forfeitsAt, String reason) {

        Notifications.Payment payment() {
            return new Notifications.Payment(organizationId, partnerId, programId, period, amount, currency,
                    bankReference);
        }

        List<String> holdReasonsOrNone() {
            return holdReasons == null ? List.of() : holdReasons;
        }

        /** Added to PaymentHeld compatibly: null when absent, and when unreadable (it only adds a line to the mail). */
        Instant forfeitsAtOrNull() {
            try {
                return forfeitsAt == null ? null : Instant.parse(forfeitsAt);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }

    void apply(EventEnvelope event) {
        // the organization's subscribed webhook endpoints get it too, queued in this same transaction
        webhooks.queue(event);
        switch (event.type()) {
            case "PayoutProfileStatusChanged" -> profileChanged(payloads.read(event, ProfileStatusChanged.class),
                    event);
            case "TaxProfileExpiring" -> {
                TaxProfileExpiring expiring = payloads.read(event, TaxProfileExpiring.class);
                notifications.taxProfileExpiring(event.eventId(), expiring.organizationId(), expiring.partnerId(),
                        expiring.expiresOn());
            }
            case "PaymentHeld" -> {
                PaymentEvent held = payloads.read(event, PaymentEvent.class);
                notifications.paymentHeld(event.eventId(), held.payment(), held.holdReasonsOrNone(),
                        held.forfeitsAtOrNull());
            }
            case "BankProfileRejected" -> {
                BankProfileRejected rejected = payloads.read(event, BankProfileRejected.class);
                notifications.bankProfileRejected(event.eventId(), rejected.organizationId(), rejected.name(),
                        rejected.reason());
            }
            case "PaymentSent" -> notifications.paymentSent(event.eventId(),
                    payloads.read(event, PaymentEvent.class).payment());
            case "PaymentRejected" -> {
                PaymentEvent rejected = payloads.read(event, PaymentEvent.class);
                notifications.paymentRejected(event.eventId(), rejected.payment(), false, rejected.reason());
            }
            case "PaymentReturned", "PaymentReversed" -> {
                PaymentEvent returned = payloads.read(event, PaymentEvent.class);
                notifications.paymentRejected(event.eventId(), returned.payment(), true, returned.reason());
            }
            case AuditTrail.EVENT_TYPE -> auditLog.record(event);
            default -> {
                // not needed by enrollment; recorded as consumed all the same
            }
        }
    }

    private void profileChanged(ProfileStatusChanged changed, EventEnvelope event) {
        // taxProfile and bankProfile say which profile is missing or refused (ACTION_REQUIRED's required actions);
        // optional, so an event without them still moves the enrolment.
        boolean taxProfileExpired = enrollments.payoutProfileChanged(changed.partnerId(), changed.status(),
                changed.taxProfile(), changed.bankProfile(), changed.sequence(),
                changed.changedAt() != null ? changed.changedAt() : event.occurredAt());
        if (taxProfileExpired) {
            if (changed.organizationId() == null) {
                throw new PoisonEventException("PayoutProfileStatusChanged without organizationId");
            }
            notifications.taxProfileExpired(event.eventId(), changed.organizationId(), changed.partnerId());
        }
    }
}
