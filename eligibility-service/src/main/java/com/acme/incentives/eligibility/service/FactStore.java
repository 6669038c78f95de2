package com.acme.incentives.eligibility.service;

import com.acme.incentives.eligibility.domain.AgreementType;
import com.acme.incentives.eligibility.domain.CompetencyLevel;
import com.acme.incentives.eligibility.domain.FactStatus;
import com.acme.incentives.eligibility.domain.Facts;
import com.acme.incentives.platform.concurrency.AdvisoryLocks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Set-based reads and writes of the fed facts: one statement per kind of fact for a whole batch (arrays through
 * {@code unnest}), so thousands of rows cost a few round trips. Runs in the caller's transaction, on the platform's
 * {@link Jdbi} (docs/conventions.md "Persistence"): each method opens a {@link Handle}, which Agroal gives the
 * connection enlisted in the caller's JTA transaction, and never begins, commits or rolls back on it.
 */
@ApplicationScoped
public class FactStore {

    @Inject
    Jdbi jdbi;

    public record AgreementRow(String partnerId, String agreementId, AgreementType type, FactStatus status,
            LocalDate validFrom, LocalDate validTo) {
    }

    public record CompetencyRow(String partnerId, String competencyId, String name, CompetencyLevel level,
            FactStatus status, LocalDate validFrom, LocalDate validTo) {
    }

    public record FirstTransactionRow(String partnerId, LocalDate date) {
    }

    /**
     * Serializes every writer of these locations' facts and outcomes until the transaction ends (PostgreSQL advisory
     * locks in one fixed order, so two batches never deadlock). Also taken for partner IDs not known yet, so a feed
     * and the LocationAdded of the same location cannot both miss each other.
     */
    public void lock(Collection<String> partnerIds) {
        try (Handle h = jdbi.open()) { // the transaction's own connection
            AdvisoryLocks.LOCATION_FACTS.lockAll(h.getConnection(), partnerIds);
        } catch (JdbiException e) {
            throw new IllegalStateException("Fact store statement failed", e);
        }
    }

    /** Inserts or changes agreements; returns the partner ID of each row that actually changed something. */
    public List<String> upsertAgreements(List<AgreementRow> rows, Instant now) {
        if (rows.isEmpty()) {
            return List.of();
        }
        try (Handle h = jdbi.open()) {
            return h.createQuery("""
                    INSERT INTO agreement (partner_id, agreement_id, type, status, valid_from, valid_to, updated_at)
                    SELECT p, a, t, s, f::date, u::date, :now FROM unnest(:partnerIds::text[],
                        :agreementIds::text[], :types::text[], :statuses::text[], :validFroms::text[],
                        :validTos::text[]) AS v(p, a, t, s, f, u)
                    ON CONFLICT (partner_id, agreement_id) DO UPDATE SET type = EXCLUDED.type,
                        status = EXCLUDED.status, valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to,
                        updated_at = EXCLUDED.updated_at
                    WHERE (agreement.type, agreement.status, agreement.valid_from, agreement.valid_to)
                        IS DISTINCT FROM (EXCLUDED.type, EXCLUDED.status, EXCLUDED.valid_from, EXCLUDED.valid_to)
                    RETURNING partner_id""")
                    .bind("now", now)
                    .bindArray("partnerIds", String.class, rows.stream().map(AgreementRow::partnerId).toList())
                    .bindArray("agreementIds", String.class, rows.stream().map(AgreementRow::agreementId).toList())
                    .bindArray("types", String.class, rows.stream().map(r -> r.type().name()).toList())
                    .bindArray("statuses", String.class, rows.stream().map(r -> r.status().name()).toList())
                    .bindArray("validFroms", String.class, rows.stream().map(r -> r.validFrom().toString()).toList())
                    .bindArray("validTos", String.class, rows.stream().map(r -> date(r.validTo())).toList())
                    .mapTo(String.class)
                    .list();
        } catch (JdbiException e) {
            throw new IllegalStateException("Fact store statement failed", e);
        }
    }

    public List<String> upsertCompetencies(List<CompetencyRow> rows, Instant now) {
        if (rows.isEmpty()) {
            return List.of();
        }
        try (Handle h = jdbi.open()) {
            return h.createQuery("""
                    INSERT INTO competency (partner_id, competency_id, name, level, status, valid_from, valid_to,
                        updated_at)
                    SELECT p, i, n, l, s, f::date, u::date, :now FROM unnest(:partnerIds::text[],
                        :competencyIds::text[], :names::text[], :levels::text[], :statuses::text[],
                        :validFroms::text[], :validTos::text[]) AS v(p, i, n, l, s, f, u)
                    ON CONFLICT (partner_id, competency_id) DO UPDATE SET name = EXCLUDED.name,
                        level = EXCLUDED.level, status = EXCLUDED.status, valid_from = EXCLUDED.valid_from,
                        valid_to = EXCLUDED.valid_to, updated_at = EXCLUDED.updated_at
                    WHERE (competency.name, competency.level, competency.status, competency.valid_from,
                        competency.valid_to) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.level, EXCLUDED.status,
                        EXCLUDED.valid_from, EXCLUDED.valid_to)
                    RETURNING partner_id""")
                    .bind("now", now)
                    .bindArray("partnerIds", String.class, rows.stream().map(CompetencyRow::partnerId).toList())
                    .bindArray("competencyIds", String.class, rows.stream().map(CompetencyRow::competencyId).toList())
                    .bindArray("names", String.class, rows.stream().map(CompetencyRow::name).toList())
                    .bindArray("levels", String.class, rows.stream().map(r -> r.level().name()).toList())
                    .bindArray("statuses", String.class, rows.stream().map(r -> r.status().name()).toList())
                    .bindArray("validFroms", String.class, rows.stream().map(r -> r.validFrom().toString()).toList())
                    .bindArray("validTos", String.class, rows.stream().map(r -> date(r.validTo())).toList())
                    .mapTo(String.class)
                    .list();
        } catch (JdbiException e) {
            throw new IllegalStateException("Fact store statement failed", e);
        }
    }

    public List<String> upsertFirstTransactions(List<FirstTransactionRow> rows, Instant now) {
        if (rows.isEmpty()) {
            return List.of();
        }
        try (Handle h = jdbi.open()) {
            return h.createQuery("""
                    INSERT INTO first_transaction (partner_id, transaction_date, updated_at)
                    SELECT p, d::date, :now FROM unnest(:partnerIds::text[], :dates::text[]) AS v(p, d)
                    ON CONFLICT (partner_id) DO UPDATE SET transaction_date = EXCLUDED.transaction_date,
                        updated_at = EXCLUDED.updated_at
                    WHERE first_transaction.transaction_date IS DISTINCT FROM EXCLUDED.transaction_date
                    RETURNING partner_id""")
                    .bind("now", now)
                    .bindArray("partnerIds", String.class, rows.stream().map(FirstTransactionRow::partnerId).toList())
                    .bindArray("dates", String.class, rows.stream().map(r -> r.date().toString()).toList())
                    .mapTo(String.class)
                    .list();
        } catch (JdbiException e) {
            throw new IllegalStateException("Fact store statement failed", e);
        }
    }

    /**
     * The facts of each given location (locations without any fact get {@link Facts#none()}). One statement for the
     * three kinds of fact, so a single feed write pays one round trip for them, not three: the kinds share columns
     * ({@code code} is an agreement's type or a competency's level; a first transaction's date is in {@code valid_from}).
     */
    public Map<String, Facts> load(Collection<String> partnerIds) {
        Map<String, List<Facts.Agreement>> agreements = new HashMap<>();
        Map<String, List<Facts.Competency>> competencies = new HashMap<>();
        Map<String, LocalDate> firstTransactions = new HashMap<>();
        try (Handle h = jdbi.open()) {
            h.createQuery("""
                    SELECT 'A' AS kind, partner_id, agreement_id AS id, NULL AS name, type AS code, status,
                        valid_from, valid_to FROM agreement WHERE partner_id = ANY(:partnerIds::text[])
                    UNION ALL
                    SELECT 'C', partner_id, competency_id, name, level, status, valid_from, valid_to FROM competency
                    WHERE partner_id = ANY(:partnerIds::text[])
                    UNION ALL
                    SELECT 'F', partner_id, NULL, NULL, NULL, NULL, transaction_date, NULL FROM first_transaction
                    WHERE partner_id = ANY(:partnerIds::text[])
                    ORDER BY partner_id, kind, id""")
                    .bindArray("partnerIds", String.class, partnerIds)
                    .map((rs, ctx) -> new FactRow(rs.getString(1).charAt(0), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getObject(7, LocalDate.class),
                            rs.getObject(8, LocalDate.class)))
                    .forEach(row -> {
                        switch (row.kind()) {
                            case 'A' -> agreements.computeIfAbsent(row.partnerId(), k -> new ArrayList<>())
                                    .add(new Facts.Agreement(row.id(), AgreementType.valueOf(row.code()),
                                            FactStatus.valueOf(row.status()), row.validFrom(), row.validTo()));
                            case 'C' -> competencies.computeIfAbsent(row.partnerId(), k -> new ArrayList<>())
                                    .add(new Facts.Competency(row.id(), row.name(),
                                            CompetencyLevel.valueOf(row.code()), FactStatus.valueOf(row.status()),
                                            row.validFrom(), row.validTo()));
                            default -> firstTransactions.put(row.partnerId(), row.validFrom());
                        }
                    });
        } catch (JdbiException e) {
            throw new IllegalStateException("Fact store statement failed", e);
        }
        Map<String, Facts> result = new HashMap<>();
        for (String partnerId : partnerIds) {
            result.put(partnerId, new Facts(agreements.getOrDefault(partnerId, List.of()),
                    competencies.getOrDefault(partnerId, List.of()), firstTransactions.get(partnerId)));
        }
        return result;
    }

    /** One row of {@link #load}: an agreement ('A'), a competency ('C') or a first transaction ('F'). */
    private record FactRow(char kind, String partnerId, String id, String name, String code, String status,
            LocalDate validFrom, LocalDate validTo) {
    }

    private static String date(LocalDate date) {
        return date == null ? null : date.toString();
    }
}
