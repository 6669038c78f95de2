package com.acme.incentives.payout.service;

import com.acme.incentives.payout.PayoutMessages;
import com.acme.incentives.payout.domain.BankProfile;
import com.acme.incentives.payout.domain.BankProfileStatus;
import com.acme.incentives.payout.events.ProfileEvents.BankProfileRejected;
import com.acme.incentives.platform.audit.AuditTrail;
import com.acme.incentives.platform.concurrency.Versions;
import com.acme.incentives.platform.events.Outbox;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.problem.ApiException;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;


import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The operators' review of bank profiles the validation could not settle (IN_REVIEW; payout-service/README.md "Bank
 * profile review"): every organization's queue, and approving or rejecting the version the operator read. The decision
 * is the version's outcome, as the validation's would be: it makes no new version (the partner's data is unchanged),
 * and is recorded on the profile (reviewer, time, note or reason) and copied to its version row when a correction
 * supersedes it. The location statuses follow (PayoutProfileStatusChanged), as after a validation.
 */
@ApplicationScoped
public class BankProfileReviews {

    /** The queue's sort fields, named as in its items, and the entity property each sorts by. */
    public static final Map<String, String> SORT_PROPERTIES = Map.of("submittedAt", "updatedAt", "name", "name",
            "bankCountry", "bankCountry", "currency", "currency");

    @Inject
    ProfileStatusService statuses;

    @Inject
    AuditTrail audit;

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    /** Filters of the queue, each optional. */
    public record Filter(String reviewReason, String bankCountry, UUID organizationId) {
    }

    /** Every organization's profiles in review, the longest waiting (oldest submitted version) first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public PanacheQuery<BankProfile> queue(Filter filter, PageRequest page) {
        StringBuilder q = new StringBuilder("status = :status");
        Map<String, Object> params = new HashMap<>();
        params.put("status", BankProfileStatus.IN_REVIEW);
        if (filter.reviewReason() != null) {
            q.append(" and reviewReason = :reason");
            params.put("reason", filter.reviewReason());
        }
        if (filter.bankCountry() != null) {
            q.append(" and bankCountry = :country");
            params.put("country", filter.bankCountry());
        }
        if (filter.organizationId() != null) {
            q.append(" and organizationId = :org");
            params.put("org", filter.organizationId());
        }
        return BankProfile.find(q.toString(), page.sort(Sort.by("updatedAt").and("id"), SORT_PROPERTIES), params);
    }

    /** Approves the version in review that {@code ifMatch} names: APPROVED, as if the validation had approved it. */
    @Transactional
    public BankProfile approve(UUID id, String ifMatch, String operator, String note) {
        BankProfile profile = inReview(id, ifMatch);
        String reviewed = profile.reviewReason;
        profile.approve(operator, blankToNull(note), now());
        statuses.refreshOrganization(profile.organizationId);
        auditDecision("BANK_PROFILE_APPROVED", profile, reviewed, "note", profile.reviewNote);
        return profile;
    }

    /**
     * Rejects the version in review that {@code ifMatch} names: ACTION_REQUIRED with OPERATOR_REJECTED, the
     * operator's reason its value, so the partner reads it in a sentence of their language and corrects the profile.
     */
    @Transactional
    public BankProfile reject(UUID id, String ifMatch, String operator, String reason) {
        BankProfile profile = inReview(id, ifMatch);
        String reviewed = profile.reviewReason;
        profile.reject(operator, reason.strip(), now());
        statuses.refreshOrganization(profile.organizationId);
        auditDecision("BANK_PROFILE_REJECTED", profile, reviewed, "reason", profile.reviewNote);
        // Keyed by the organization (bank profiles are the organization's): enrollment-service mails its admins.
        outbox.publish(profile.organizationId.toString(), "BankProfileRejected", new BankProfileRejected(
                profile.organizationId, profile.id, profile.name, profile.version, profile.reviewNote,
                profile.reviewedAt));
        return profile;
    }

    /**
     * The profile locked (a correction, which locks it too, either committed before, and the version check refuses
     * the stale decision, or waits and then makes a new version of a reviewed one); 404, then 412 (or 428) for the
     * version, then 409 unless it is in review: a decision is about the version the operator read.
     */
    private static BankProfile inReview(UUID id, String ifMatch) {
        BankProfile profile = BankProfile.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (profile == null) {
            throw ApiException.notFound(PayoutMessages.BANK_PROFILE_NOT_FOUND, id);
        }
        Versions.check(ifMatch, profile.version);
        if (profile.status != BankProfileStatus.IN_REVIEW) {
            throw ApiException.conflict(PayoutMessages.BANK_PROFILE_NOT_IN_REVIEW, id, profile.status)
                    .with("profileStatus", profile.status.name());
        }
        return profile;
    }

    /** The decision in the organization's audit log: which version, why it was in review, the operator's words. */
    private void auditDecision(String action, BankProfile profile, String reviewReason, String wordsKey,
            String words) {
        audit.record(profile.organizationId, action, "BANK_PROFILE", profile.id.toString(), AuditTrail.details(
                "name", profile.name, "version", profile.version, "reviewReason", reviewReason, wordsKey, words,
                "maskedAccount", profile.maskedAccount()));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String blankToNull(String note) {
        return note == null || note.isBlank() ? null : note.strip();
    }
}
