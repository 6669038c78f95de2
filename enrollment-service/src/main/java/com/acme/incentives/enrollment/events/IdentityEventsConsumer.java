package com.acme.incentives.enrollment.events;

import com.acme.incentives.enrollment.domain.MailLanguage;
import com.acme.incentives.enrollment.domain.OrganizationUser;
import com.acme.incentives.enrollment.domain.PartnerLocation;
import com.acme.incentives.enrollment.domain.PartnerOrganization;
import com.acme.incentives.enrollment.service.AuditLog;
import com.acme.incentives.enrollment.service.EnrollmentService;
import com.acme.incentives.enrollment.service.MigrationService;
import com.acme.incentives.platform.audit.AuditTrail;
import com.acme.incentives.platform.events.EventEnvelope;
import com.acme.incentives.platform.inbox.EventInbox;
import com.acme.incentives.platform.inbox.PoisonEventException;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Keeps enrollment's directory of partner organizations, locations and users from identity-service's events, and its
 * AuditRecorded entries in the organizations' audit log ({@link AuditLog}).
 */
@ApplicationScoped
public class IdentityEventsConsumer {

    static final String CONSUMER = "enrollment-service:identity-events";
    /** The events that change a user in the projection (an unknown type stays ignored, never dead-lettered). */
    private static final Set<String> USER_EVENTS = Set.of("UserCreated", "RolesChanged",
            "UserActivated", "UserDeactivated", "UserReactivated");

    @Inject
    EventInbox inbox;

    @Inject
    MigrationService migrations;

    @Inject
    EnrollmentService enrollments;

    @Inject
    AuditLog auditLog;

    @Incoming("identity-events")
    @Blocking
    public void onIdentityEvent(ConsumerRecord<String, String> record) {
        inbox.consume(CONSUMER, record, this::apply);
    }

    void apply(EventEnvelope event) {
        switch (event.type()) {
            case "OrganizationRegistered" -> organizationRegistered(event.data(), event);
            case "LocationAdded" -> locationAdded(event.data(), event);
            case "UserCreated" -> {
                userChanged(event.data(), event);
                userLocale(event.data(), event);
            }
            case "RolesChanged" -> userChanged(event.data(), event);
            case "UserLocaleChanged" -> userLocale(event.data(), event);
            case "UserEmailPreferencesChanged" -> userEmailPreferences(event.data(), event);
            case "UserActivated" -> userActivated(event.data(), event);
            case "UserDeactivated" -> userActive(event.data(), event, false);
            case "UserReactivated" -> userActive(event.data(), event, true);
            case AuditTrail.EVENT_TYPE -> auditLog.record(event);
            default -> {
                // not needed by enrollment (yet); recorded as consumed all the same
            }
        }
        if (USER_EVENTS.contains(event.type())) {
            // a started migration of the organization may now have (or no longer have) every listed user set up
            migrations.identityChanged(UUID.fromString(text(event.data(), "organizationId")));
        }
    }

    private void organizationRegistered(JsonNode data, EventEnvelope event) {
        UUID id = UUID.fromString(text(data, "organizationId"));
        PartnerOrganization organization = PartnerOrganization.findById(id);
        if (organization == null) {
            organization = new PartnerOrganization();
            organization.id = id;
        }
        organization.name = text(data, "name");
        organization.primaryContactEmail = text(data, "primaryContactEmail");
        organization.primaryContactName = text(data, "primaryContactFirstName") + " "
                + text(data, "primaryContactLastName");
        organization.registeredAt = event.occurredAt();
        organization.persist();
        // an invitation issued for one of its locations before we knew the organization is mailed now
        enrollments.mailUnaddressedInvitations(id);
    }

    private void locationAdded(JsonNode data, EventEnvelope event) {
        String partnerId = text(data, "partnerId");
        PartnerLocation location = PartnerLocation.findById(partnerId);
        if (location == null) {
            location = new PartnerLocation();
            location.partnerId = partnerId;
        }
        location.organizationId = UUID.fromString(text(data, "organizationId"));
        location.name = text(data, "name");
        location.country = text(data, "country");
        location.partnerType = text(data, "partnerType");
        location.addedAt = event.occurredAt();
        location.persist();
    }

    /** Keeps every user with their roles: whether one is an (active) incentive admin decides who is invited. */
    private void userChanged(JsonNode data, EventEnvelope event) {
        OrganizationUser user = user(data, event);
        user.roles = OrganizationUser.join(list(data, "roles"));
        user.locations = OrganizationUser.join(list(data, "locations"));
        user.persist();
    }

    /**
     * UserCreated's (optional, added later) and UserLocaleChanged's {@code locale}. Absent or null: no choice, the
     * user is mailed in English; a tag we have no templates for counts as none (see {@link MailLanguage#ofTag}).
     */
    private void userLocale(JsonNode data, EventEnvelope event) {
        OrganizationUser user = user(data, event);
        JsonNode locale = data.get("locale");
        MailLanguage language = locale == null || locale.isNull() ? null : MailLanguage.ofTag(locale.asText());
        user.locale = language == null ? null : language.tag();
        user.persist();
    }

    private void userEmailPreferences(JsonNode data, EventEnvelope event) {
        JsonNode wanted = data.get("nonCriticalEmails");
        if (wanted == null || !wanted.isBoolean()) {
            throw new PoisonEventException("UserEmailPreferencesChanged without a boolean nonCriticalEmails");
        }
        OrganizationUser user = user(data, event);
        user.nonCriticalEmails = wanted.asBoolean();
        user.persist();
    }

    private void userActivated(JsonNode data, EventEnvelope event) {
        OrganizationUser user = user(data, event);
        if (data.has("roles")) {
            user.roles = OrganizationUser.join(list(data, "roles"));
        }
        user.activatedAt = event.occurredAt();
        user.persist();
    }

    private void userActive(JsonNode data, EventEnvelope event, boolean active) {
        OrganizationUser user = user(data, event);
        user.active = active;
        user.persist();
    }

    /** The user's row, created on the first event seen for it (identity events of one organization are in order). */
    private OrganizationUser user(JsonNode data, EventEnvelope event) {
        String userId = text(data, "userId");
        OrganizationUser user = OrganizationUser.findById(userId);
        if (user == null) {
            user = new OrganizationUser();
            user.userId = userId;
            user.active = true;
            user.roles = "";
            user.locations = "";
        }
        user.organizationId = UUID.fromString(text(data, "organizationId"));
        user.email = text(data, "email");
        user.updatedAt = event.occurredAt();
        return user;
    }

    private static List<String> list(JsonNode data, String field) {
        JsonNode value = data.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new PoisonEventException("Identity event with " + field + " that is not a list");
        }
        List<String> result = new ArrayList<>();
        value.forEach(item -> result.add(item.asText()));
        return result;
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data == null ? null : data.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            throw new PoisonEventException("Identity event without " + field);
        }
        return value.asText();
    }
}
