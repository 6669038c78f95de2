package com.acme.incentives.eligibility.service;

import com.acme.incentives.eligibility.service.FactStore.AgreementRow;
import com.acme.incentives.eligibility.service.FactStore.CompetencyRow;
import com.acme.incentives.eligibility.service.FactStore.FirstTransactionRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

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
        int events = evaluator.reevaluate(changed, cause);
        return new FeedOutcome(rows, changed.size(), events, unknown(partnerIds));
    }

    private Set<String> unknown(Set<String> partnerIds) {
        Set<String> unknown = new TreeSet<>();
        facts.sql("SELECT p FROM unnest(?::text[]) AS p WHERE NOT EXISTS"
                + " (SELECT 1 FROM partner_location k WHERE k.partner_id = p)", statement -> {
                    statement.setArray(1, statement.getConnection().createArrayOf("text", partnerIds.toArray()));
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            unknown.add(rs.getString(1));
                        }
                    }
                    return null;
                });
        return unknown;
    }
}
