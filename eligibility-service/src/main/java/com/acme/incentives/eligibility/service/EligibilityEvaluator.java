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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Timestamp;
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
    Outbox outbox;

    @Inject
    Clock clock;

    @Inject
    ObjectMapper json;

    private record Location(String partnerId, UUID organizationId, String country, PartnerType partnerType) {
    }

    private record Current(boolean eligible, String criteriaJson, long sequence) {
    }

    private record Row(String partnerId, String programId, boolean eligible, String criteriaJson, long sequence,
            boolean changed) {
    }

    /**
     * Evaluates the given locations (unknown partner IDs are skipped: their facts wait for LocationAdded). The caller
     * must hold {@link FactStore#lock} for them. Returns how many outcome changes were published.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int reevaluate(Collection<String> partnerIds, String cause) {
        if (partnerIds.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        LocalDate today = LocalDate.ofInstant(now, java.time.ZoneOffset.UTC);
        Map<String, Location> locations = locations(partnerIds);
        if (locations.isEmpty()) {
            return 0;
        }
        List<ProgramRule> programs = activePrograms();
        Map<String, String> programNames = programNames();
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
            for (ProgramRule program : programs) {
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
                                    programNames.get(entry.getKey()))));
                }
            }
            Optional<LocalDate> next = EligibilityRule.nextBoundary(locationFacts, today);
            boundaryIds.add(location.partnerId);
            boundaryDates.add(next.map(LocalDate::toString).orElse(null));
        }
        write(writes, now, cause);
        nextBoundaries(boundaryIds, boundaryDates);
        outbox.publishAll(events);
        return events.size();
    }

    private Map<String, Location> locations(Collection<String> partnerIds) {
        Map<String, Location> result = new HashMap<>();
        facts.sql("SELECT partner_id, organization_id, country, partner_type FROM partner_location"
                + " WHERE partner_id = ANY(?::text[])", statement -> {
                    statement.setArray(1, statement.getConnection().createArrayOf("text", partnerIds.toArray()));
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            result.put(rs.getString(1), new Location(rs.getString(1), rs.getObject(2, UUID.class),
                                    rs.getString(3), PartnerType.valueOf(rs.getString(4))));
                        }
                    }
                    return null;
                });
        return result;
    }

    List<ProgramRule> activePrograms() {
        List<ProgramRule> result = new ArrayList<>();
        facts.sql("SELECT id, partner_type, countries, criteria FROM program WHERE active ORDER BY id", statement -> {
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    try {
                        result.add(new ProgramRule(rs.getString(1), PartnerType.valueOf(rs.getString(2)),
                                json.readValue(rs.getString(3), STRINGS), json.readValue(rs.getString(4), CRITERIA)));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("Programme " + rs.getString(1) + " has unreadable criteria", e);
                    }
                }
            }
            return null;
        });
        return result;
    }

    /**
     * Every programme's display name, retired ones too (an outcome that a programme no longer applies names it): what
     * other services show people instead of the slug.
     */
    private Map<String, String> programNames() {
        Map<String, String> result = new HashMap<>();
        facts.sql("SELECT id, name FROM program", statement -> {
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), rs.getString(2));
                }
            }
            return null;
        });
        return result;
    }

    private Map<String, Map<String, Current>> current(Collection<String> partnerIds) {
        Map<String, Map<String, Current>> result = new HashMap<>();
        facts.sql("SELECT partner_id, program_id, eligible, criteria, sequence FROM eligibility"
                + " WHERE partner_id = ANY(?::text[])", statement -> {
                    statement.setArray(1, statement.getConnection().createArrayOf("text", partnerIds.toArray()));
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            result.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2),
                                    new Current(rs.getBoolean(3), rs.getString(4), rs.getLong(5)));
                        }
                    }
                    return null;
                });
        return result;
    }

    private void write(List<Row> rows, Instant now, String cause) {
        if (rows.isEmpty()) {
            return;
        }
        facts.sql("INSERT INTO eligibility (partner_id, program_id, eligible, criteria, sequence, evaluated_at,"
                + " changed_at) SELECT p, g, e, c, s, ?, ? FROM unnest(?::text[], ?::text[], ?::boolean[], ?::text[],"
                + " ?::bigint[]) AS v(p, g, e, c, s)"
                + " ON CONFLICT (partner_id, program_id) DO UPDATE SET eligible = EXCLUDED.eligible,"
                + " criteria = EXCLUDED.criteria, evaluated_at = EXCLUDED.evaluated_at,"
                + " changed_at = CASE WHEN EXCLUDED.sequence <> eligibility.sequence THEN EXCLUDED.changed_at"
                + " ELSE eligibility.changed_at END, sequence = EXCLUDED.sequence", statement -> {
                    Connection c = statement.getConnection();
                    statement.setTimestamp(1, Timestamp.from(now));
                    statement.setTimestamp(2, Timestamp.from(now));
                    statement.setArray(3, c.createArrayOf("text", rows.stream().map(Row::partnerId).toArray()));
                    statement.setArray(4, c.createArrayOf("text", rows.stream().map(Row::programId).toArray()));
                    statement.setArray(5, c.createArrayOf("boolean", rows.stream().map(Row::eligible).toArray()));
                    statement.setArray(6, c.createArrayOf("text", rows.stream().map(Row::criteriaJson).toArray()));
                    statement.setArray(7, c.createArrayOf("bigint", rows.stream().map(Row::sequence).toArray()));
                    return statement.executeUpdate();
                });
        // History: only changes of outcome, with the reasons published with them.
        List<Row> changes = rows.stream().filter(Row::changed).toList();
        if (changes.isEmpty()) {
            return;
        }
        facts.sql("INSERT INTO eligibility_history (partner_id, program_id, eligible, criteria, sequence,"
                + " evaluated_at, cause) SELECT p, g, e, c, s, ?, ? FROM unnest(?::text[], ?::text[], ?::boolean[],"
                + " ?::text[], ?::bigint[]) AS v(p, g, e, c, s)", statement -> {
                    Connection c = statement.getConnection();
                    statement.setTimestamp(1, Timestamp.from(now));
                    statement.setString(2, cause);
                    statement.setArray(3, c.createArrayOf("text", changes.stream().map(Row::partnerId).toArray()));
                    statement.setArray(4, c.createArrayOf("text", changes.stream().map(Row::programId).toArray()));
                    statement.setArray(5, c.createArrayOf("boolean", changes.stream().map(Row::eligible).toArray()));
                    statement.setArray(6, c.createArrayOf("text", changes.stream().map(Row::criteriaJson).toArray()));
                    statement.setArray(7, c.createArrayOf("bigint", changes.stream().map(Row::sequence).toArray()));
                    return statement.executeUpdate();
                });
    }

    private void nextBoundaries(List<String> partnerIds, List<String> dates) {
        facts.sql("UPDATE partner_location k SET next_evaluation_on = v.d::date FROM unnest(?::text[], ?::text[])"
                + " AS v(p, d) WHERE k.partner_id = v.p AND k.next_evaluation_on IS DISTINCT FROM v.d::date",
                statement -> {
                    Connection c = statement.getConnection();
                    statement.setArray(1, c.createArrayOf("text", partnerIds.toArray()));
                    statement.setArray(2, c.createArrayOf("text", dates.toArray()));
                    return statement.executeUpdate();
                });
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
