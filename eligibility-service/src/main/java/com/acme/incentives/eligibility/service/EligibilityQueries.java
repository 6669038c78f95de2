package com.acme.incentives.eligibility.service;

import com.acme.incentives.eligibility.domain.CriterionResult;
import com.acme.incentives.eligibility.domain.PartnerLocation;
import com.acme.incentives.eligibility.domain.PartnerType;
import com.acme.incentives.eligibility.domain.ProgramRule;
import com.acme.incentives.eligibility.service.EligibilityDtos.HistoryEntry;
import com.acme.incentives.eligibility.service.EligibilityDtos.LocationEligibility;
import com.acme.incentives.eligibility.service.EligibilityDtos.ProgramEligibility;
import com.acme.incentives.platform.paging.Page;
import com.acme.incentives.platform.paging.PageRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What partners and operators read: the current checklists and the history of outcomes. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class EligibilityQueries {

    @Inject
    Jdbi jdbi;

    @Inject
    EligibilityEvaluator evaluator;

    @Inject
    Clock clock;

    /** The checklist of every programme currently offered to the location, its reasons in {@code language}. */
    public LocationEligibility current(PartnerLocation location, Locale language) {
        EligibilityEvaluator.Programs offered = evaluator.programs(); // their names too: no join, no read per programme
        Map<String, ProgramEligibility> stored = new HashMap<>();
        try (Handle h = jdbi.open()) {
            h.createQuery("""
                    SELECT program_id, eligible, criteria, sequence, evaluated_at, changed_at FROM eligibility
                    WHERE partner_id = :partnerId""")
                    .bind("partnerId", location.partnerId)
                    .map((rs, ctx) -> new ProgramEligibility(rs.getString(1), offered.names().get(rs.getString(1)),
                            rs.getBoolean(2), rs.getLong(4), instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)),
                            inLanguage(evaluator.read(rs.getString(3)), language, rs.getString(1))))
                    .forEach(program -> stored.put(program.programId(), program));
        } catch (JdbiException e) {
            throw new IllegalStateException("Eligibility statement failed", e);
        }
        List<ProgramEligibility> programs = new ArrayList<>();
        for (ProgramRule rule : offered.active()) {
            if (rule.appliesTo(PartnerType.valueOf(location.partnerType), location.country)) {
                ProgramEligibility found = stored.get(rule.id());
                if (found == null) {
                    found = new ProgramEligibility(rule.id(), offered.names().get(rule.id()), false, 0, null, null,
                            List.of());
                }
                programs.add(found);
            }
        }
        return new LocationEligibility(location.partnerId, location.organizationId, location.partnerType,
                location.country, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC), programs);
    }

    /** The history's sortable fields (LocationResource) and their columns; evaluatedAt follows the row order. */
    private static final Map<String, String> HISTORY_COLUMNS = Map.of("evaluatedAt", "evaluated_at",
            "programId", "program_id");

    /** The history's page, its reasons in {@code language}. */
    public Page<HistoryEntry> history(String partnerId, String programId, PageRequest page, Locale language) {
        String filter = " WHERE partner_id = :partnerId" + (programId == null ? "" : " AND program_id = :programId");
        Map<String, Object> params = new HashMap<>();
        params.put("partnerId", partnerId);
        if (programId != null) {
            params.put("programId", programId);
        }
        List<HistoryEntry> items;
        long total;
        try (Handle h = jdbi.open()) {
            items = h.createQuery("SELECT program_id, eligible, criteria, sequence, evaluated_at, cause"
                    + " FROM eligibility_history" + filter + " ORDER BY " + page.orderBy(HISTORY_COLUMNS, "id DESC")
                    + " LIMIT :limit OFFSET :offset")
                    .bindMap(params)
                    .bind("limit", page.size)
                    .bind("offset", (long) page.page * page.size)
                    .map((rs, ctx) -> new HistoryEntry(rs.getString(1), rs.getBoolean(2), rs.getLong(4),
                            instant(rs.getTimestamp(5)), rs.getString(6),
                            inLanguage(evaluator.read(rs.getString(3)), language, rs.getString(1))))
                    .list();
            total = h.createQuery("SELECT count(*) FROM eligibility_history" + filter)
                    .bindMap(params)
                    .mapTo(Long.class)
                    .one();
        } catch (JdbiException e) {
            throw new IllegalStateException("Eligibility statement failed", e);
        }
        return Page.of(items, page, total);
    }

    /** Stored reasons are English; the reader's come from their codes (rows stored before codes keep theirs). */
    private static List<CriterionResult> inLanguage(List<CriterionResult> stored, Locale language, String programId) {
        return stored.stream().map(result -> result.inLanguage(language, programId)).toList();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
