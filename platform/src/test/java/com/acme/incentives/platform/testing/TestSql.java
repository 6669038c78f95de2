package com.acme.incentives.platform.testing;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Tests' direct look at (or change to) the service's database, in a connection of its own (auto-commit): what a
 * service stored, counted; a row moved into the state a test needs. {@code ?} parameters are bound in order.
 */
public final class TestSql {

    private TestSql() {
    }

    /** The first column of the first row as a number: {@code count(db, "SELECT count(*) FROM t WHERE id = ?", id)}. */
    public static long count(DataSource db, String sql, Object... parameters) {
        return query(db, sql, parameters, rs -> rs.next() ? rs.getLong(1) : 0L);
    }

    /** The first column of the first row as text, or null when there is no row. */
    public static String text(DataSource db, String sql, Object... parameters) {
        return query(db, sql, parameters, rs -> rs.next() ? rs.getString(1) : null);
    }

    /** Runs an INSERT, UPDATE or DELETE; returns the rows it changed. */
    public static int update(DataSource db, String sql, Object... parameters) {
        try (Connection c = db.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Test SQL failed: " + sql, e);
        }
    }

    /** Reads what a query returns. */
    public interface Rows<T> {
        T read(ResultSet rs) throws SQLException;
    }

    public static <T> T query(DataSource db, String sql, Object[] parameters, Rows<T> rows) {
        try (Connection c = db.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                return rows.read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Test SQL failed: " + sql, e);
        }
    }

    private static void bind(PreparedStatement statement, Object[] parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }
}
