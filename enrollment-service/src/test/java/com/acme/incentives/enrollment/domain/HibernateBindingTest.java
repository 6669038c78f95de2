package com.acme.incentives.enrollment.domain;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.hibernate.SessionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.id.insert.InsertReturningDelegate;
import org.hibernate.persister.entity.AbstractEntityPersister;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.SqlTypes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two Hibernate settings platform passes through (its microprofile-config.properties; docs/conventions.md,
 * "Persistence") are in force: nothing else would fail if a later Quarkus or Hibernate ignored them, and each one
 * quietly adds a round trip to PostgreSQL per statement when lost (BENCHMARKS.md, "Hibernate binds a point in time
 * typed"). Read from the session factory this service really runs with, on the mail outbox (an entity with both).
 */
@QuarkusTest
class HibernateBindingTest {

    @Inject
    SessionFactory sessionFactory;

    private EntityPersister mailOutbox() {
        return sessionFactory.unwrap(SessionFactoryImplementor.class).getMappingMetamodel()
                .getEntityDescriptor(MailMessage.class);
    }

    @Test
    void anInstantIsBoundAsATypedTimestampWithTimeZone() {
        // Hibernate's own default on PostgreSQL is TIMESTAMP_UTC: setTimestamp with a UTC calendar, sent untyped.
        assertThat(mailOutbox().findAttributeMapping("createdAt").getSingleJdbcMapping().getJdbcType()
                .getDefaultSqlTypeCode()).isEqualTo(SqlTypes.TIMESTAMP_WITH_TIMEZONE);
    }

    @Test
    void aRowWithADatabaseMadeIdIsInsertedWithReturningNotThroughGeneratedKeys() {
        // Through JDBC's generated keys the driver asks for RETURNING *, every column of the row.
        assertThat(sessionFactory.unwrap(SessionFactoryImplementor.class).getSessionFactoryOptions()
                .isGetGeneratedKeysEnabled()).isFalse();
        assertThat(((AbstractEntityPersister) mailOutbox()).getInsertDelegate())
                .isInstanceOf(InsertReturningDelegate.class);
    }
}
