package com.acme.incentives.gateway.auth;

import com.acme.incentives.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sessions ended at {@code /logout}, so that a copy of their cookie, replayed, no longer works.
 *
 * <p>Why a record is needed at all: the session is the encrypted cookie itself (the tokens are in it, nothing is kept
 * in a replica's memory; README "Replicas"), so dropping the browser's cookie at sign-out does nothing to a copy of
 * it. Without a record, such a copy keeps working until its access token expires, and longer if Keycloak's session
 * was not ended too (the browser never followed the end-session redirect), since the gateway would refresh it.
 *
 * <p>Why a record of ended sessions rather than one of live sessions: the record is consulted on every session call,
 * and the store is Redis, which keeps nothing worth keeping (a restart empties it, README "Rate limits"). With a
 * record of live sessions, a Redis restart or outage would sign every browser out, or every check would have to fail
 * open anyway; with a record of ended ones, losing it only re-opens the sessions ended meanwhile, and only those whose
 * Keycloak session is still alive can get past their access token's expiry (minutes). Sign-outs are rare, so the set
 * is small: one key per sign-out, {@code <key-prefix>:<sid>}, kept {@code gateway.session.ended-record-ttl} (the
 * longest a session can be refreshed).
 *
 * <p>Keyed by Keycloak's session id ({@code sid} of the ID token): it is the same for every token refresh of the
 * sign-in, whichever replica refreshed it, and differs for the next sign-in. Every replica reads and writes the same
 * Redis, so a session ended through one replica is refused by all. When Redis does not answer within
 * {@code gateway.session.redis-timeout}, a replica decides with the sessions ended through it (kept in memory as
 * well, and written to Redis again once it answers): fail open, as the rate limiter does, because refusing every
 * session call while Redis is away would sign everyone out; the window is the outage. After a failure, calls do not
 * wait for Redis for a second, so an outage does not add the timeout to every call.
 */
@ApplicationScoped
public class EndedSessions {

    private static final Logger LOG = Logger.getLogger(EndedSessions.class);
    private static final long RETRY_INTERVAL_MS = 5_000;
    private static final long WARN_INTERVAL_NANOS = 60_000_000_000L;
    private static final long RETRY_AFTER_FAILURE_NANOS = 1_000_000_000L;

    @Inject
    RedisAPI redis;

    @Inject
    GatewayConfig config;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry meters;

    /** Sessions ended through this replica: sid to the epoch millisecond its record expires. */
    private final Map<String, Long> endedHere = new ConcurrentHashMap<>();
    /** Of those, the ones Redis has not acknowledged yet. */
    private final Map<String, Long> notYetShared = new ConcurrentHashMap<>();
    /** While Redis is failing, session checks do not ask it before this (System.nanoTime) moment. */
    private final AtomicLong askRedisAgainAt = new AtomicLong(System.nanoTime());
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);
    private Counter storeFailures;
    private long timer = -1;

    void start(@Observes StartupEvent event) {
        storeFailures = Counter.builder("gateway.session.store.failures")
                .description("Session checks or sign-outs that Redis did not answer in time (decided by this replica's "
                        + "own records of ended sessions)")
                .register(meters);
        timer = vertx.setPeriodic(RETRY_INTERVAL_MS, id -> maintain());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Records that the session has ended, here and in Redis. Never fails; completes when Redis has it or gave up. */
    public Uni<Void> end(String sessionId) {
        long expiresAt = System.currentTimeMillis() + config.session().endedRecordTtl().toMillis();
        endedHere.put(sessionId, expiresAt);
        notYetShared.put(sessionId, expiresAt);
        return share(sessionId, expiresAt);
    }

    /** True when the session was ended at {@code /logout}, through any replica. Never fails. */
    public Uni<Boolean> hasEnded(String sessionId) {
        Long here = endedHere.get(sessionId);
        if (here != null && here > System.currentTimeMillis()) {
            return Uni.createFrom().item(true);
        }
        if (System.nanoTime() - askRedisAgainAt.get() < 0) {
            // Redis failed less than a second ago: do not make every call wait for it meanwhile.
            return Uni.createFrom().item(false);
        }
        return redis.exists(List.of(key(sessionId)))
                .ifNoItem().after(config.session().redisTimeout()).fail()
                .map(count -> count.toLong() > 0)
                .onFailure().recoverWithItem(failure -> {
                    askRedisAgainAt.set(System.nanoTime() + RETRY_AFTER_FAILURE_NANOS);
                    storeFailed("checking a session", failure);
                    return false;
                });
    }

    /** The Redis key of an ended session. */
    public String key(String sessionId) {
        return config.session().keyPrefix() + ":" + sessionId;
    }

    /** Forgets this replica's own records (tests: shows the answer then comes from Redis, as on another replica). */
    void forgetLocalRecords() {
        endedHere.clear();
        notYetShared.clear();
    }

    private Uni<Void> share(String sessionId, long expiresAt) {
        long ttl = expiresAt - System.currentTimeMillis();
        if (ttl <= 0) {
            notYetShared.remove(sessionId);
            return Uni.createFrom().voidItem();
        }
        return redis.set(List.of(key(sessionId), "1", "PX", Long.toString(ttl)))
                .ifNoItem().after(config.session().redisTimeout().multipliedBy(10)).fail()
                .invoke(() -> notYetShared.remove(sessionId))
                .replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    storeFailed("recording a sign-out (retried every " + RETRY_INTERVAL_MS / 1000 + " s)", failure);
                    return null;
                });
    }

    /** Drops expired records, and writes to Redis those it has not acknowledged yet. */
    private void maintain() {
        long now = System.currentTimeMillis();
        endedHere.values().removeIf(expiresAt -> expiresAt <= now);
        notYetShared.forEach((sessionId, expiresAt) -> share(sessionId, expiresAt).subscribe().with(v -> {
        }));
    }

    private void storeFailed(String what, Throwable failure) {
        storeFailures.increment();
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_INTERVAL_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warnf("Redis did not answer %s (%s): sessions ended through other replicas may be accepted here "
                    + "until it does (logged at most once a minute)", what, failure.toString());
        } else {
            LOG.debugf("Redis did not answer %s: %s", what, failure.toString());
        }
    }
}
