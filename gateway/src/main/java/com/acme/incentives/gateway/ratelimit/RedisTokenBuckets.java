package com.acme.incentives.gateway.ratelimit;

import com.acme.incentives.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Token buckets in Redis, one hash per client at {@code <key-prefix>:<client>} (by default {@code <incentives.instance>:ratelimit:<client>}), shared by every
 * gateway replica. Taking a token is one Lua script, which Redis runs atomically: two replicas taking the last token
 * at the same moment cannot both get it. The clock is Redis's ({@code TIME}), so the replicas' clocks need not agree.
 * Each write sets a TTL of the time an empty bucket takes to fill up (plus a second): a bucket that has expired would
 * be full anyway, so an idle client leaves nothing behind.
 */
@ApplicationScoped
public class RedisTokenBuckets {

    /**
     * KEYS[1]: the client's bucket. ARGV: capacity, tokens per second, TTL in milliseconds. Answers 0 when a token was
     * taken, else the microseconds until one will be there. Times in microseconds since the epoch (2^53 is far away);
     * written with %.0f so Lua's 14-digit tostring does not round them.
     */
    static final String SCRIPT = """
            redis.replicate_commands()
            local capacity = tonumber(ARGV[1])
            local per_us = tonumber(ARGV[2]) / 1000000
            local clock = redis.call('TIME')
            local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
            local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
            local tokens = tonumber(state[1]) or capacity
            local at = tonumber(state[2]) or now
            if now > at then
              tokens = math.min(capacity, tokens + (now - at) * per_us)
              at = now
            end
            local wait = 0
            if tokens >= 1 then
              tokens = tokens - 1
            else
              wait = math.ceil((1 - tokens) / per_us)
            end
            redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'at', string.format('%.0f', at))
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return wait
            """;
    static final String SHA = sha1(SCRIPT);

    @Inject
    RedisAPI redis;

    @Inject
    GatewayConfig config;

    /** The Redis key of a client's bucket (the prefix: tests give each gateway start its own). */
    public String key(String client) {
        return config.rateLimit().redis().keyPrefix() + ":" + client;
    }

    /**
     * Takes a token from the client's bucket: 0 microseconds when one was there, else how long until one will be. The
     * script is sent by its digest (EVALSHA); only when Redis does not know it yet (first call, Redis restarted) is it
     * sent whole (EVAL), which also makes Redis keep it.
     */
    public Uni<Long> take(String client, int capacity, double perSecond) {
        List<String> keyAndArgs = List.of("1", key(client), Integer.toString(capacity), Double.toString(perSecond),
                Long.toString(ttlMillis(capacity, perSecond)));
        return redis.evalsha(prepend(SHA, keyAndArgs))
                .onFailure(RedisTokenBuckets::isNoScript).recoverWithUni(() -> redis.eval(prepend(SCRIPT, keyAndArgs)))
                .map(Response::toLong);
    }

    /** Connects and loads the script (SCRIPT LOAD), so that EVALSHA finds it. */
    public Uni<Void> warmUp() {
        return redis.script(List.of("LOAD", SCRIPT)).replaceWithVoid();
    }

    /** How long an empty bucket takes to fill up, plus a second. */
    static long ttlMillis(int capacity, double perSecond) {
        return (long) Math.ceil(capacity / perSecond * 1000) + 1000;
    }

    private static boolean isNoScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT");
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> all = new java.util.ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
