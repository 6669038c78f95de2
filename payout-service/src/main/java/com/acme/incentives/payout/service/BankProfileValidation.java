package com.acme.incentives.payout.service;

import com.acme.incentives.payout.encryption.FieldEncryption;
import com.acme.incentives.payout.domain.BankChecks;
import com.acme.incentives.payout.domain.BankProfile;
import com.acme.incentives.payout.domain.BankProfileReason;
import com.acme.incentives.payout.domain.BankProfileStatus;
import com.acme.incentives.payout.domain.BankProfileVersion;
import com.acme.incentives.payout.domain.PayoutMethod;
import com.acme.incentives.payout.domain.ReviewReason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.hibernate.LockOptions;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Validation of submitted bank profiles, after their formats were accepted: the consistency a bank would refuse
 * (account and BIC in another country than the bank's, a US ABA account not paid in USD, a Japanese Zengin account
 * not paid in JPY, a Korean one not in KRW). Runs apart from the
 * request, as a real check against a bank directory would, so a profile is first PENDING_VALIDATION and then
 * APPROVED or ACTION_REQUIRED with the reason. A profile nothing is wrong with goes to an operator instead of being
 * approved (IN_REVIEW, with the reason) when it looks like a payment diversion: a bank in a country where the
 * organization has no location, or an account changed after payments were sent to the profile.
 */
@ApplicationScoped
public class BankProfileValidation {

    @Inject
    FieldEncryption encryption;

    @Inject
    ProfileStatusService statuses;

    @Inject
    Clock clock;

    /** Validates up to 100 profiles waiting for it; replicas share the work (the job calls it on every one). */
    @Transactional
    public void validatePending() {
        // SKIP LOCKED lets several instances share the work without validating a profile twice.
        List<BankProfile> pending = BankProfile.getEntityManager()
                .createQuery("from BankProfile where status = :s order by createdAt", BankProfile.class)
                .setParameter("s", BankProfileStatus.PENDING_VALIDATION)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", LockOptions.SKIP_LOCKED)
                .setMaxResults(100).getResultList();
        for (BankProfile profile : pending) {
            Optional<Finding> finding = problem(profile);
            Optional<Review> review = finding.isPresent() ? Optional.empty() : review(profile);
            if (finding.isPresent()) {
                profile.actionRequired(finding.get().reason(), finding.get().values());
            } else if (review.isPresent()) {
                profile.inReview(review.get().reason(), review.get().values());
            } else {
                profile.status = BankProfileStatus.APPROVED;
            }
            profile.validatedAt = clock.instant();
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

    /** Why a profile nothing is wrong with still needs an operator, with the values its text names. */
    record Review(ReviewReason reason, String... values) {
    }

    /**
     * The account change first: the classic diversion (someone who got hold of a partner's admin sign-in redirects
     * the next payments) matters more than where the bank is. A credit note moves no money to an account: never.
     */
    Optional<Review> review(BankProfile profile) {
        if (profile.method != PayoutMethod.BANK_TRANSFER) {
            return Optional.empty();
        }
        Optional<Review> changed = accountChangedAfterPayment(profile);
        if (changed.isPresent()) {
            return changed;
        }
        // The countries payout knows from identity's LocationAdded. An organization none of whose locations has
        // arrived yet gives nothing to compare with: the profile is not held up for the order of the events.
        List<String> countries = BankProfile.getEntityManager().createQuery(
                "select distinct l.country from PartnerLocation l where l.organizationId = :org order by l.country",
                String.class).setParameter("org", profile.organizationId).getResultList();
        if (!countries.isEmpty() && !countries.contains(profile.bankCountry)) {
            return Optional.of(new Review(ReviewReason.FOREIGN_BANK_COUNTRY, profile.bankCountry,
                    String.join(", ", countries)));
        }
        return Optional.empty();
    }

    /**
     * A correction whose account is not the one last approved, of a profile some payment was already sent to. The
     * account last approved, not merely the previous version's: a second correction (say, of the name only) must not
     * launder an account change the first one made and nobody reviewed. A profile whose versions since its last
     * approval were all refused by the bank (its account closed, say) has no approved account to compare with: the
     * correction the refusal asked for is validated as usual.
     */
    private Optional<Review> accountChangedAfterPayment(BankProfile profile) {
        if (profile.version == 1 || profile.accountCiphertext == null) {
            return Optional.empty();
        }
        // Sent: in a bank file, accepted or settled. A refused or returned payment paid nothing, and its refusal is
        // what asks the partner to correct the account.
        Number sent = (Number) BankProfile.getEntityManager().createNativeQuery(
                "SELECT count(*) FROM payment WHERE bank_profile_id = ?1 AND status IN ('IN_PROGRESS', 'SENT', 'PAID')")
                .setParameter(1, profile.id).getSingleResult();
        if (sent.longValue() == 0) {
            return Optional.empty();
        }
        BankProfileVersion approved = BankProfileVersion.<BankProfileVersion>find(
                "profileId = ?1 and version < ?2 and status = ?3 order by version desc", profile.id, profile.version,
                BankProfileStatus.APPROVED).firstResult();
        if (approved == null || approved.accountCiphertext == null) {
            return Optional.empty();
        }
        String before = account(approved.accountKind, approved.accountCiphertext, approved.routingNumber,
                approved.bankCode, approved.branchCode, approved.bic);
        String now = account(profile.accountKind, profile.accountCiphertext, profile.routingNumber, profile.bankCode,
                profile.branchCode, profile.bic);
        if (before.equals(now)) {
            return Optional.empty();
        }
        return Optional.of(new Review(ReviewReason.ACCOUNT_CHANGED_AFTER_PAYMENT, approved.accountLast4,
                profile.accountLast4));
    }

    /**
     * What the bank file routes the money by: the IBAN alone; otherwise the number with its clearing codes (US
     * routing number, Zengin bank and branch, Korean bank) and, for a generic account number, the BIC. The same number
     * at another bank is another account. A BIC beside an IBAN or a domestic code routes nothing by itself.
     */
    private String account(String kind, String ciphertext, String routingNumber, String bankCode, String branchCode,
            String bic) {
        return String.join("|", kind, encryption.decrypt(ciphertext), Objects.toString(routingNumber, ""),
                Objects.toString(bankCode, ""), Objects.toString(branchCode, ""),
                BankProfile.ACCOUNT_NUMBER.equals(kind) ? Objects.toString(bic, "") : "");
    }
}
