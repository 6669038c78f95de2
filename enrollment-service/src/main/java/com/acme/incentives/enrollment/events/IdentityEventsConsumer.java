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
import com.acme.incentives.platform.inbox.EventPayloads;
import com.acme.incentives.platform.inbox.PoisonEventException;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

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
    private static final Set<String> USER_EVENTS = Set.of("UserCreated", "RolesChanged", "UserLocaleChanged",
            "UserEmailPreferencesChanged", "UserActivated", "UserDeactivated", "UserReactivated");
    /** The user events that can change whether a started migration has every listed user set up. */
    private static final Set<String> MIGRATION_USER_EVENTS = Set.of("UserCreated", "RolesChanged",
            "UserActivated", "UserDeactivated", "UserReactivated");

    @Inject
    EventInbox inbox;

    @Inject
    EventPayloads payloads;

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

    /** identity-service's OrganizationRegistered, as far as enrollment reads it (docs/events.md). */
    record OrganizationRegistered(@NotNull UUID organizationId, @NotBlank String name,
            @NotBlank String primaryContactEmail, @NotBlank String primaryContactFirstName,
            @NotBlank String primaryContactLastName) {
    }

    /** identity-service's LocationAdded, as far as enrollment reads it. */
    record LocationAdded(@NotBlank String partnerId, @NotNull UUID organizationId, @NotBlank String name,
            @NotBlank String country, @NotBlank String partnerType) {
    }

    /**
     * The fields enrollment reads of any user event (UserCreated, RolesChanged, UserActivated, UserLocaleChanged,
     * UserEmailPreferencesChanged, UserDeactivated, UserReactivated): each event carries the user's organization and
     * email; {@code roles} and {@code locations} where the event says them (absent: none, or unchanged for
     * UserActivated), {@code locale} where the user chose one, {@code nonCriticalEmails} in the preferences event.
     */
    record UserEvent(@NotBlank String userId, @NotNull UUID organizationId, @NotBlank String email, List<String> roles,
            List<String> locations, String locale, Boolean nonCriticalEmails) {

        List<String> rolesOrNone() {
            return roles == null ? List.of() : roles;
        }

        List<String> locationsOrNone() {
            return locations == null ? List.of() : locations;
        }
    }

    void apply(EventEnvelope event) {
        switch (event.type()) {
            case "OrganizationRegistered" -> organizationRegistered(
                    payloads.read(event, OrganizationRegistered.class), event);
            case "LocationAdded" -> locationAdded(payloads.read(event, LocationAdded.class), event);
            case AuditTrail.EVENT_TYPE -> auditLog.record(event);
            default -> {
                if (USER_EVENTS.contains(event.type())) {
                    userEvent(payloads.read(event, UserEvent.class), event);
                }
                // other types are not needed by enrollment (yet); recorded as consumed all the same
            }
        }
    }

    private void userEvent(UserEvent data, EventEnvelope event) {
        switch (event.type()) {
            case "UserCreated" -> {
                userChanged(data, event);
                userLocale(data, event);
            }
            case "RolesChanged" -> userChanged(data, event);
            case "UserLocaleChanged" -> userLocale(data, event);
            case "UserEmailPreferencesChanged" -> userEmailPreferences(data, event);
            case "UserActivated" -> userActivated(data, event);
            case "UserDeactivated" -> userActive(data, event, false);
            case "UserReactivated" -> userActive(data, event, true);
            default -> throw new IllegalStateException("not a user event: " + event.type());
        }
        if (MIGRATION_USER_EVENTS.contains(event.type())) {
            // a started migration of the organization may now have (or no longer have) every listed user set up
            migrations.identityChanged(data.organizationId());
        }
    }

    private void organizationRegistered(OrganizationRegistered data, EventEnvelope event) {
        PartnerOrganization organization = PartnerOrganization.findById(data.organizationId());
        if (organization == null) {
            organization = new PartnerOrganization();
            organization.id = data.organizationId();
        }
        organization.name = data.name();
        organization.primaryContactEmail = data.primaryContactEmail();
        organization.primaryContactName = data.primaryContactFirstName() + " " + data.primaryContactLastName();
        organization.registeredAt = event.occurredAt();
        organization.persist();
        // an invitation issued for one of its locations before we knew the organization is mailed now
        enrollments.mailUnaddressedInvitations(data.organizationId());
    }

    private void locationAdded(LocationAdded data, EventEnvelope event) {
        PartnerLocation location = PartnerLocation.findById(data.partnerId());
        if (location == null) {
            location = new PartnerLocation();
            location.partnerId = data.partnerId();
        }
        location.organizationId = data.organizationId();
        location.name = data.name();
        location.country = data.country();
        location.partnerType = data.partnerType();
        location.addedAt = event.occurredAt();
        location.persist();
    }

    /** Keeps every user with their roles: whether one is an (active) incentive admin decides who is invited. */
    private void userChanged(UserEvent data, EventEnvelope event) {
        OrganizationUser user = user(data, event);
        user.roles = OrganizationUser.join(data.rolesOrNone());
        user.locations = OrganizationUser.join(data.locationsOrNone());
        user.persist();
    }

    /**
     * UserCreated's (optional, added later) and UserLocaleChanged's {@code locale}. Absent or null: no choice, the
     * user is mailed in English; a tag we have no templates for counts as none (see {@link MailLanguage#ofTag}).
     */
    private void userLocale(UserEvent data, EventEnvelope event) {
        OrganizationUser user = user(data, event);
        MailLanguage language = data.locale() == null ? null : MailLanguage.ofTag(data.locale());
        user.locale = language == null ? null : language.tag();
        user.persist();
    }

    private void userEmailPreferences(UserEvent data, EventEnvelope event) {
        if (data.nonCriticalEmails() == null) {
            throw new PoisonEventException("UserEmailPreferencesChanged without a boolean nonCriticalEmails");
        }
        OrganizationUser user = user(data, event);
        user.nonCriticalEmails = data.nonCriticalEmails();
        user.persist();
    }

    private void userActivated(UserEvent data, EventEnvelope event) {
        OrganizationUser user = user(data, event);
        if (data.roles() != null) {
            user.roles = OrganizationUser.join(data.roles());
        }
        user.activatedAt = event.occurredAt();
        user.persist();
    }

    private void userActive(UserEvent data, EventEnvelope event, boolean active) {
        OrganizationUser user = user(data, event);
        user.active = active;
        user.persist();
    }

    /** The user's row, created on the first event seen for it (identity events of one organization are in order). */
    private OrganizationUser user(UserEvent data, EventEnvelope event) {
        OrganizationUser user = OrganizationUser.findById(data.userId());
        if (user == null) {
            user = new OrganizationUser();
            user.userId = data.userId();
            user.active = true;
            user.roles = "";
            user.locations = "";
        }
        user.organizationId = data.organizationId();
        user.email = data.email();
        user.updatedAt = event.occurredAt();
        return user;
    }
}
