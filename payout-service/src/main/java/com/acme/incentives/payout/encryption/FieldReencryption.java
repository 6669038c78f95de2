package com.acme.incentives.payout.encryption;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The re-encryption job of a key rotation (deploy/k8s/README.md "Rotating the field-encryption key"): rewrites every
 * stored encrypted value that is not under the current key version ({@code payout.encryption.current-version}) with
 * the current key, so that the old key can be removed afterwards. A scheduled job rather than an operator endpoint:
 * switching the current version is the operator's act, and the job then simply finds work; it needs no API surface.
 *
 * <p>Where encrypted values live ({@link #STORES}): {@code bank_profile.account_ciphertext} and
 * {@code bank_profile_version.account_ciphertext} ({@link FieldEncryption#encrypt}, {@code v<n>:} prefix) and
 * {@code bank_file.content} ({@link FieldEncryption#seal}, version byte). A new encrypted column belongs here too.
 *
 * <p>Small batches in id order, each its own transaction with its rows locked {@code FOR UPDATE SKIP LOCKED}: the
 * service keeps serving (a row a request or the bank sender holds is skipped, and taken by the next run), two
 * replicas share the work instead of waiting for each other, and a crash loses at most one batch, done again by the
 * next run. Rewriting a value changes neither what it decrypts to nor anything a client sees (not {@code updated_at},
 * not a profile's version or ETag; {@code bank_file.content_sha256} is the plain document's). A value that cannot be
 * read (its key is not configured, or it was tampered with) is left as it is and named in the log by table and id;
 * it stays counted in {@code payout.encryption.behind}, so the old key is not removed while it is there.
 */
@ApplicationScoped
public class FieldReencryption {

    private static final Logger LOG = Logger.getLogger(FieldReencryption.class);
    /** Below every id: the first batch of a table starts after it (ids are random UUIDs; the nil UUID is not one). */
    private static final UUID FIRST = new UUID(0, 0);

    /** A column holding encrypted values: text ({@code v<n>:…}) or sealed bytes (version byte first). */
    record Store(String table, String column, boolean sealed) {

        /**
         * The rows whose value is not under key version {@code :version} (the parameter {@link #behindParameter}
         * gives).
         */
        String behind() {
            return sealed ? "substring(" + column + " FROM 1 FOR 1) <> :version"
                    : column + " IS NOT NULL AND " + column + " NOT LIKE :version";
        }

        Object behindParameter(int version) {
            return sealed ? new byte[] { (byte) version } : FieldEncryption.textPrefix(version) + "%";
        }
    }

    static final List<Store> STORES = List.of(
            new Store("bank_profile", "account_ciphertext", false),
            new Store("bank_profile_version", "account_ciphertext", false),
            new Store("bank_file", "content", true));

    /** What one pass did: values rewritten, values that could not be read, and values still behind after it. */
    public record Outcome(long rewritten, long unreadable, long behind) {
    }

    private record Batch(int rows, int rewritten, int unreadable, UUID last) {
    }

    /** A row behind: its id and its stored value (text, or sealed bytes). */
    private record Stored(UUID id, Object value) {
    }

    @Inject
    Jdbi jdbi;

    @Inject
    FieldEncryption encryption;

    @Inject
    EncryptionSettings settings;

    @Inject
    MeterRegistry registry;

    /** Per table, the values not under the current key version at the last count (the gauge reads it). */
    private final Map<String, AtomicLong> behind = new TreeMap<>();

    @PostConstruct
    void register() {
        for (Store store : STORES) {
            AtomicLong count = new AtomicLong();
            behind.put(store.table(), count);
            Gauge.builder("payout.encryption.behind", count, AtomicLong::get).tag("table", store.table())
                    .description("Encrypted values stored under another key version than the current one (counted"
                            + " by the re-encryption job at each run)")
                    .register(registry);
        }
    }

    @Scheduled(every = "${payout.encryption.reencrypt-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            run();
        } catch (RuntimeException e) {
            // Batches already done stay done; the next run goes on from the values still behind.
            LOG.warnf("Re-encryption stopped, the next run goes on: %s", e.getMessage());
        }
    }

    /**
     * One pass: counts the values behind and, when there are any, rewrites them table by table in batches. Running
     * it again finds nothing to do (idempotent). The schedule calls it; tests call it to avoid waiting.
     */
    public synchronized Outcome run() {
        int version = encryption.currentVersion();
        if (count(version) == 0) {
            return new Outcome(0, 0, 0);
        }
        long rewritten = 0;
        long unreadable = 0;
        for (Store store : STORES) {
            int limit = store.sealed() ? settings.reencryptFilesPerBatch() : settings.reencryptBatchSize();
            UUID after = FIRST;
            Batch batch;
            do {
                UUID from = after;
                batch = QuarkusTransaction.requiringNew().call(() -> batch(store, version, from, limit));
                rewritten += batch.rewritten();
                unreadable += batch.unreadable();
                if (batch.rows() > 0) {
                    LOG.infof("Re-encrypted %d %s value(s) to key version %d%s", batch.rewritten(), store.table(),
                            version, batch.unreadable() > 0 ? " (" + batch.unreadable() + " could not be read)" : "");
                }
                after = batch.last();
            } while (batch.rows() == limit);
        }
        long left = count(version);
        LOG.infof("Re-encryption to key version %d: %d value(s) rewritten, %d could not be read, %d still under"
                + " another version", version, rewritten, unreadable, left);
        return new Outcome(rewritten, unreadable, left);
    }

    /** Counts the values not under {@code version}, table by table, into the gauges; returns their sum. */
    private long count(int version) {
        long total = 0;
        try (Handle h = jdbi.open()) {
            for (Store store : STORES) {
                long n = h.createQuery("SELECT count(*) FROM " + store.table() + " WHERE " + store.behind())
                        .bind("version", store.behindParameter(version))
                        .map((rs, ctx) -> rs.getLong(1))
                        .one();
                behind.get(store.table()).set(n);
                total += n;
            }
        } catch (JdbiException e) {
            throw new IllegalStateException("Could not count the values to re-encrypt", e);
        }
        return total;
    }

    /** Rewrites the next {@code limit} rows after {@code after} that are behind (in the caller's new transaction). */
    private Batch batch(Store store, int version, UUID after, int limit) {
        List<UUID> ids = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        int rows = 0;
        int unreadable = 0;
        UUID last = after;
        try (Handle h = jdbi.open()) {
            List<Stored> stored = h.createQuery("SELECT id, " + store.column() + " FROM " + store.table()
                    + " WHERE id > :after AND " + store.behind() + " ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED")
                    .bind("after", after)
                    .bind("version", store.behindParameter(version))
                    .bind("limit", limit)
                    .map((rs, ctx) -> new Stored(rs.getObject(1, UUID.class),
                            store.sealed() ? rs.getBytes(2) : rs.getString(2)))
                    .list();
            for (Stored row : stored) {
                rows++;
                last = row.id();
                try {
                    values.add(store.sealed() ? encryption.seal(encryption.open((byte[]) row.value()))
                            : encryption.encrypt(encryption.decrypt((String) row.value())));
                    ids.add(last);
                } catch (IllegalStateException e) {
                    unreadable++;
                    // Our own messages only (which version, which setting): never a value.
                    LOG.warnf("%s %s is not re-encrypted, its value cannot be read: %s%s", store.table(),
                            last, e.getMessage(), e.getCause() instanceof IllegalStateException cause
                                    ? " (" + cause.getMessage() + ")" : "");
                }
            }
            if (!ids.isEmpty()) {
                try (PreparedBatch u = h.prepareBatch(
                        "UPDATE " + store.table() + " SET " + store.column() + " = :value WHERE id = :id")) {
                    for (int i = 0; i < ids.size(); i++) {
                        u.bind("value", values.get(i))
                                .bind("id", ids.get(i))
                                .add();
                    }
                    u.execute();
                }
            }
        } catch (JdbiException e) {
            throw new IllegalStateException("Could not re-encrypt " + store.table(), e);
        }
        return new Batch(rows, ids.size(), unreadable, last);
    }
}
