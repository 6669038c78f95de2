package com.acme.incentives.eligibility.service;

import com.acme.incentives.eligibility.domain.Criterion;
import com.acme.incentives.eligibility.domain.CriterionResult;
import com.acme.incentives.eligibility.domain.EligibilityRule;
import com.acme.incentives.eligibility.domain.Evaluation;
import com.acme.incentives.eligibility.domain.Facts;
import com.acme.incentives.eligibility.domain.PartnerType;
import com.acme.incentives.eligibility.domain.ProgramRule;
import com.acme.incentives.eligibility.events.EligibilityChanged;
import com.acme.incentives.platform.events.Outbox;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Update;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Re-evaluates locations against every programme that applies to them and records what changed: the checklist, and
 * for a change of outcome a new sequence, a history row and an EligibilityChanged event, all in the caller's
 * transaction. Set-based: a batch of thousands of locations costs a fixed number of statements.
 */
@ApplicationScoped
public class EligibilityEvaluator {

    private static final TypeReference<List<CriterionResult>> RESULTS = new TypeReference<>() {
    };
    private static final TypeReference<List<Criterion>> CRITERIA = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    @Inject
    FactStore facts;

    @Inject
    Jdbi jdbi;

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    @Inject
    ObjectMapper json;

    private record Location(String partnerId, UUID organizationId, String country, PartnerType partnerType) {
    }

    private record Current(boolean eligible, String criteriaJson, long sequence) {
    }

    private record StoredOutcome(String partnerId, String programId, Current current) {
    }

    private record Row(String partnerId, String programId, boolean eligible, String criteriaJson, long sequence,
            boolean changed) {
    }

    /**
     * What a re-evaluation did: how many outcome changes it published, and which of the given partner IDs are known
     * locations (so a feed need not ask the database again which ones are not).
     */
    public record Outcome(int published, Set<String> known) {
    }

    /**
     * Evaluates the given locations (unknown partner IDs are skipped: their facts wait for LocationAdded). The caller
     * must hold {@link FactStore#lock} for them.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Outcome reevaluate(Collection<String> partnerIds, String cause) {
        if (partnerIds.isEmpty()) {
            return new Outcome(0, Set.of());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        LocalDate today = LocalDate.ofInstant(now, java.time.ZoneOffset.UTC);
        Map<String, Location> locations = locations(partnerIds);
        if (locations.isEmpty()) {
            return new Outcome(0, Set.of());
        }
        Programs programs = programs();
        Map<String, Facts> factsByLocation = facts.load(locations.keySet());
        Map<String, Map<String, Current>> current = current(locations.keySet());

        List<Row> writes = new ArrayList<>();
        List<Outbox.NewEvent> events = new ArrayList<>();
        List<String> boundaryIds = new ArrayList<>();
        List<String> boundaryDates = new ArrayList<>();
        for (Location location : locations.values()) {
            Facts locationFacts = factsByLocation.get(location.partnerId);
            Map<String, Current> before = current.getOrDefault(location.partnerId, Map.of());
            Map<String, Evaluation> after = new HashMap<>();
            for (ProgramRule program : programs.active()) {
                if (program.appliesTo(location.partnerType, location.country)) {
                    after.put(program.id(), EligibilityRule.evaluate(program.criteria(), locationFacts, today));
                }
            }
            for (String programId : before.keySet()) {
                after.computeIfAbsent(programId,
                        id -> new Evaluation(false, List.of(CriterionResult.programNotOffered(id))));
            }
            for (Map.Entry<String, Evaluation> entry : after.entrySet()) {
                Current previous = before.get(entry.getKey());
                Evaluation evaluation = entry.getValue();
                String criteriaJson = write(evaluation.criteria());
                boolean changed = previous == null
                        || !evaluation.sameOutcomeAs(new Evaluation(previous.eligible, read(previous.criteriaJson)));
                if (!changed && previous.criteriaJson.equals(criteriaJson)) {
                    continue; // nothing to write, nothing to publish
                }
                long sequence = changed ? (previous == null ? 1 : previous.sequence + 1) : previous.sequence;
                writes.add(new Row(location.partnerId, entry.getKey(), evaluation.eligible(), criteriaJson, sequence,
                        changed));
                if (changed) {
                    events.add(new Outbox.NewEvent(location.partnerId, EligibilityChanged.TYPE,
                            new EligibilityChanged(location.partnerId, location.organizationId, entry.getKey(),
                                    evaluation.eligible(), sequence, now, evaluation.criteria(),
                                    programs.names().get(entry.getKey()))));
                }
            }
            Optional<LocalDate> next = EligibilityRule.nextBoundary(locationFacts, today);
            boundaryIds.add(location.partnerId);
            boundaryDates.add(next.map(LocalDate::toString).orElse(null));
        }
        write(writes, now, cause);
        nextBoundaries(boundaryIds, boundaryDates);
        outbox.publishAll(events);
        return new Outcome(events.size(), locations.keySet());
    }

    private Map<String, Location> locations(Collection<String> partnerIds) {
        Map<String, Location> result = new HashMap<>();
        try (Handle h = jdbi.open()) {
            h.createQuery("""
                    SELECT partner_id, organization_id, country, partner_type FROM partner_location
                    WHERE partner_id = ANY(:partnerIds::text[])""")
                    .bindArray("partnerIds", String.class, partnerIds)
                    .map((rs, ctx) -> new Location(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3),
                            PartnerType.valueOf(rs.getString(4))))
                    .forEach(location -> result.put(location.partnerId(), location));
        } catch (JdbiException e) {
            throw new IllegalStateException("Eligibility statement failed", e);
        }
        return result;
    }

    /**
     * The programmes, read in one statement: the rules of the active ones, and every programme's display name, retired
     * ones too (an outcome that a programme no longer applies names it), which other services show people instead of
     * the slug.
     */
    record Programs(List<ProgramRule> active, Map<String, String> names) {
    }

    private record ProgramRow(String id, String name, boolean active, String partnerType, String countries,
            String criteria) {
    }

    Programs programs() {
        List<ProgramRule> active = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        try (Handle h = jdbi.open()) {
            h.createQuery("SELECT id, name, active, partner_type, countries, criteria FROM program ORDER BY id")
                    .map((rs, ctx) -> new ProgramRow(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                            rs.getString(4), rs.getString(5), rs.getString(6)))
                    .forEach(row -> {
                        names.put(row.id(), row.name());
                        if (row.active()) { // a retired programme's criteria are never read
                            active.add(programRule(row.id(), row.partnerType(), row.countries(), row.criteria()));
                        }
                    });
        } catch (JdbiException e) {
            throw new IllegalStateException("Eligibility statement failed", e);
        }
        return new Programs(active, names);
    }

    /** A programme's rule exactly as stored: the key of {@link #rules}. */
    private record RuleText(String id, String partnerType, String countriesJson, String criteriaJson) {
    }

    /**
     * Rules already parsed, by their stored text: every checklist read and every evaluation reads the programmes, and
     * parsing their JSON was 4% of a checklist read's CPU (BENCHMARKS.md, "The checklist read"). Keyed by
     * the text itself, so a changed programme (on this replica or another) is a new key and never meets its old rule;
     * the old entry is never used again and stays until the size bound evicts it. Bounded far above the few dozen
     * programmes a vendor runs.
     */
    private final Cache<RuleText, ProgramRule> rules = Caffeine.newBuilder().maximumSize(1_000)
            .executor(Runnable::run).build();

    /** The programme's rule from its stored columns, parsed once per distinct text. */
    ProgramRule programRule(String id, String partnerType, String countriesJson, String criteriaJson) {
        return rules.get(new RuleText(id, partnerType, countriesJson, criteriaJson), this::parse);
    }

    private ProgramRule parse(RuleText text) {
        try {
            return new ProgramRule(text.id(), PartnerType.valueOf(text.partnerType()),
                    json.readValue(text.countriesJson(), STRINGS), json.readValue(text.criteriaJson(), CRITERIA));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Programme " + text.id() + " has unreadable criteria", e);
        }
    }

    private Map<String, Map<String, Current>> current(Collection<String> partnerIds) {
        Map<String, Map<String, Current>> result = new HashMap<>();
        try (Handle h = jdbi.open()) {
            h.createQuery("""
                    SELECT partner_id, program_id, eligible, criteria, sequence FROM eligibility
                    WHERE partner_id = ANY(:partnerIds::text[])""")
                    .bindArray("partnerIds", String.class, partnerIds)
                    .map((rs, ctx) -> new StoredOutcome(rs.getString(1), rs.getString(2),
                            new Current(rs.getBoolean(3), rs.getString(4), rs.getLong(5))))
                    .forEach(row -> result.computeIfAbsent(row.partnerId(), k -> new HashMap<>())
                            .put(row.programId(), row.current()));
        } catch (JdbiException e) {
            throw new IllegalStateException("Eligibility statement failed", e);
        }
        return result;
    }

    private void write(List<Row> rows, Instant now, String cause) {
        if (rows.isEmpty()) {
            return;
        }
        // History: only changes of outcome, with the reasons published with them.
        List<Row> changes = rows.stream().filter(Row::changed).toList();
        try (Handle h = jdbi.open()) {
            bindRows(h.createUpdate("""
                    INSERT INTO eligibility (partner_id, program_id, eligible, criteria, sequence, evaluated_at,
                        changed_at)
                    SELECT p, g, e, c, s, :now, :now FROM unnest(:partnerIds::text[], :programIds::text[],
                        :eligibles::boolean[], :criteria::text[], :sequences::bigint[]) AS v(p, g, e, c, s)
                    ON CONFLICT (partner_id, program_id) DO UPDATE SET eligible = EXCLUDED.eligible,
                        criteria = EXCLUDED.criteria, evaluated_at = EXCLUDED.evaluated_at,
                        changed_at = CASE WHEN EXCLUDED.sequence <> eligibility.sequence THEN EXCLUDED.changed_at
                            ELSE eligibility.changed_at END,
                        sequence = EXCLUDED.sequence"""), rows)
                    .bind("now", now)
                    .execute();
            if (!changes.isEmpty()) {
                bindRows(h.createUpdate("""
                        INSERT INTO eligibility_history (partner_id, program_id, eligible, criteria, sequence,
                            evaluated_at, cause)
                        SELECT p, g, e, c, s, :now, :cause FROM unnest(:partnerIds::text[], :programIds::text[],
                            :eligibles::boolean[], :criteria::text[], :sequences::bigint[]) AS v(p, g, e, c, s)"""),
                        changes)
                        .bind("now", now)
                        .bind("cause", cause)
                        .execute();
            }
        } catch (JdbiException e) {
            throw new IllegalStateException("Eligibility statement failed", e);
        }
    }

    /** The rows as the five parallel arrays that both outcome statements {@code unnest}. */
    private static Update bindRows(Update update, List<Row> rows) {
        return update.bindArray("partnerIds", String.class, rows.stream().map(Row::partnerId).toList())
                .bindArray("programIds", String.class, rows.stream().map(Row::programId).toList())
                .bindArray("eligibles", Boolean.class, rows.stream().map(Row::eligible).toList())
                .bindArray("criteria", String.class, rows.stream().map(Row::criteriaJson).toList())
                .bindArray("sequences", Long.class, rows.stream().map(Row::sequence).toList());
    }

    private void nextBoundaries(List<String> partnerIds, List<String> dates) {
        try (Handle h = jdbi.open()) {
            h.createUpdate("""
                    UPDATE partner_location k SET next_evaluation_on = v.d::date
                    FROM unnest(:partnerIds::text[], :dates::text[]) AS v(p, d)
                    WHERE k.partner_id = v.p AND k.next_evaluation_on IS DISTINCT FROM v.d::date""")
                    .bindArray("partnerIds", String.class, partnerIds)
                    .bindArray("dates", String.class, dates)
                    .execute();
        } catch (JdbiException e) {
            throw new IllegalStateException("Eligibility statement failed", e);
        }
    }

    private String write(List<CriterionResult> results) {
        try {
            return json.writeValueAsString(results);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    List<CriterionResult> read(String criteriaJson) {
        try {
            return json.readValue(criteriaJson, RESULTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored checklist is unreadable", e);
        }
    }
}
