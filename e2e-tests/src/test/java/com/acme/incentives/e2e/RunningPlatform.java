package com.acme.incentives.e2e;

import com.acme.incentives.platform.testing.LocalInfra;
import io.restassured.RestAssured;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The end-to-end instance of the platform: every service and the gateway started by the same script a developer uses
 * ({@code INSTANCE=e2e deploy/local/services.sh}), on their own ports (gateway 8090), and stopped when the test JVM
 * exits. Tests talk to the gateway only.
 *
 * <p>By default they run from their container images (deploy/target/images, {@code RUNTIME=image}), under the
 * restrictions of their pods (read-only root file system, user 185), so these tests test what ships. That needs root;
 * elsewhere {@code -De2e.runtime=jar} runs the jars instead.
 */
public final class RunningPlatform {

    public static final String GATEWAY = "http://localhost:8090";
    /** image or jar: what services.sh starts (its RUNTIME). */
    public static final String RUNTIME = System.getProperty("e2e.runtime", "image");
    /**
     * How many replicas of every service and of the gateway services.sh starts: two, as the least a Kubernetes
     * deployment runs, so every journey and suite also proves that replicas share the work without doubling it.
     */
    public static final int REPLICAS = Integer.getInteger("e2e.replicas", 2);
    private static boolean started;

    private RunningPlatform() {
    }

    public static synchronized void ensureStarted() {
        // Awaitility's first look at a condition comes after one poll interval unless told otherwise: 1-3 s of nothing
        // before every wait of these tests. Each wait's conditions and limits stay as they are; it just looks at once.
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        if (!started && Boolean.getBoolean("e2e.reuse")) {
            // A developer iterating on one test: -De2e.reuse=true uses the e2e instance already running (started
            // with INSTANCE=e2e deploy/local/services.sh start) and leaves it running.
            started = true;
            services("start");
        }
        if (!started) {
            // Stop leftovers of an interrupted run first, and stop whatever did start even if the start fails half
            // way: a stray instance would keep consuming and writing while the next run's tests look at the data.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> services("stop"), "stop-e2e-platform"));
            started = true;
            services("stop");
            // From empty databases: each run's data is its own, and a database filled by an earlier clone's instance
            // (whose Keycloak users are gone) can never confuse it.
            run(Map.of("FRESH", "true"), "start");
        }
        RestAssured.baseURI = GATEWAY;
        RestAssured.port = 8090;
    }

    /** services.sh for the e2e instance; a target is a service (all its replicas) or one replica ({@code payout.2}). */
    public static void services(String action, String... targets) {
        run(Map.of(), action, targets);
    }

    private static void run(Map<String, String> extraEnv, String action, String... targets) {
        String[] args = new String[targets.length + 1];
        args[0] = action;
        System.arraycopy(targets, 0, args, 1, targets.length);
        Map<String, String> env = new HashMap<>(extraEnv);
        env.putAll(Map.of("INSTANCE", "e2e", "RUNTIME", RUNTIME, "REPLICAS", String.valueOf(REPLICAS)));
        LocalInfra.runWithEnv(env, "deploy/local/services.sh", args);
    }
}
