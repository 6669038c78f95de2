package com.acme.incentives.enrollment.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** A user of a partner organization as identity-service announced it (roles, locations, active, activated). */
@Entity
@Table(name = "organization_user")
public class OrganizationUser extends PanacheEntityBase {

    @Id
    @Column(name = "user_id")
    public String userId;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(nullable = false)
    public String email;

    @Column(nullable = false)
    public String roles;

    @Column(nullable = false)
    public String locations;

    @Column(nullable = false)
    public boolean active;

    @Column(name = "activated_at")
    public Instant activatedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The preferred language's tag (en, ja, ko); null when the user never chose one. */
    public String locale;

    /** Whether the user gets the non-critical emails (payment sent, enrolment completed); false once they opted out. */
    @Column(name = "non_critical_emails", nullable = false)
    public boolean nonCriticalEmails = true;

    /**
     * The language of this user's emails: their own, else {@code otherwise} (the language of the country the email is
     * about: a user at a Japanese partner who never chose reads Japanese more surely than English).
     */
    public MailLanguage language(MailLanguage otherwise) {
        MailLanguage language = MailLanguage.ofTag(locale);
        return language == null ? otherwise : language;
    }

    public List<String> roleList() {
        return split(roles);
    }

    public boolean hasRole(String role) {
        return roleList().contains(role);
    }

    /** An incentive role limited to listed locations covers only those; an empty list covers every location. */
    public boolean covers(String partnerId) {
        List<String> limited = split(locations);
        return limited.isEmpty() || limited.contains(partnerId);
    }

    public static String join(Collection<String> values) {
        return String.join(",", values);
    }

    private static List<String> split(String value) {
        return value == null || value.isBlank() ? List.of()
                : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The active users of an organization, by email: who its emails can go to. */
    public static List<OrganizationUser> active(UUID organizationId) {
        return OrganizationUser.list("organizationId = ?1 and active = true order by email", organizationId);
    }

    /** The organization's user with this email, if identity announced one. */
    public static OrganizationUser byEmail(UUID organizationId, String email) {
        return OrganizationUser.<OrganizationUser>find("organizationId = ?1 and lower(email) = lower(?2)",
                organizationId, email).firstResult();
    }

    /** Every user of an organization (active or not), for checking a migration's listed users. */
    public static List<OrganizationUser> ofOrganization(UUID organizationId) {
        return OrganizationUser.list("organizationId = ?1 order by email, userId", organizationId);
    }
}
