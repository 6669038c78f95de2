package com.acme.incentives.payout.service;

import com.acme.incentives.payout.encryption.FieldEncryption;
import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.payout.PayoutMessages;
import com.acme.incentives.payout.domain.BankChecks;
import com.acme.incentives.payout.domain.BankProfile;
import com.acme.incentives.payout.domain.BankProfileStatus;
import com.acme.incentives.payout.domain.BankProfileVersion;
import com.acme.incentives.payout.domain.Codes;
import com.acme.incentives.payout.domain.PartnerLocation;
import com.acme.incentives.payout.domain.PayoutAssignment;
import com.acme.incentives.payout.domain.PayoutMethod;
import com.acme.incentives.payout.domain.TaxForm;
import com.acme.incentives.payout.domain.TaxIds;
import com.acme.incentives.payout.domain.TaxProfile;
import com.acme.incentives.payout.domain.TaxProfileVersion;
import com.acme.incentives.payout.domain.ZenginAccountType;
import com.acme.incentives.payout.service.ProfileDtos.CreateBankProfile;
import com.acme.incentives.payout.service.ProfileDtos.CorrectTaxProfile;
import com.acme.incentives.payout.service.ProfileDtos.CreateTaxProfile;
import com.acme.incentives.payout.service.ProfileDtos.PutAssignment;
import com.acme.incentives.platform.audit.AuditTrail;
import com.acme.incentives.platform.concurrency.Versions;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;
import com.acme.incentives.platform.paging.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/** Tax profiles, bank profiles and payout assignments: validation, encryption, and the status they add up to. */
@ApplicationScoped
@Transactional
public class ProfileService {


    @Inject
    FieldEncryption encryption;

    @Inject
    ProfileStatusService statuses;

    @Inject
    AuditTrail audit;

    @Inject
    Clock clock;

    /** The location, when it belongs to the organization and the caller's location limits cover it. */
    public PartnerLocation locationOf(UUID organizationId, String partnerId, Predicate<String> covers) {
        PartnerLocation location = partnerId == null ? null : PartnerLocation.findById(partnerId);
        if (location == null || !location.organizationId.equals(organizationId) || !covers.test(partnerId)) {
            return null;
        }
        return location;
    }

    public TaxProfile createTaxProfile(UUID organizationId, CreateTaxProfile body, String subject,
            Predicate<String> covers) {
        List<FieldViolation> errors = new ArrayList<>();
        PartnerLocation location = locationOf(organizationId, body.partnerId(), covers);
        if (location == null) {
            errors.add(FieldViolation.of("partnerId", PlatformMessages.NOT_A_LOCATION_OF_ORGANIZATION));
        }
        validateTax(body.country(), body.taxForm(), body.taxId(), body.expiresOn(), errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        TaxProfile profile = new TaxProfile();
        profile.id = UUID.randomUUID();
        profile.organizationId = organizationId;
        profile.partnerId = location.partnerId;
        profile.country = body.country();
        profile.taxForm = body.taxForm();
        profile.taxId = body.taxId();
        profile.expiresOn = body.expiresOn();
        profile.createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        profile.createdBy = subject;
        profile.version = 1;
        profile.updatedAt = profile.createdAt;
        profile.updatedBy = subject;
        profile.persist();
        TaxProfileVersion.of(profile).persistAndFlush();
        statuses.refresh(location);
        auditTax("TAX_PROFILE_CREATED", profile);
        return profile;
    }

    /** A tax profile's entry in the organization's audit log: its tax id masked, as every entry's details are. */
    private void auditTax(String action, TaxProfile profile) {
        audit.record(profile.organizationId, action, "TAX_PROFILE", profile.id.toString(), AuditTrail.details(
                "partnerId", profile.partnerId, "version", profile.version, "country", profile.country,
                "taxForm", profile.taxForm.name(), "taxIdLast4", AuditTrail.lastFour(profile.taxId),
                "expiresOn", profile.expiresOn.toString()));
    }

    /** What a tax profile must satisfy, at creation and at every correction alike. */
    private void validateTax(String country, TaxForm taxForm, String taxId, LocalDate expiresOn,
            List<FieldViolation> errors) {
        if (!Codes.isCountry(country)) {
            errors.add(FieldViolation.of("country", PlatformMessages.COUNTRY_CODE));
        } else {
            boolean us = country.equals("US");
            if (us && taxForm != TaxForm.W9) {
                errors.add(FieldViolation.of("taxForm", PayoutMessages.TAX_FORM_US));
            } else if (!us && taxForm == TaxForm.W9) {
                errors.add(FieldViolation.of("taxForm", PayoutMessages.TAX_FORM_OUTSIDE_US));
            }
            TaxIds.problem("taxId", country, taxId).ifPresent(errors::add);
        }
        if (expiresOn.isBefore(LocalDate.now(clock))) {
            errors.add(FieldViolation.of("expiresOn", PayoutMessages.EXPIRES_IN_THE_PAST));
        }
    }

    /**
     * The tax profile, when it is of the organization and the caller's location limits cover its location; else
     * null (the caller answers 404, never telling another tenant's profile from an unknown id).
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public TaxProfile taxProfile(UUID organizationId, UUID id, Predicate<String> covers) {
        TaxProfile profile = TaxProfile.findById(id);
        return visible(profile, organizationId, covers) ? profile : null;
    }

    private static boolean visible(TaxProfile profile, UUID organizationId, Predicate<String> covers) {
        return profile != null && profile.organizationId.equals(organizationId) && covers.test(profile.partnerId);
    }

    /**
     * Corrects a tax profile: a new version of the same profile (assignments naming it follow it), validated as a
     * new profile is, the previous version kept. {@code ifMatch} must name the current version (the row is locked,
     * so two corrections never both pass the check). PayoutProfileStatusChanged follows when the location's status
     * changes (e.g. an expiry date corrected into the future).
     */
    public TaxProfile correctTaxProfile(UUID organizationId, UUID id, CorrectTaxProfile body, String ifMatch,
            String subject, Predicate<String> covers) {
        TaxProfile profile = TaxProfile.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (!visible(profile, organizationId, covers)) {
            throw ApiException.notFound(PayoutMessages.TAX_PROFILE_NOT_FOUND, id);
        }
        Versions.check(ifMatch, profile.version);
        List<FieldViolation> errors = new ArrayList<>();
        validateTax(body.country(), body.taxForm(), body.taxId(), body.expiresOn(), errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        TaxProfileVersion previous = TaxProfileVersion.find("profileId = ?1 and version = ?2", id, profile.version)
                .firstResult();
        previous.supersededAt = now;
        profile.country = body.country();
        profile.taxForm = body.taxForm();
        profile.taxId = body.taxId();
        profile.expiresOn = body.expiresOn();
        profile.version++;
        profile.updatedAt = now;
        profile.updatedBy = subject;
        TaxProfileVersion.of(profile).persistAndFlush();
        statuses.refresh(PartnerLocation.findById(profile.partnerId));
        auditTax("TAX_PROFILE_CORRECTED", profile);
        return profile;
    }

    /** Every version of a tax profile, newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public PanacheQuery<TaxProfileVersion> taxProfileVersions(UUID profileId) {
        return TaxProfileVersion.find("profileId = ?1 order by version desc", profileId);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PanacheQuery<TaxProfile> taxProfiles(UUID organizationId, String partnerId, Set<String> limitedTo,
            PageRequest page) {
        StringBuilder q = new StringBuilder("organizationId = :org");
        var params = new java.util.HashMap<String, Object>();
        params.put("org", organizationId);
        if (partnerId != null) {
            q.append(" and partnerId = :partner");
            params.put("partner", partnerId);
        }
        if (!limitedTo.isEmpty()) {
            q.append(" and partnerId in :limited");
            params.put("limited", limitedTo);
        }
        return TaxProfile.find(q.toString(),
                page.sort(Sort.by("partnerId").and("createdAt", Sort.Direction.Descending).and("id")), params);
    }

    public BankProfile createBankProfile(UUID organizationId, CreateBankProfile body, String subject) {
        validateBank(body);
        if (BankProfile.count("organizationId = ?1 and name = ?2", organizationId, body.name()) > 0) {
            throw ApiException.conflict(PayoutMessages.BANK_PROFILE_NAME_TAKEN, body.name())
                    .with("field", "name");
        }
        BankProfile profile = new BankProfile();
        profile.id = UUID.randomUUID();
        profile.organizationId = organizationId;
        profile.createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        profile.createdBy = subject;
        profile.version = 1;
        apply(profile, body, profile.createdAt, subject);
        profile.persist();
        BankProfileVersion.of(profile).persistAndFlush();
        statuses.refreshOrganization(organizationId);
        auditBank("BANK_PROFILE_CREATED", profile);
        return profile;
    }

    /** A bank profile's entry in the organization's audit log: the account masked, as everywhere. */
    private void auditBank(String action, BankProfile profile) {
        audit.record(profile.organizationId, action, "BANK_PROFILE", profile.id.toString(), AuditTrail.details(
                "name", profile.name, "version", profile.version, "bankCountry", profile.bankCountry,
                "currency", profile.currency, "method", profile.method.name(), "accountKind", profile.accountKind,
                "maskedAccount", profile.maskedAccount()));
    }

    /**
     * Corrects a bank profile: a new version of the same profile (assignments and future payments follow it),
     * checked as a new profile is and then PENDING_VALIDATION again, so the bank validation decides again whether
     * it is APPROVED or ACTION_REQUIRED; until then payments to it hold (BANK_PROFILE_NOT_APPROVED) and
     * PayoutProfileStatusChanged tells enrollment (VALIDATING). The previous version is kept with the outcome its
     * validation reached. Refused (409) while a payout run is sending a payment to this profile (UPCOMING): that
     * payment's bank file would otherwise carry the new account before it is validated.
     */
    public BankProfile correctBankProfile(UUID organizationId, UUID id, CreateBankProfile body, String ifMatch,
            String subject) {
        BankProfile profile = BankProfile.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (profile == null || !profile.organizationId.equals(organizationId)) {
            throw ApiException.notFound(PayoutMessages.BANK_PROFILE_NOT_FOUND, id);
        }
        Versions.check(ifMatch, profile.version);
        validateBank(body);
        if (BankProfile.count("organizationId = ?1 and name = ?2 and id <> ?3", organizationId, body.name(), id) > 0) {
            throw ApiException.conflict(PayoutMessages.BANK_PROFILE_NAME_TAKEN, body.name())
                    .with("field", "name");
        }
        Number sending = (Number) BankProfile.getEntityManager().createNativeQuery(
                "SELECT count(*) FROM payment WHERE bank_profile_id = ?1 AND status = 'UPCOMING'")
                .setParameter(1, id).getSingleResult();
        if (sending.longValue() > 0) {
            throw ApiException.conflict(PayoutMessages.BANK_PROFILE_SENDING, sending);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        BankProfileVersion previous = BankProfileVersion.find("profileId = ?1 and version = ?2", id, profile.version)
                .firstResult();
        previous.supersede(profile, now);
        profile.version++;
        apply(profile, body, now, subject);
        BankProfileVersion.of(profile).persistAndFlush();
        statuses.refreshOrganization(organizationId);
        auditBank("BANK_PROFILE_CORRECTED", profile);
        return profile;
    }

    /** Sets what the body gives, the account encrypted, and puts the profile (back) to PENDING_VALIDATION. */
    private void apply(BankProfile profile, CreateBankProfile body, Instant at, String subject) {
        String iban = BankChecks.normalizeIban(body.iban());
        profile.name = body.name();
        profile.bankCountry = body.bankCountry();
        profile.currency = body.currency();
        profile.method = body.method();
        String kind = accountKind(body.bankCountry());
        String number = BankProfile.KR_ACCOUNT.equals(kind) ? BankChecks.normalizeKoreanAccount(body.accountNumber())
                : body.accountNumber();
        String account = iban != null ? iban : number;
        profile.accountKind = account == null ? null : iban != null ? BankProfile.IBAN : kind;
        profile.accountCiphertext = account == null ? null : encryption.encrypt(account);
        profile.accountLast4 = account == null ? null : account.substring(Math.max(0, account.length() - 4));
        profile.bic = body.bic() == null ? null : body.bic().toUpperCase();
        profile.routingNumber = body.routingNumber();
        // Validation let these through only for the countries that use them (JP, KR), so a profile corrected from
        // a Japanese account to an IBAN loses them, as it loses its account number.
        profile.bankCode = body.bankCode();
        profile.branchCode = body.branchCode();
        profile.accountType = body.accountType();
        profile.accountHolderKana = body.accountHolderKana();
        profile.beneficiary = body.beneficiary();
        profile.status = BankProfileStatus.PENDING_VALIDATION;
        profile.statusReason = null;
        profile.statusReasonCode = null;
        profile.statusReasonArgs = null;
        profile.validatedAt = null;
        // An operator's review was of the version it superseded (kept there); this one is checked afresh.
        profile.reviewReason = null;
        profile.reviewedBy = null;
        profile.reviewedAt = null;
        profile.reviewNote = null;
        profile.updatedAt = at;
        profile.updatedBy = subject;
    }

    /** The kind of an account given by {@code accountNumber}: its bank country's scheme, or the generic one. */
    private static String accountKind(String bankCountry) {
        return switch (bankCountry) {
            case "JP" -> BankProfile.ZENGIN;
            case "KR" -> BankProfile.KR_ACCOUNT;
            default -> BankProfile.ACCOUNT_NUMBER;
        };
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public BankProfile bankProfile(UUID organizationId, UUID id) {
        BankProfile profile = BankProfile.findById(id);
        return profile != null && profile.organizationId.equals(organizationId) ? profile : null;
    }

    /** Every version of a bank profile, newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public PanacheQuery<BankProfileVersion> bankProfileVersions(UUID profileId) {
        return BankProfileVersion.find("profileId = ?1 order by version desc", profileId);
    }

    /** The checks of a bank profile's formats, at creation and at every correction alike: every problem at once. */
    private static void validateBank(CreateBankProfile body) {
        List<FieldViolation> errors = new ArrayList<>();
        String iban = BankChecks.normalizeIban(body.iban());
        String bic = body.bic() == null ? null : body.bic().toUpperCase();
        if (!Codes.isCountry(body.bankCountry())) {
            errors.add(FieldViolation.of("bankCountry", PlatformMessages.COUNTRY_CODE));
        }
        if (!Codes.isCurrency(body.currency())) {
            errors.add(FieldViolation.of("currency", PlatformMessages.CURRENCY_CODE));
        }
        if (body.method() == PayoutMethod.BANK_TRANSFER) {
            validateAccount(body, iban, bic, errors);
        } else {
            accountFieldsGiven(body).stream().findFirst().ifPresent(field ->
                    errors.add(FieldViolation.of(field, PayoutMessages.CREDIT_NOTE_WITHOUT_ACCOUNT)));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    /** The fields of the body that name an account, in the order a credit note's refusal names the first. */
    private static List<String> accountFieldsGiven(CreateBankProfile body) {
        List<String> given = new ArrayList<>();
        if (body.iban() != null) {
            given.add("iban");
        }
        if (body.accountNumber() != null) {
            given.add("accountNumber");
        }
        if (body.routingNumber() != null) {
            given.add("routingNumber");
        }
        if (body.bankCode() != null) {
            given.add("bankCode");
        }
        if (body.branchCode() != null) {
            given.add("branchCode");
        }
        if (body.accountType() != null) {
            given.add("accountType");
        }
        if (body.accountHolderKana() != null) {
            given.add("accountHolderKana");
        }
        return given;
    }

    private static void validateAccount(CreateBankProfile body, String iban, String bic, List<FieldViolation> errors) {
        if ("JP".equals(body.bankCountry()) || "KR".equals(body.bankCountry())) {
            validateDomesticAccount(body, bic, errors);
            return;
        }
        // The domestic identifiers of Japan and Korea mean nothing elsewhere; taking them silently would store a
        // profile that looks routed by them when the file pays by IBAN or BIC.
        if (body.bankCode() != null) {
            errors.add(FieldViolation.of("bankCode", PayoutMessages.BANK_CODE_JP_KR_ONLY));
        }
        jpOnlyFields(body, errors);
        if (iban != null && body.accountNumber() != null) {
            errors.add(FieldViolation.of("accountNumber", PayoutMessages.IBAN_OR_ACCOUNT_NUMBER));
            return;
        }
        if (iban != null) {
            if (!BankChecks.isIban(iban)) {
                errors.add(FieldViolation.of("iban", PayoutMessages.IBAN_INVALID));
            }
            if (bic == null) {
                errors.add(FieldViolation.of("bic", PayoutMessages.BIC_REQUIRED_WITH_IBAN));
            }
        } else if (body.accountNumber() != null) {
            if (!body.accountNumber().matches("[A-Za-z0-9]{4,34}")) {
                errors.add(FieldViolation.of("accountNumber", PayoutMessages.ACCOUNT_NUMBER_FORMAT));
            }
            if ("US".equals(body.bankCountry())) {
                if (body.routingNumber() == null) {
                    errors.add(FieldViolation.of("routingNumber", PayoutMessages.ROUTING_NUMBER_REQUIRED));
                }
            } else if (bic == null) {
                errors.add(FieldViolation.of("bic", PayoutMessages.BIC_REQUIRED_OUTSIDE_US));
            }
        } else {
            errors.add(FieldViolation.of("iban", PayoutMessages.ACCOUNT_REQUIRED));
        }
        if (bic != null && !BankChecks.isBic(bic)) {
            errors.add(FieldViolation.of("bic", PayoutMessages.BIC_INVALID));
        }
        if (body.routingNumber() != null && !BankChecks.isRoutingNumber(body.routingNumber())) {
            errors.add(FieldViolation.of("routingNumber", PayoutMessages.ROUTING_NUMBER_INVALID));
        }
    }

    /**
     * A Japanese (Zengin) or Korean account: routed by the domestic bank code (+ branch in Japan), never by an IBAN
     * (neither country has them) or a US routing number. A BIC is optional: the clearing code routes the transfer,
     * and a BIC given is checked like any other (its country against the bank's by the bank validation). The
     * currency (JPY, KRW) is not checked here but by the bank validation, as the US routing number's USD is, so a
     * profile in another currency is kept ACTION_REQUIRED with the reason rather than refused.
     */
    private static void validateDomesticAccount(CreateBankProfile body, String bic, List<FieldViolation> errors) {
        String country = body.bankCountry();
        if (body.iban() != null) {
            errors.add(FieldViolation.of("iban", PayoutMessages.NOT_FOR_DOMESTIC_ACCOUNT, country));
        }
        if (body.routingNumber() != null) {
            errors.add(FieldViolation.of("routingNumber", PayoutMessages.NOT_FOR_DOMESTIC_ACCOUNT, country));
        }
        if (country.equals("JP")) {
            if (!BankChecks.isZenginBankCode(body.bankCode())) {
                errors.add(FieldViolation.of("bankCode", PayoutMessages.BANK_CODE_JP));
            }
            if (!BankChecks.isZenginBranchCode(body.branchCode())) {
                errors.add(FieldViolation.of("branchCode", PayoutMessages.BRANCH_CODE_JP));
            }
            if (!ZenginAccountType.isName(body.accountType())) {
                errors.add(FieldViolation.of("accountType", PayoutMessages.ACCOUNT_TYPE_JP));
            }
            if (!BankChecks.isZenginAccountNumber(body.accountNumber())) {
                errors.add(FieldViolation.of("accountNumber", PayoutMessages.ACCOUNT_NUMBER_JP));
            }
            if (!BankChecks.isZenginName(body.accountHolderKana())) {
                errors.add(FieldViolation.of("accountHolderKana", PayoutMessages.ACCOUNT_HOLDER_KANA));
            }
        } else {
            if (!BankChecks.isKoreanBankCode(body.bankCode())) {
                errors.add(FieldViolation.of("bankCode", PayoutMessages.BANK_CODE_KR));
            }
            if (!BankChecks.isKoreanAccountNumber(BankChecks.normalizeKoreanAccount(body.accountNumber()))) {
                errors.add(FieldViolation.of("accountNumber", PayoutMessages.ACCOUNT_NUMBER_KR));
            }
            jpOnlyFields(body, errors);
        }
        if (bic != null && !BankChecks.isBic(bic)) {
            errors.add(FieldViolation.of("bic", PayoutMessages.BIC_INVALID));
        }
    }

    /** Branch, account type and kana name belong to the Zengin system only. */
    private static void jpOnlyFields(CreateBankProfile body, List<FieldViolation> errors) {
        if (body.branchCode() != null) {
            errors.add(FieldViolation.of("branchCode", PayoutMessages.JP_ACCOUNT_ONLY));
        }
        if (body.accountType() != null) {
            errors.add(FieldViolation.of("accountType", PayoutMessages.JP_ACCOUNT_ONLY));
        }
        if (body.accountHolderKana() != null) {
            errors.add(FieldViolation.of("accountHolderKana", PayoutMessages.JP_ACCOUNT_ONLY));
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PanacheQuery<BankProfile> bankProfiles(UUID organizationId, PageRequest page) {
        return BankProfile.find("organizationId = ?1", page.sort(Sort.by("createdAt").and("id")), organizationId);
    }

    public PayoutAssignment putAssignment(PartnerLocation location, String programId, PutAssignment body,
            String subject) {
        List<FieldViolation> errors = new ArrayList<>();
        if (!programId.matches("[a-z0-9][a-z0-9-]{1,62}")) {
            errors.add(FieldViolation.of("programId", PlatformMessages.PROGRAM_ID_FORMAT));
        }
        if (body.taxProfileId() != null) {
            TaxProfile tax = TaxProfile.findById(body.taxProfileId());
            if (tax == null || !tax.partnerId.equals(location.partnerId)) {
                errors.add(FieldViolation.of("taxProfileId", PayoutMessages.NOT_A_TAX_PROFILE_OF_LOCATION));
            }
        }
        if (body.bankProfileId() != null) {
            BankProfile bank = BankProfile.findById(body.bankProfileId());
            if (bank == null || !bank.organizationId.equals(location.organizationId)) {
                errors.add(FieldViolation.of("bankProfileId", PayoutMessages.NOT_A_BANK_PROFILE_OF_ORGANIZATION));
            }
        }
        if (body.currency() != null && !Codes.isCurrency(body.currency())) {
            errors.add(FieldViolation.of("currency", PlatformMessages.CURRENCY_CODE));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        PayoutAssignment assignment = PayoutAssignment.findById(new PayoutAssignment.Key(location.partnerId,
                programId));
        boolean created = assignment == null;
        if (created) {
            assignment = new PayoutAssignment();
            assignment.partnerId = location.partnerId;
            assignment.programId = programId;
            assignment.organizationId = location.organizationId;
        }
        boolean holdRequested = Boolean.TRUE.equals(body.holdPayment());
        // Saying again what is already assigned is no change: nothing for the audit log.
        boolean changed = created || !Objects.equals(assignment.taxProfileId, body.taxProfileId())
                || !Objects.equals(assignment.bankProfileId, body.bankProfileId())
                || !Objects.equals(assignment.currency, body.currency()) || assignment.holdRequested != holdRequested;
        assignment.taxProfileId = body.taxProfileId();
        assignment.bankProfileId = body.bankProfileId();
        assignment.currency = body.currency();
        assignment.holdRequested = holdRequested;
        assignment.updatedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        assignment.updatedBy = subject;
        assignment.persistAndFlush();
        statuses.refresh(location);
        if (changed) {
            audit.record(location.organizationId, "PAYOUT_ASSIGNMENT_CHANGED", "PAYOUT_ASSIGNMENT",
                    location.partnerId + "/" + programId, AuditTrail.details("partnerId", location.partnerId,
                            "programId", programId, "taxProfileId", assignment.taxProfileId,
                            "bankProfileId", assignment.bankProfileId, "currency", assignment.currency,
                            "holdPayment", holdRequested));
        }
        return assignment;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PayoutAssignment assignment(String partnerId, String programId) {
        return PayoutAssignment.findById(new PayoutAssignment.Key(partnerId, programId));
    }
}
