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
import java.util.Objects;

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
        PartnerType partnerType = PartnerType.valueOf(location.partnerType);
        List<ProgramEligibility> programs = new ArrayList<>();
        try (Handle h = jdbi.open()) {
            // The active programmes, each with the location's stored checklist if it has one: one round trip, and the
            // names come with them (no read per programme). A location not evaluated yet for one has no row there.
            h.createQuery("""
                    SELECT p.id, p.name, p.partner_type, p.countries, p.criteria,
                        e.eligible, e.criteria, e.sequence, e.evaluated_at, e.changed_at
                    FROM program p LEFT JOIN eligibility e ON e.program_id = p.id AND e.partner_id = :partnerId
                    WHERE p.active ORDER BY p.id""")
                    .bind("partnerId", location.partnerId)
                    .map((rs, ctx) -> {
                        String programId = rs.getString(1);
                        ProgramRule rule = evaluator.programRule(programId, rs.getString(3), rs.getString(4),
                                rs.getString(5));
                        if (!rule.appliesTo(partnerType, location.country)) {
                            return null;
                        }
                        String stored = rs.getString(7); // NOT NULL in a row: null is no row yet
                        return stored == null
                                ? new ProgramEligibility(programId, rs.getString(2), false, 0, null, null, List.of())
                                : new ProgramEligibility(programId, rs.getString(2), rs.getBoolean(6), rs.getLong(8),
                                        instant(rs.getTimestamp(9)), instant(rs.getTimestamp(10)),
                                        inLanguage(evaluator.read(stored), language, programId));
                    })
                    .filter(Objects::nonNull) // a programme for another partner type or country
                    .forEach(programs::add);
        } catch (JdbiException e) {
            throw new IllegalStateException("Eligibility statement failed", e);
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
