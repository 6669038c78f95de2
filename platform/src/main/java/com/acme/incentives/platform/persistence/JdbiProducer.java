package com.acme.incentives.platform.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;

import java.sql.Types;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The one {@link Jdbi} of a service's set-based stores (docs/conventions.md "Persistence": payout's stores,
 * eligibility's FactStore, enrollment's AuditLog), over the service's {@link AgroalDataSource}, configured here once
 * for every service; a service that never injects a {@code Jdbi} never makes one (a {@code @Singleton} is made when
 * first used). A store opens a {@link org.jdbi.v3.core.Handle} ({@code try (Handle h = jdbi.open())}) inside the
 * caller's JTA transaction: Agroal hands it the connection enlisted in that transaction, exactly as
 * {@code dataSource.getConnection()} did, and closing the handle closes only that lease. The transaction is the JTA
 * transaction's alone: a handle never begins, commits or rolls back, and, because force-end-transactions is off, does
 * not end (roll back) the transaction when it is closed with the connection's auto-commit off, which under JTA is
 * always. Outside a transaction a statement runs in auto-commit, as before.
 *
 * <p>Bindings are the ones the JDBC code used: a {@link UUID} (or a null one) with {@code setObject} (a typed NULL of
 * {@code varchar}, Jdbi's default, is refused by a {@code uuid} column), and string arrays as {@code text[]}. A
 * period, a {@link YearMonth} in the code (payout's runs and months), is stored as its text {@code YYYY-MM} and read
 * back as one.
 *
 * <p>An {@link Instant} is bound as a {@code timestamptz} (an {@link java.time.OffsetDateTime} in UTC), not as Jdbi's
 * default {@code setTimestamp}, which the PostgreSQL driver sends with no type for the server to infer. A statement with
 * an untyped parameter is described to the driver, and the driver then sends a Sync and waits for the server before
 * every later run of it that returns text columns (its guard against filling the receive buffer,
 * {@code flushIfDeadlockRisk}): one more round trip each time, e.g. for eligibility's fact upserts
 * ({@code ... updated_at = :now ... RETURNING partner_id}) on every feed write. Every column it is bound to is a
 * {@code timestamptz}, so the typed value means the same.
 */
@Singleton
public class JdbiProducer {

    @Produces
    @Singleton
    Jdbi jdbi(AgroalDataSource dataSource) {
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.getConfig(Handles.class).setForceEndTransactions(false);
        jdbi.registerArrayType(String.class, "text");
        jdbi.registerArgument(new AbstractArgumentFactory<UUID>(Types.OTHER) {
            @Override
            protected Argument build(UUID value, ConfigRegistry config) {
                return (position, statement, context) -> statement.setObject(position, value);
            }
        });
        jdbi.registerArgument(new AbstractArgumentFactory<Instant>(Types.TIMESTAMP_WITH_TIMEZONE) {
            @Override
            protected Argument build(Instant value, ConfigRegistry config) {
                return (position, statement, context) -> statement.setObject(position, value.atOffset(ZoneOffset.UTC));
            }
        });
        jdbi.registerArgument(new AbstractArgumentFactory<YearMonth>(Types.VARCHAR) {
            @Override
            protected Argument build(YearMonth value, ConfigRegistry config) {
                return (position, statement, context) -> statement.setString(position, value.toString());
            }
        });
        jdbi.registerColumnMapper(YearMonth.class, (rs, column, context) -> {
            String period = rs.getString(column);
            return period == null ? null : YearMonth.parse(period);
        });
        return jdbi;
    }
}
