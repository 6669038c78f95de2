package com.acme.incentives.gateway.proxy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The balancing and passive-health rules, with a clock the test moves (times in nanoseconds, as System.nanoTime). */
class UpstreamPoolTest {

    private static final long SECOND = 1_000_000_000L;
    private static final Duration EJECT_FOR = Duration.ofSeconds(5);

    @Test
    void callsGoRoundRobinOverTheReplicas() {
        UpstreamPool pool = pool("a", "b", "c");
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            List<UpstreamPool.Replica> order = pool.attemptOrder(0);
            assertThat(order).as("every replica is a candidate for every call").hasSize(3);
            first.add(order.get(0).address().host());
        }
        assertThat(first).containsExactly("a", "b", "c", "a", "b", "c");
        // The rest of each order is the rotation that follows: the next replica after the one that failed.
        assertThat(names(pool.attemptOrder(0))).containsExactly("a", "b", "c");
        assertThat(names(pool.attemptOrder(0))).containsExactly("b", "c", "a");
    }

    @Test
    void aReplicaThatFailedToConnectIsSkippedForTheEjectionTimeThenTriedAgain() {
        UpstreamPool pool = pool("a", "b");
        UpstreamPool.Replica a = pool.replicas().get(0);
        long now = 100 * SECOND;
        assertThat(pool.connectFailed(a, now)).as("first failure: the moment to log it").isTrue();
        assertThat(pool.inRotation(now)).isEqualTo(1);
        for (int i = 0; i < 4; i++) {
            // Still a candidate, but only after the healthy replica: tried first by no call.
            assertThat(names(pool.attemptOrder(now + SECOND))).containsExactly("b", "a");
        }
        assertThat(pool.connectFailed(a, now + SECOND)).as("already known to be down: not logged again").isFalse();

        long later = now + SECOND + EJECT_FOR.toNanos(); // the second failure restarted the ejection
        assertThat(pool.inRotation(later - 1)).isEqualTo(1);
        assertThat(pool.inRotation(later)).isEqualTo(2);
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            first.add(pool.attemptOrder(later).get(0).name());
        }
        assertThat(first).as("back in the rotation once its time is up").contains("a:8080", "b:8080");

        assertThat(pool.connected(a)).as("first success after the failures: the moment to log it").isTrue();
        assertThat(pool.connected(a)).isFalse();
    }

    @Test
    void whenEveryReplicaIsOutAllAreStillTriedTheOneDueBackFirstFirst() {
        UpstreamPool pool = pool("a", "b", "c");
        long now = 10 * SECOND;
        pool.connectFailed(pool.replicas().get(1), now);          // b back at 15 s
        pool.connectFailed(pool.replicas().get(0), now + SECOND); // a back at 16 s
        pool.connectFailed(pool.replicas().get(2), now + 2 * SECOND); // c back at 17 s
        assertThat(pool.inRotation(now + 2 * SECOND)).isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(names(pool.attemptOrder(now + 2 * SECOND))).containsExactly("b", "a", "c");
        }
    }

    @Test
    void oneUrlIsAlwaysTriedAndNeverTakenOutOfRotation() {
        // Kubernetes: the URL names a Service, whose own load balancing picks the pod. Behaves as before replicas.
        UpstreamPool pool = pool("identity-service");
        UpstreamPool.Replica only = pool.replicas().get(0);
        assertThat(pool.connectFailed(only, 0)).isFalse();
        assertThat(pool.inRotation(1)).isEqualTo(1);
        assertThat(pool.attemptOrder(1)).containsExactly(only);
        assertThat(pool.connected(only)).isFalse();
    }

    @Test
    void aCommaSeparatedUrlListIsOneReplicaPerUrl() {
        List<ServiceRoute.Upstream> upstreams = ServiceRouteTable.upstreams("identity",
                "http://localhost:8101, http://localhost:8111/base/ ,https://identity.example");
        assertThat(upstreams).containsExactly(
                new ServiceRoute.Upstream("localhost", 8101, false, ""),
                new ServiceRoute.Upstream("localhost", 8111, false, "/base"),
                new ServiceRoute.Upstream("identity.example", 443, true, ""));
        assertThat(ServiceRouteTable.upstreams("identity", "http://localhost:8101"))
                .containsExactly(new ServiceRoute.Upstream("localhost", 8101, false, ""));
        assertThatThrownBy(() -> ServiceRouteTable.upstreams("identity", " , "))
                .hasMessageContaining("gateway.services.identity.url");
        assertThatThrownBy(() -> ServiceRouteTable.upstreams("identity", "http://localhost:8101,ftp://x"))
                .hasMessageContaining("must be an http(s) URL");
        assertThatThrownBy(() -> ServiceRouteTable.upstreams("identity", "http://localhost:8101,http://localhost:8101/"))
                .hasMessageContaining("twice");
    }

    private static UpstreamPool pool(String... hosts) {
        List<ServiceRoute.Upstream> upstreams = new ArrayList<>();
        for (String host : hosts) {
            upstreams.add(new ServiceRoute.Upstream(host, 8080, false, ""));
        }
        return new UpstreamPool("svc", upstreams, EJECT_FOR);
    }

    private static List<String> names(List<UpstreamPool.Replica> order) {
        return order.stream().map(r -> r.address().host()).toList();
    }
}
