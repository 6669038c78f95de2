package com.acme.incentives.payout.service;

import com.acme.incentives.payout.domain.BankProfile;
import com.acme.incentives.payout.domain.BankProfileStatus;
import com.acme.incentives.payout.domain.PartnerLocation;
import com.acme.incentives.payout.domain.PayoutAssignment;
import com.acme.incentives.payout.domain.TaxProfile;
import com.acme.incentives.platform.events.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Works out whether a location's payout profiles are complete and tells enrollment-service when that changes
 * (PayoutProfileStatusChanged). Which bank profile counts for a location: the ones its payout assignments name, or
 * the organization's newest when it has no assignment naming one; the worst of them decides.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class ProfileStatusService {

    public record ProfileStatus(String taxProfile, String bankProfile, String status) {
    }

    /** What location_profile_status last recorded for a location, with its sequence number. */
    private record Stored(ProfileStatus status, long sequence) {
    }

    public record PayoutProfileStatusChanged(UUID organizationId, String partnerId, String taxProfile,
            String bankProfile, String status, long sequence, Instant changedAt) {
    }

    @Inject
    Outbox outbox;

    @Inject
    Jdbi jdbi;

    @Inject
    Clock clock;

    public void refreshOrganization(UUID organizationId) {
        List<PartnerLocation> locations = PartnerLocation.list("organizationId", organizationId);
        for (PartnerLocation location : locations) {
            refresh(location);
        }
    }

    public void refresh(PartnerLocation location) {
        ProfileStatus now = compute(location);
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        // The upsert holds the row lock until commit, so concurrent refreshes of one location are serialized and the
        // sequence never repeats.
        try (Handle h = jdbi.open()) {
            h.createUpdate("INSERT INTO location_profile_status (partner_id, tax_status, bank_status, status, sequence,"
                    + " changed_at) VALUES (:partnerId, '', '', '', 0, :at) ON CONFLICT (partner_id) DO NOTHING")
                    .bind("partnerId", location.partnerId)
                    .bind("at", at)
                    .execute();
            Stored stored = h.createQuery("SELECT tax_status, bank_status, status, sequence"
                    + " FROM location_profile_status WHERE partner_id = :partnerId FOR UPDATE")
                    .bind("partnerId", location.partnerId)
                    .map((rs, ctx) -> new Stored(new ProfileStatus(rs.getString(1), rs.getString(2), rs.getString(3)),
                            rs.getLong(4)))
                    .one();
            if (stored.status().equals(now)) {
                return;
            }
            long sequence = stored.sequence() + 1;
            h.createUpdate("UPDATE location_profile_status SET tax_status = :taxStatus, bank_status = :bankStatus,"
                    + " status = :status, sequence = :sequence, changed_at = :at WHERE partner_id = :partnerId")
                    .bind("taxStatus", now.taxProfile())
                    .bind("bankStatus", now.bankProfile())
                    .bind("status", now.status())
                    .bind("sequence", sequence)
                    .bind("at", at)
                    .bind("partnerId", location.partnerId)
                    .execute();
            outbox.publish(location.partnerId, "PayoutProfileStatusChanged", new PayoutProfileStatusChanged(
                    location.organizationId, location.partnerId, now.taxProfile(), now.bankProfile(), now.status(),
                    sequence, at));
        } catch (JdbiException e) {
            throw new IllegalStateException("Could not record the profile status", e);
        }
    }

    public ProfileStatus compute(PartnerLocation location) {
        LocalDate today = LocalDate.now(clock);
        String tax = TaxProfile.currentFor(location.partnerId)
                .map(t -> t.expiredOn(today) ? "EXPIRED" : "VALID").orElse("MISSING");
        List<PayoutAssignment> assignments = PayoutAssignment.list("partnerId", location.partnerId);
        List<UUID> named = assignments.stream().map(a -> a.bankProfileId).filter(java.util.Objects::nonNull)
                .distinct().toList();
        List<BankProfile> banks = named.isEmpty()
                ? BankProfile.<BankProfile>find("organizationId = ?1 order by createdAt desc", location.organizationId)
                        .page(0, 1).list()
                : BankProfile.list("id in ?1", named);
        String bank = banks.isEmpty() ? "MISSING" : worst(banks).name();
        String status;
        if (tax.equals("VALID") && bank.equals("APPROVED")) {
            status = "COMPLETE";
        } else if (tax.equals("VALID") && (bank.equals("PENDING_VALIDATION") || bank.equals("IN_REVIEW"))) {
            // A profile in an operator's review waits on a check like one the validation has not reached yet.
            status = "VALIDATING";
        } else {
            status = "INCOMPLETE";
        }
        return new ProfileStatus(tax, bank, status);
    }

    /** ACTION_REQUIRED, then IN_REVIEW (a person's decision takes longer than the job), then PENDING_VALIDATION. */
    private static BankProfileStatus worst(List<BankProfile> banks) {
        BankProfileStatus worst = BankProfileStatus.APPROVED;
        for (BankProfile bank : banks) {
            if (bank.status == BankProfileStatus.ACTION_REQUIRED) {
                return bank.status;
            }
            if (bank.status == BankProfileStatus.IN_REVIEW
                    || bank.status == BankProfileStatus.PENDING_VALIDATION && worst == BankProfileStatus.APPROVED) {
                worst = bank.status;
            }
        }
        return worst;
    }
}
