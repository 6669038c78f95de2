package com.acme.incentives.eligibility.service;

import com.acme.incentives.eligibility.domain.AgreementType;
import com.acme.incentives.eligibility.domain.CompetencyLevel;
import com.acme.incentives.eligibility.domain.FactStatus;
import com.acme.incentives.eligibility.domain.Facts;
import com.acme.incentives.platform.concurrency.AdvisoryLocks;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Set-based reads and writes of the fed facts: one statement per kind of fact for a whole batch (arrays through
 * {@code unnest}), so thousands of rows cost a few round trips. Runs on the connection of the caller's transaction.
 */
@ApplicationScoped
public class FactStore {

    @Inject
    AgroalDataSource dataSource;

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
        try (Connection connection = dataSource.getConnection()) { // the transaction's own (see sql below)
            AdvisoryLocks.LOCATION_FACTS.lockAll(connection, partnerIds);
        } catch (SQLException e) {
            throw new IllegalStateException("Fact store statement failed", e);
        }
    }

    /** Inserts or changes agreements; returns the partner ID of each row that actually changed something. */
    public List<String> upsertAgreements(List<AgreementRow> rows, Instant now) {
        if (rows.isEmpty()) {
            return List.of();
        }
        return sql("INSERT INTO agreement (partner_id, agreement_id, type, status, valid_from, valid_to, updated_at)"
                + " SELECT p, a, t, s, f::date, u::date, ? FROM unnest(?::text[], ?::text[], ?::text[], ?::text[],"
                + " ?::text[], ?::text[]) AS v(p, a, t, s, f, u)"
                + " ON CONFLICT (partner_id, agreement_id) DO UPDATE SET type = EXCLUDED.type,"
                + " status = EXCLUDED.status, valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to,"
                + " updated_at = EXCLUDED.updated_at"
                + " WHERE (agreement.type, agreement.status, agreement.valid_from, agreement.valid_to)"
                + " IS DISTINCT FROM (EXCLUDED.type, EXCLUDED.status, EXCLUDED.valid_from, EXCLUDED.valid_to)"
                + " RETURNING partner_id", statement -> {
                    Connection c = statement.getConnection();
                    statement.setTimestamp(1, Timestamp.from(now));
                    statement.setArray(2, text(c, rows.stream().map(AgreementRow::partnerId)));
                    statement.setArray(3, text(c, rows.stream().map(AgreementRow::agreementId)));
                    statement.setArray(4, text(c, rows.stream().map(r -> r.type().name())));
                    statement.setArray(5, text(c, rows.stream().map(r -> r.status().name())));
                    statement.setArray(6, text(c, rows.stream().map(r -> r.validFrom().toString())));
                    statement.setArray(7, text(c, rows.stream().map(r -> date(r.validTo()))));
                    return partnerIds(statement);
                });
    }

    public List<String> upsertCompetencies(List<CompetencyRow> rows, Instant now) {
        if (rows.isEmpty()) {
            return List.of();
        }
        return sql("INSERT INTO competency (partner_id, competency_id, name, level, status, valid_from, valid_to,"
                + " updated_at) SELECT p, i, n, l, s, f::date, u::date, ? FROM unnest(?::text[], ?::text[],"
                + " ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS v(p, i, n, l, s, f, u)"
                + " ON CONFLICT (partner_id, competency_id) DO UPDATE SET name = EXCLUDED.name,"
                + " level = EXCLUDED.level, status = EXCLUDED.status, valid_from = EXCLUDED.valid_from,"
                + " valid_to = EXCLUDED.valid_to, updated_at = EXCLUDED.updated_at"
                + " WHERE (competency.name, competency.level, competency.status, competency.valid_from,"
                + " competency.valid_to) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.level, EXCLUDED.status,"
                + " EXCLUDED.valid_from, EXCLUDED.valid_to)"
                + " RETURNING partner_id", statement -> {
                    Connection c = statement.getConnection();
                    statement.setTimestamp(1, Timestamp.from(now));
                    statement.setArray(2, text(c, rows.stream().map(CompetencyRow::partnerId)));
                    statement.setArray(3, text(c, rows.stream().map(CompetencyRow::competencyId)));
                    statement.setArray(4, text(c, rows.stream().map(CompetencyRow::name)));
                    statement.setArray(5, text(c, rows.stream().map(r -> r.level().name())));
                    statement.setArray(6, text(c, rows.stream().map(r -> r.status().name())));
                    statement.setArray(7, text(c, rows.stream().map(r -> r.validFrom().toString())));
                    statement.setArray(8, text(c, rows.stream().map(r -> date(r.validTo()))));
                    return partnerIds(statement);
                });
    }

    public List<String> upsertFirstTransactions(List<FirstTransactionRow> rows, Instant now) {
        if (rows.isEmpty()) {
            return List.of();
        }
        return sql("INSERT INTO first_transaction (partner_id, transaction_date, updated_at)"
                + " SELECT p, d::date, ? FROM unnest(?::text[], ?::text[]) AS v(p, d)"
                + " ON CONFLICT (partner_id) DO UPDATE SET transaction_date = EXCLUDED.transaction_date,"
                + " updated_at = EXCLUDED.updated_at"
                + " WHERE first_transaction.transaction_date IS DISTINCT FROM EXCLUDED.transaction_date"
                + " RETURNING partner_id", statement -> {
                    Connection c = statement.getConnection();
                    statement.setTimestamp(1, Timestamp.from(now));
                    statement.setArray(2, text(c, rows.stream().map(FirstTransactionRow::partnerId)));
                    statement.setArray(3, text(c, rows.stream().map(r -> r.date().toString())));
                    return partnerIds(statement);
                });
    }

    /** The facts of each given location (locations without any fact get {@link Facts#none()}). */
    public Map<String, Facts> load(Collection<String> partnerIds) {
        Map<String, List<Facts.Agreement>> agreements = new HashMap<>();
        Map<String, List<Facts.Competency>> competencies = new HashMap<>();
        Map<String, LocalDate> firstTransactions = new HashMap<>();
        Object[] ids = partnerIds.toArray();
        sql("SELECT partner_id, agreement_id, type, status, valid_from, valid_to FROM agreement"
                + " WHERE partner_id = ANY(?::text[]) ORDER BY partner_id, agreement_id", statement -> {
                    statement.setArray(1, statement.getConnection().createArrayOf("text", ids));
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            agreements.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                    .add(new Facts.Agreement(rs.getString(2), AgreementType.valueOf(rs.getString(3)),
                                            FactStatus.valueOf(rs.getString(4)), rs.getObject(5, LocalDate.class),
                                            rs.getObject(6, LocalDate.class)));
                        }
                    }
                    return null;
                });
        sql("SELECT partner_id, competency_id, name, level, status, valid_from, valid_to FROM competency"
                + " WHERE partner_id = ANY(?::text[]) ORDER BY partner_id, competency_id", statement -> {
                    statement.setArray(1, statement.getConnection().createArrayOf("text", ids));
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            competencies.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                    .add(new Facts.Competency(rs.getString(2), rs.getString(3),
                                            CompetencyLevel.valueOf(rs.getString(4)),
                                            FactStatus.valueOf(rs.getString(5)), rs.getObject(6, LocalDate.class),
                                            rs.getObject(7, LocalDate.class)));
                        }
                    }
                    return null;
                });
        sql("SELECT partner_id, transaction_date FROM first_transaction WHERE partner_id = ANY(?::text[])",
                statement -> {
                    statement.setArray(1, statement.getConnection().createArrayOf("text", ids));
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            firstTransactions.put(rs.getString(1), rs.getObject(2, LocalDate.class));
                        }
                    }
                    return null;
                });
        Map<String, Facts> result = new HashMap<>();
        for (String partnerId : partnerIds) {
            result.put(partnerId, new Facts(agreements.getOrDefault(partnerId, List.of()),
                    competencies.getOrDefault(partnerId, List.of()), firstTransactions.get(partnerId)));
        }
        return result;
    }

    /** What to do with a prepared statement on the transaction's connection (see {@link #sql}). */
    public interface Work<T> {
        T run(PreparedStatement statement) throws SQLException;
    }

    /** Runs one statement on the connection of the caller's transaction (the boundary job reads its due list so). */
    public <T> T sql(String sql, Work<T> work) {
        // Agroal hands out the connection enlisted in the current JTA transaction: these writes commit or roll back
        // with the rest of the request (outbox rows included).
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            return work.run(statement);
        } catch (SQLException e) {
            throw new IllegalStateException("Fact store statement failed", e);
        }
    }

    private static java.sql.Array text(Connection connection, java.util.stream.Stream<String> values)
            throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }

    private static String date(LocalDate date) {
        return date == null ? null : date.toString();
    }

    private static List<String> partnerIds(PreparedStatement statement) throws SQLException {
        List<String> changed = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                changed.add(rs.getString(1));
            }
        }
        return changed;
    }
}
