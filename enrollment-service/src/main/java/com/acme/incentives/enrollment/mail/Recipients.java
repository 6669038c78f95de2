package com.acme.incentives.enrollment.mail;

import com.acme.incentives.enrollment.domain.MailLanguage;
import com.acme.incentives.enrollment.domain.OrganizationUser;
import com.acme.incentives.enrollment.domain.PartnerLocation;
import com.acme.incentives.enrollment.domain.PartnerOrganization;
import com.acme.incentives.platform.security.Roles;

import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Who an organization's emails about one of its locations go to, each in their language (their own, else the
 * language of the location's country): the active users whose roles the email is for and who cover the location; when
 * there is none (no such user yet, or identity has not told us of any), the organization's primary contact, so that no
 * email about a partner's money or enrolment goes to nobody.
 */
public final class Recipients {

    /**
     * Who an email goes to, and in which language; {@code nonCriticalEmails}: false when they opted out of the
     * non-critical ones.
     */
    public record Recipient(String email, MailLanguage language, boolean nonCriticalEmails) {
        public Recipient(String email, MailLanguage language) {
            this(email, language, true);
        }

        static Recipient of(OrganizationUser user, MailLanguage otherwise) {
            return new Recipient(user.email, user.language(otherwise), user.nonCriticalEmails);
        }
    }

    private Recipients() {
    }

    /** Incentive admins covering the location: invitations and enrolments, which only they act on. */
    public static List<Recipient> incentiveAdmins(UUID organizationId, String partnerId) {
        return covering(organizationId, partnerId, user -> user.hasRole(Roles.INCENTIVE_ADMIN));
    }

    /**
     * Incentive admins and incentive users covering the location: payments, which both read (statements and payments
     * are theirs in the portal).
     */
    public static List<Recipient> incentiveTeam(UUID organizationId, String partnerId) {
        return covering(organizationId, partnerId,
                user -> user.hasRole(Roles.INCENTIVE_ADMIN) || user.hasRole(Roles.INCENTIVE_USER));
    }

    /**
     * Users of the organization with any of {@code roles}, whatever locations they cover (each in their language, else
     * the language of the organization's locations' country): its migration, which is the whole organization's.
     */
    public static List<Recipient> withRoles(UUID organizationId, List<String> roles) {
        PartnerOrganization organization = PartnerOrganization.findById(organizationId);
        List<String> countries = PartnerLocation.<PartnerLocation>list("organizationId", organizationId).stream()
                .map(l -> l.country).toList();
        MailLanguage ofCountries = MailTemplates.countriesLanguage(countries);
        List<Recipient> users = OrganizationUser.active(organizationId).stream()
                .filter(user -> roles.stream().anyMatch(user::hasRole))
                .map(user -> Recipient.of(user, ofCountries)).toList();
        if (!users.isEmpty() || organization == null) {
            return users;
        }
        return List.of(primaryContact(organization, countries));
    }

    /**
     * The recipients of a non-critical email (a payment sent, an enrolment or a migration completed): those who did not
     * opt out. Nobody else stands in for those who did (not even the primary contact): they chose.
     */
    public static List<Recipient> nonCritical(List<Recipient> recipients) {
        return recipients.stream().filter(Recipient::nonCriticalEmails).toList();
    }

    private static List<Recipient> covering(UUID organizationId, String partnerId, Predicate<OrganizationUser> role) {
        PartnerLocation location = PartnerLocation.findById(partnerId);
        MailLanguage ofCountry = location == null ? MailLanguage.EN : MailLanguage.ofCountry(location.country);
        List<Recipient> users = OrganizationUser.active(organizationId).stream()
                .filter(user -> role.test(user) && user.covers(partnerId))
                .map(user -> Recipient.of(user, ofCountry)).toList();
        if (!users.isEmpty()) {
            return users;
        }
        PartnerOrganization organization = PartnerOrganization.findById(organizationId);
        return organization == null ? List.of()
                : List.of(primaryContact(organization, location == null ? List.of() : List.of(location.country)));
    }

    /** The primary contact, in their language and with their email preference when they are a user we know. */
    private static Recipient primaryContact(PartnerOrganization organization, List<String> countries) {
        OrganizationUser user = OrganizationUser.byEmail(organization.id, organization.primaryContactEmail);
        return new Recipient(organization.primaryContactEmail, MailTemplates.contactLanguage(user, countries),
                user == null || user.nonCriticalEmails);
    }
}
