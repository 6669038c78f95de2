package com.acme.incentives.gateway.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The replicas of one service (the comma-separated {@code gateway.services.<name>.url}) and which of them to try for a
 * call: round-robin over the replicas in rotation, then, as a last resort, those taken out of rotation. A replica
 * that could not be connected to is out of rotation for {@code ejectFor} (passive health: no probes, the calls
 * themselves are the probes). With one URL, as on Kubernetes where it names a Service, there is nothing to choose:
 * the one replica is always tried and nothing is ever taken out of rotation.
 *
 * <p>Thread-safe without locks: every event loop of the gateway calls it. Times are {@link System#nanoTime()} values,
 * passed in so the logic can be tested without waiting.
 */
public final class UpstreamPool {

    private final String service;
    private final List<Replica> replicas;
    private final long ejectNanos;
    private final AtomicInteger next = new AtomicInteger();

    public UpstreamPool(String service, List<ServiceRoute.Upstream> upstreams, Duration ejectFor) {
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("service " + service + " has no upstream");
        }
        this.service = service;
        this.replicas = upstreams.stream().map(Replica::new).toList();
        this.ejectNanos = ejectFor.toNanos();
    }

    public String service() {
        return service;
    }

    public List<Replica> replicas() {
        return replicas;
    }

    /**
     * The replicas to try for one call, in order: those in rotation, starting with the next one round-robin, then
     * those out of rotation, the one due back soonest first (so when every replica is out, every call still tries
     * them all rather than failing without trying).
     */
    public List<Replica> attemptOrder(long now) {
        int n = replicas.size();
        if (n == 1) {
            return replicas;
        }
        int start = Math.floorMod(next.getAndIncrement(), n);
        List<Replica> inRotation = new ArrayList<>(n);
        List<Map.Entry<Long, Replica>> ejected = new ArrayList<>(0);
        for (int i = 0; i < n; i++) {
            Replica replica = replicas.get((start + i) % n);
            long until = replica.ejectedUntil.get(); // read once: another event loop may change it meanwhile
            if (until != 0 && now - until < 0) {
                ejected.add(Map.entry(until - now, replica));
            } else {
                inRotation.add(replica);
            }
        }
        ejected.sort(Map.Entry.comparingByKey());
        ejected.forEach(e -> inRotation.add(e.getValue()));
        return inRotation;
    }

    /**
     * A connection to the replica could not be made: out of rotation until {@code now + ejectFor}. True when it had
     * been working until now (the moment to log it), false when it was already known to be down, or when it is the
     * only replica (which is never taken out of rotation).
     */
    public boolean connectFailed(Replica replica, long now) {
        if (replicas.size() == 1) {
            return false;
        }
        replica.ejectedUntil.set(Math.max(1, now + ejectNanos)); // 0 means "never ejected"
        return replica.down.compareAndSet(false, true);
    }

    /** A connection to the replica was made: back in rotation. True when it had been down (the moment to log it). */
    public boolean connected(Replica replica) {
        if (!replica.down.get()) {
            return false; // the usual case: no write, so the hot path does not bounce a cache line between loops
        }
        replica.ejectedUntil.set(0);
        return replica.down.compareAndSet(true, false);
    }

    /** How many replicas are in rotation now. */
    public int inRotation(long now) {
        int count = 0;
        for (Replica replica : replicas) {
            if (!replica.isEjected(now)) {
                count++;
            }
        }
        return count;
    }

    /** One replica and its passive-health state. */
    public static final class Replica {

        private final ServiceRoute.Upstream address;
        /** 0: in rotation; else the {@code nanoTime} from which it is tried again in turn. */
        private final AtomicLong ejectedUntil = new AtomicLong();
        /** The last connection attempt failed (set until one succeeds, even after the ejection ran out). */
        private final AtomicBoolean down = new AtomicBoolean();

        Replica(ServiceRoute.Upstream address) {
            this.address = address;
        }

        public ServiceRoute.Upstream address() {
            return address;
        }

        public String name() {
            return address.name();
        }

        boolean isEjected(long now) {
            long until = ejectedUntil.get();
            return until != 0 && now - until < 0;
        }

        @Override
        public String toString() {
            return name();
        }
    }
}
