package com.acme.incentives.eligibility.service;

import com.acme.incentives.eligibility.domain.CriterionResult;
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
import org.jdbi.v3.core.statement.Query;

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
import java.util.Optional;
import java.util.UUID;

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

    /**
     * The checklist of every programme currently offered to the location, its reasons in {@code language}; empty for
     * an unknown location, and for one of another organization than {@code organizationId} when that is given (an
     * operator's read gives none). So another organization's location costs what an unknown one does, and reads
     * nothing of its checklist.
     *
     * <p>The location comes with its checklist in one statement, not from Hibernate first: this is the platform's
     * hottest read, and the entity lookup was 11% of its CPU (BENCHMARKS.md, "Where each figure stands").
     */
    public Optional<LocationEligibility> current(String partnerId, Optional<UUID> organizationId, Locale language) {
        Location location = null;
        List<ProgramEligibility> programs = new ArrayList<>();
        try (Handle h = jdbi.open()) {
            // The location, then each active programme with the location's stored checklist if it has one: one round
            // trip, and the names come with them (no read per programme). A location with no active programme is one
            // row with nulls for the programme; one not evaluated yet for a programme has no eligibility row.
            Query statement = h.createQuery("""
                    SELECT l.organization_id, l.partner_type, l.country,
                        p.id, p.name, p.partner_type, p.countries, p.criteria,
                        e.eligible, e.criteria, e.sequence, e.evaluated_at, e.changed_at
                    FROM partner_location l
                    LEFT JOIN program p ON p.active
                    LEFT JOIN eligibility e ON e.program_id = p.id AND e.partner_id = l.partner_id
                    WHERE l.partner_id = :partnerId"""
                    + (organizationId.isPresent() ? " AND l.organization_id = :organizationId" : "")
                    + " ORDER BY p.id")
                    .bind("partnerId", partnerId);
            organizationId.ifPresent(id -> statement.bind("organizationId", id));
            List<Row> rows = statement
                    .map((rs, ctx) -> {
                        Location at = new Location(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3));
                        String programId = rs.getString(4);
                        if (programId == null) {
                            return new Row(at, null);
                        }
                        ProgramRule rule = evaluator.programRule(programId, rs.getString(6), rs.getString(7),
                                rs.getString(8));
                        if (!rule.appliesTo(PartnerType.valueOf(at.partnerType()), at.country())) {
                            return new Row(at, null); // a programme for another partner type or country
                        }
                        String stored = rs.getString(10); // NOT NULL in a row: null is no row yet
                        return new Row(at, stored == null
                                ? new ProgramEligibility(programId, rs.getString(5), false, 0, null, null, List.of())
                                : new ProgramEligibility(programId, rs.getString(5), rs.getBoolean(9), rs.getLong(11),
                                        instant(rs.getTimestamp(12)), instant(rs.getTimestamp(13)),
                                        inLanguage(evaluator.read(stored), language, programId)));
                    })
                    .list();
            for (Row row : rows) {
                location = row.location();
                if (row.program() != null) {
                    programs.add(row.program());
                }
            }
        } catch (JdbiException e) {
            throw new IllegalStateException("Eligibility statement failed", e);
        }
        if (location == null) {
            return Optional.empty();
        }
        return Optional.of(new LocationEligibility(partnerId, location.organizationId(), location.partnerType(),
                location.country(), LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC), programs));
    }

    /** The location's columns the checklist needs, the same on every row of its statement. */
    private record Location(UUID organizationId, String partnerType, String country) {
    }

    /** One row of the checklist statement: the location, and the programme's entry if one is shown. */
    private record Row(Location location, ProgramEligibility program) {
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
