package com.acme.incentives.enrollment.mail;

import com.acme.incentives.enrollment.EnrollmentMessages;
import com.acme.incentives.enrollment.domain.Enrollment;
import com.acme.incentives.enrollment.domain.LocationProgram;
import com.acme.incentives.enrollment.domain.MailLanguage;
import com.acme.incentives.enrollment.domain.PartnerLocation;
import com.acme.incentives.enrollment.domain.PartnerOrganization;
import com.acme.incentives.platform.i18n.Messages;
import com.acme.incentives.platform.security.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The emails that tell a partner what happens to its money and enrolments, so that nobody has to poll while the
 * forfeit clock runs: a payment held (what to do about each reason, and the day it is forfeited), sent, rejected or
 * returned, to the location's incentive admins and users; an enrolment completed, a tax profile expiring within 30
 * days or expired, to its incentive admins. Each is
 * queued in the transaction that applies the event (the inbox's, which records the event in the same transaction)
 * and carries the event's id: one email per event and language, whatever redelivers it or whichever replica applies
 * it. Each recipient reads their own language; each email links to the portal screen it is about.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Notifications {

    /** A payment as payout-service's events describe it; {@code programId} and {@code period} null when not told. */
    public record Payment(UUID organizationId, String partnerId, String programId, String period, String amount,
            String currency, String bankReference) {
    }

    @Inject
    MailService mail;

    /** The partner portal's address, where the emails' links point (the gateway's public URL). */
    @Inject
    PortalLinks portal;

    public void paymentHeld(UUID eventId, Payment payment, List<String> holdReasons, Instant forfeitsAt) {
        queuePayment("payment-held", eventId, payment, true, language -> paymentMail(payment, language,
                holdReasons.stream().map(reason -> holdAction(reason, language)).toList(),
                forfeitsAt == null ? null : MailTemplates.date(forfeitsAt, language), null));
    }

    /** Not critical: someone who opted out is not told. */
    public void paymentSent(UUID eventId, Payment payment) {
        queuePayment("payment-sent", eventId, payment, false,
                language -> paymentMail(payment, language, List.of(), null, null));
    }

    /** {@code returned}: the money came back after it was paid; else the bank refused it before settlement. */
    public void paymentRejected(UUID eventId, Payment payment, boolean returned, String bankReason) {
        queuePayment(returned ? "payment-returned" : "payment-rejected", eventId, payment, true,
                language -> paymentMail(payment, language, List.of(), null, bankReason));
    }

    /**
     * The enrolment has just become ENROLLED (its earnings count from {@code enrollment.earningsStartDate});
     * {@code eventId}: the EnrollmentChanged that says so. Not critical: someone who opted out is not told.
     */
    public void enrolmentCompleted(UUID eventId, Enrollment enrollment) {
        PartnerOrganization organization = PartnerOrganization.findById(enrollment.organizationId);
        PartnerLocation location = PartnerLocation.findById(enrollment.partnerId);
        String program = LocationProgram.programLabel(enrollment.partnerId, enrollment.programId);
        mail.queue(Recipients.nonCritical(Recipients.incentiveAdmins(enrollment.organizationId,
                enrollment.partnerId)), "enrolment-completed",
                language -> new EnrolmentMail(organization == null ? null : organization.name,
                        location == null ? null : location.name, enrollment.partnerId, program,
                        enrollment.earningsStartDate == null ? null
                                : MailTemplates.date(enrollment.earningsStartDate, language),
                        portal.to("/")), eventId);
    }

    /**
     * An operator rejected one of the organization's payment profiles (payout's review queue): its incentive admins,
     * who edit profiles, read the operator's reason and correct it; payments to it are held meanwhile.
     */
    public void bankProfileRejected(UUID eventId, UUID organizationId, String profileName, String reason) {
        PartnerOrganization organization = PartnerOrganization.findById(organizationId);
        mail.queue(Recipients.withRoles(organizationId, List.of(Roles.INCENTIVE_ADMIN)), "payment-profile-rejected",
                language -> new BankProfileMail(organization == null ? null : organization.name, profileName, reason,
                        portal.to("/profiles")), eventId);
    }

    /** The location's current tax profile expires on {@code expiresOn} (within 30 days): renew it in time. */
    public void taxProfileExpiring(UUID eventId, UUID organizationId, String partnerId, LocalDate expiresOn) {
        queueTaxProfile("tax-profile-expiring", eventId, organizationId, partnerId, expiresOn);
    }

    /** The location's tax profile has expired: its payments are held until a current one is submitted. */
    public void taxProfileExpired(UUID eventId, UUID organizationId, String partnerId) {
        queueTaxProfile("tax-profile-expired", eventId, organizationId, partnerId, null);
    }

    private void queueTaxProfile(String template, UUID eventId, UUID organizationId, String partnerId,
            LocalDate expiresOn) {
        PartnerOrganization organization = PartnerOrganization.findById(organizationId);
        PartnerLocation location = PartnerLocation.findById(partnerId);
        mail.queue(Recipients.incentiveAdmins(organizationId, partnerId), template,
                language -> new TaxProfileMail(organization == null ? null : organization.name,
                        location == null ? null : location.name, partnerId,
                        expiresOn == null ? null : MailTemplates.date(expiresOn, language), portal.to("/profiles")),
                eventId);
    }

    /** To the location's incentive team; a non-{@code critical} email not to those who opted out. */
    private void queuePayment(String template, UUID eventId, Payment payment, boolean critical,
            Function<MailLanguage, Object> data) {
        List<Recipients.Recipient> team = Recipients.incentiveTeam(payment.organizationId(), payment.partnerId());
        mail.queue(critical ? team : Recipients.nonCritical(team), template, data, eventId);
    }

    private PaymentMail paymentMail(Payment payment, MailLanguage language, List<String> holdActions,
            String forfeitsOn, String bankReason) {
        PartnerOrganization organization = PartnerOrganization.findById(payment.organizationId());
        PartnerLocation location = PartnerLocation.findById(payment.partnerId());
        return new PaymentMail(organization == null ? null : organization.name,
                location == null ? null : location.name, payment.partnerId(),
                payment.programId() == null ? null : LocationProgram.programLabel(payment.partnerId(),
                        payment.programId()),
                payment.period(), money(payment.amount(), payment.currency(), language), holdActions, forfeitsOn,
                bankReason, payment.bankReference(), portal.to("/payments"));
    }

    /**
     * What to do about a hold reason, in the language; a reason payout-service added after this service was built
     * is named by its code rather than dropped.
     */
    static String holdAction(String reason, MailLanguage language) {
        EnrollmentMessages key;
        try {
            key = EnrollmentMessages.valueOf("HOLD_" + reason);
        } catch (IllegalArgumentException e) {
            return reason;
        }
        return Messages.text(language.locale(), key);
    }

    /**
     * An amount as the language's people write money (￥150,000; ₩1,500,000; €410.00; $1,234.50): the currency's
     * symbol and its own number of decimals. An amount or currency we cannot read is written as given.
     */
    static String money(String amount, String currency, MailLanguage language) {
        try {
            Currency code = Currency.getInstance(currency);
            NumberFormat format = NumberFormat.getCurrencyInstance(language.locale());
            format.setCurrency(code);
            format.setMinimumFractionDigits(code.getDefaultFractionDigits());
            format.setMaximumFractionDigits(code.getDefaultFractionDigits());
            return format.format(new BigDecimal(amount));
        } catch (RuntimeException e) {
            return amount + " " + currency;
        }
    }
}
