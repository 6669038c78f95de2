package com.acme.incentives.payout.service;

import com.acme.incentives.payout.domain.BankChecks;
import com.acme.incentives.payout.domain.BankProfile;
import com.acme.incentives.payout.domain.BankProfileStatus;
import com.acme.incentives.payout.domain.Codes;
import com.acme.incentives.payout.domain.PartnerLocation;
import com.acme.incentives.payout.domain.PayoutAssignment;
import com.acme.incentives.payout.domain.PayoutMethod;
import com.acme.incentives.payout.domain.TaxForm;
import com.acme.incentives.payout.domain.TaxIds;
import com.acme.incentives.payout.domain.TaxProfile;
import com.acme.incentives.payout.rest.ProfileDtos.CreateBankProfile;
import com.acme.incentives.payout.rest.ProfileDtos.CreateTaxProfile;
import com.acme.incentives.payout.rest.ProfileDtos.PutAssignment;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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
            errors.add(new FieldViolation("partnerId", "is not a location of this organization"));
        }
        if (!Codes.isCountry(body.country())) {
            errors.add(new FieldViolation("country", "must be an ISO 3166-1 alpha-2 country code"));
        } else {
            boolean us = body.country().equals("US");
            if (us && body.taxForm() != TaxForm.W9) {
                errors.add(new FieldViolation("taxForm", "must be W9 for a US tax profile"));
            } else if (!us && body.taxForm() == TaxForm.W9) {
                errors.add(new FieldViolation("taxForm", "must be W8BEN, W8BENE or NONE outside the US"));
            }
            TaxIds.problem(body.country(), body.taxId()).ifPresent(m -> errors.add(new FieldViolation("taxId", m)));
        }
        if (body.expiresOn().isBefore(LocalDate.now(ZoneOffset.UTC))) {
            errors.add(new FieldViolation("expiresOn", "must not be in the past"));
        }
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
        profile.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        profile.createdBy = subject;
        profile.persistAndFlush();
        statuses.refresh(location);
        return profile;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PanacheQuery<TaxProfile> taxProfiles(UUID organizationId, String partnerId, Set<String> limitedTo) {
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
        return TaxProfile.find(q + " order by partnerId, createdAt desc", params);
    }

    public BankProfile createBankProfile(UUID organizationId, CreateBankProfile body, String subject) {
        List<FieldViolation> errors = new ArrayList<>();
        String iban = BankChecks.normalizeIban(body.iban());
        String bic = body.bic() == null ? null : body.bic().toUpperCase();
        if (!Codes.isCountry(body.bankCountry())) {
            errors.add(new FieldViolation("bankCountry", "must be an ISO 3166-1 alpha-2 country code"));
        }
        if (!Codes.isCurrency(body.currency())) {
            errors.add(new FieldViolation("currency", "must be an ISO 4217 currency code"));
        }
        if (body.method() == PayoutMethod.BANK_TRANSFER) {
            validateAccount(body, iban, bic, errors);
        } else if (iban != null || body.accountNumber() != null || body.routingNumber() != null) {
            errors.add(new FieldViolation(iban != null ? "iban" : body.accountNumber() != null ? "accountNumber"
                    : "routingNumber", "must be empty for CREDIT_NOTE (no bank account is paid)"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        if (BankProfile.count("organizationId = ?1 and name = ?2", organizationId, body.name()) > 0) {
            throw ApiException.conflict("A bank profile named '" + body.name() + "' already exists")
                    .with("field", "name");
        }
        BankProfile profile = new BankProfile();
        profile.id = UUID.randomUUID();
        profile.organizationId = organizationId;
        profile.name = body.name();
        profile.bankCountry = body.bankCountry();
        profile.currency = body.currency();
        profile.method = body.method();
        String account = iban != null ? iban : body.accountNumber();
        if (account != null) {
            profile.accountKind = iban != null ? BankProfile.IBAN : BankProfile.ACCOUNT_NUMBER;
            profile.accountCiphertext = encryption.encrypt(account);
            profile.accountLast4 = account.substring(Math.max(0, account.length() - 4));
        }
        profile.bic = bic;
        profile.routingNumber = body.routingNumber();
        profile.beneficiary = body.beneficiary();
        profile.status = BankProfileStatus.PENDING_VALIDATION;
        profile.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        profile.createdBy = subject;
        profile.persistAndFlush();
        statuses.refreshOrganization(organizationId);
        return profile;
    }

    private static void validateAccount(CreateBankProfile body, String iban, String bic, List<FieldViolation> errors) {
        if (iban != null && body.accountNumber() != null) {
            errors.add(new FieldViolation("accountNumber", "give either an IBAN or an account number, not both"));
            return;
        }
        if (iban != null) {
            if (!BankChecks.isIban(iban)) {
                errors.add(new FieldViolation("iban", "is not a valid IBAN (format or mod-97 check digits)"));
            }
            if (bic == null) {
                errors.add(new FieldViolation("bic", "is required with an IBAN"));
            }
        } else if (body.accountNumber() != null) {
            if (!body.accountNumber().matches("[A-Za-z0-9]{4,34}")) {
                errors.add(new FieldViolation("accountNumber", "must be 4 to 34 letters or digits"));
            }
            if ("US".equals(body.bankCountry())) {
                if (body.routingNumber() == null) {
                    errors.add(new FieldViolation("routingNumber", "is required for a US account"));
                }
            } else if (bic == null) {
                errors.add(new FieldViolation("bic", "is required for an account outside the US"));
            }
        } else {
            errors.add(new FieldViolation("iban", "an IBAN or an account number is required for BANK_TRANSFER"));
        }
        if (bic != null && !BankChecks.isBic(bic)) {
            errors.add(new FieldViolation("bic", "is not a valid BIC (8 or 11 characters: bank, country, location,"
                    + " branch)"));
        }
        if (body.routingNumber() != null && !BankChecks.isRoutingNumber(body.routingNumber())) {
            errors.add(new FieldViolation("routingNumber", "is not a valid ABA routing number (9 digits, checksum)"));
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PanacheQuery<BankProfile> bankProfiles(UUID organizationId) {
        return BankProfile.find("organizationId = ?1 order by createdAt", organizationId);
    }

    public PayoutAssignment putAssignment(PartnerLocation location, String programId, PutAssignment body,
            String subject) {
        List<FieldViolation> errors = new ArrayList<>();
        if (!programId.matches("[a-z0-9][a-z0-9-]{1,62}")) {
            errors.add(new FieldViolation("programId", "must be a programme id (lower-case slug)"));
        }
        if (body.taxProfileId() != null) {
            TaxProfile tax = TaxProfile.findById(body.taxProfileId());
            if (tax == null || !tax.partnerId.equals(location.partnerId)) {
                errors.add(new FieldViolation("taxProfileId", "is not a tax profile of this location"));
            }
        }
        if (body.bankProfileId() != null) {
            BankProfile bank = BankProfile.findById(body.bankProfileId());
            if (bank == null || !bank.organizationId.equals(location.organizationId)) {
                errors.add(new FieldViolation("bankProfileId", "is not a bank profile of this organization"));
            }
        }
        if (body.currency() != null && !Codes.isCurrency(body.currency())) {
            errors.add(new FieldViolation("currency", "must be an ISO 4217 currency code"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        PayoutAssignment assignment = PayoutAssignment.findById(new PayoutAssignment.Key(location.partnerId,
                programId));
        if (assignment == null) {
            assignment = new PayoutAssignment();
            assignment.partnerId = location.partnerId;
            assignment.programId = programId;
            assignment.organizationId = location.organizationId;
        }
        assignment.taxProfileId = body.taxProfileId();
        assignment.bankProfileId = body.bankProfileId();
        assignment.currency = body.currency();
        assignment.holdRequested = Boolean.TRUE.equals(body.holdPayment());
        assignment.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        assignment.updatedBy = subject;
        assignment.persistAndFlush();
        statuses.refresh(location);
        return assignment;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PayoutAssignment assignment(String partnerId, String programId) {
        return PayoutAssignment.findById(new PayoutAssignment.Key(partnerId, programId));
    }
}
