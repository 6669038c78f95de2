package com.acme.incentives.payout.service;

import com.acme.incentives.payout.domain.BankChecks;
import com.acme.incentives.payout.domain.BankProfile;
import com.acme.incentives.payout.domain.BankProfileReason;
import com.acme.incentives.payout.domain.BankProfileStatus;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.hibernate.LockOptions;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Validation of submitted bank profiles, after their formats were accepted: the consistency a bank would refuse
 * (account and BIC in another country than the bank's, a US ABA account not paid in USD, a Japanese Zengin account
 * not paid in JPY, a Korean one not in KRW). Runs apart from the
 * request, as a real check against a bank directory would, so a profile is first PENDING_VALIDATION and then
 * APPROVED or ACTION_REQUIRED with the reason.
 */
@ApplicationScoped
public class BankProfileValidation {

    @Inject
    FieldEncryption encryption;

    @Inject
    ProfileStatusService statuses;

    @Scheduled(every = "${payout.bank-validation.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void validatePending() {
        // SKIP LOCKED lets several instances share the work without validating a profile twice.
        List<BankProfile> pending = BankProfile.getEntityManager()
                .createQuery("from BankProfile where status = :s order by createdAt", BankProfile.class)
                .setParameter("s", BankProfileStatus.PENDING_VALIDATION)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", LockOptions.SKIP_LOCKED)
                .setMaxResults(100).getResultList();
        for (BankProfile profile : pending) {
            Optional<Finding> finding = problem(profile);
            if (finding.isPresent()) {
                profile.actionRequired(finding.get().reason(), finding.get().values());
            } else {
                profile.status = BankProfileStatus.APPROVED;
            }
            profile.validatedAt = Instant.now();
        }
        pending.stream().map(p -> p.organizationId).distinct().forEach(statuses::refreshOrganization);
    }

    /** Why a profile cannot be approved, with the values its text names. */
    record Finding(BankProfileReason reason, String... values) {
    }

    Optional<Finding> problem(BankProfile profile) {
        if (BankProfile.IBAN.equals(profile.accountKind)) {
            String iban = encryption.decrypt(profile.accountCiphertext);
            if (!iban.startsWith(profile.bankCountry)) {
                return Optional.of(new Finding(BankProfileReason.IBAN_COUNTRY_MISMATCH, iban.substring(0, 2),
                        profile.bankCountry));
            }
        }
        if (profile.bic != null && !BankChecks.bicCountry(profile.bic).equals(profile.bankCountry)) {
            return Optional.of(new Finding(BankProfileReason.BIC_COUNTRY_MISMATCH, BankChecks.bicCountry(profile.bic),
                    profile.bankCountry));
        }
        if (profile.routingNumber != null && !"USD".equals(profile.currency)) {
            return Optional.of(new Finding(BankProfileReason.ROUTING_NUMBER_NOT_USD, profile.currency));
        }
        // Domestic clearing (Zengin, Korea's interbank network) moves only the country's own currency: a transfer
        // in another would be converted or refused by the receiving bank, so the partner chooses the currency again.
        if (BankProfile.ZENGIN.equals(profile.accountKind) && !"JPY".equals(profile.currency)) {
            return Optional.of(new Finding(BankProfileReason.ZENGIN_NOT_JPY, profile.currency));
        }
        if (BankProfile.KR_ACCOUNT.equals(profile.accountKind) && !"KRW".equals(profile.currency)) {
            return Optional.of(new Finding(BankProfileReason.KOREAN_ACCOUNT_NOT_KRW, profile.currency));
        }
        return Optional.empty();
    }
}
