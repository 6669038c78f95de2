package com.acme.incentives.eligibility.service;

import com.acme.incentives.eligibility.service.FactStore.AgreementRow;
import com.acme.incentives.eligibility.service.FactStore.CompetencyRow;
import com.acme.incentives.eligibility.service.FactStore.FirstTransactionRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Applies what partner systems feed: the facts and the re-evaluation of the locations they changed commit together,
 * so a checklist never disagrees with the facts and no event is published for a change that rolled back. Rows that
 * change nothing re-evaluate nothing, which makes a repeated feed a no-op.
 */
@ApplicationScoped
@Transactional
public class FeedService {

    @Inject
    FactStore facts;

    @Inject
    Jdbi jdbi;

    @Inject
    EligibilityEvaluator evaluator;

    @Inject
    Clock clock;

    /**
     * @param rowsChanged      rows that inserted or changed a fact
     * @param locationsChanged locations whose facts changed (and were re-evaluated when known)
     * @param eligibilityChanges outcome changes published as EligibilityChanged
     * @param pendingPartnerIds partner IDs in the feed not known from identity-service yet: kept, applied on LocationAdded
     */
    public record FeedOutcome(int rowsChanged, int locationsChanged, int eligibilityChanges,
            Set<String> pendingPartnerIds) {
    }

    public FeedOutcome apply(List<AgreementRow> agreements, List<CompetencyRow> competencies,
            List<FirstTransactionRow> firstTransactions, String cause) {
        Set<String> partnerIds = new TreeSet<>();
        agreements.forEach(r -> partnerIds.add(r.partnerId()));
        competencies.forEach(r -> partnerIds.add(r.partnerId()));
        firstTransactions.forEach(r -> partnerIds.add(r.partnerId()));
        facts.lock(partnerIds);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Set<String> changed = new HashSet<>();
        int rows = 0;
        for (List<String> ids : List.of(facts.upsertAgreements(agreements, now),
                facts.upsertCompetencies(competencies, now), facts.upsertFirstTransactions(firstTransactions, now))) {
            rows += ids.size();
            changed.addAll(ids);
        }
        EligibilityEvaluator.Outcome evaluated = evaluator.reevaluate(changed, cause);
        Set<String> notSeen = new TreeSet<>(partnerIds);
        notSeen.removeAll(evaluated.known());
        return new FeedOutcome(rows, changed.size(), evaluated.published(), unknown(notSeen));
    }

    /**
     * Which of these partner IDs no location has. Asked only for those the re-evaluation did not find (a feed of one
     * changed row of a known location asks nothing): under the locations' locks, a location found stays known.
     */
    private Set<String> unknown(Set<String> partnerIds) {
        if (partnerIds.isEmpty()) {
            return Set.of();
        }
        try (Handle h = jdbi.open()) {
            return h.createQuery("""
                    SELECT p FROM unnest(:partnerIds::text[]) AS p
                    WHERE NOT EXISTS (SELECT 1 FROM partner_location k WHERE k.partner_id = p)""")
                    .bindArray("partnerIds", String.class, partnerIds)
                    .mapTo(String.class)
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (JdbiException e) {
            throw new IllegalStateException("Eligibility statement failed", e);
        }
    }
}
