package com.acme.incentives.e2e;

import com.acme.incentives.platform.testing.LocalInfra;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end-to-end instance runs each service and gateway replica as its pod does (deploy/local/container.sh, started by
 * services.sh with RUNTIME=image): under its Deployment's memory and CPU limits, with the image's own JVM flags. So
 * the JVM sizes itself as in the cluster (heap: -XX:MaxRAMPercentage=75 of the memory limit; one CPU), and every
 * journey, hostile request and fault test here runs with the memory a pod has, not a developer's -Xmx.
 */
class PodLimitsTest {

    /** Replica ports of the e2e instance (deploy/local/services.sh: PORT_BASE 8110, gateway 8090). */
    private static final Map<String, int[]> PORTS = new LinkedHashMap<>();

    static {
        PORTS.put("identity-service", new int[] {8111, 8115});
        PORTS.put("eligibility-service", new int[] {8112, 8116});
        PORTS.put("enrollment-service", new int[] {8113, 8117});
        PORTS.put("payout-service", new int[] {8114, 8118});
        PORTS.put("gateway", new int[] {8090, 8091});
    }

    @BeforeAll
    static void platform() {
        RunningPlatform.ensureStarted();
    }

    @Test
    void eachReplicaRunsWithItsPodsMemoryAndCpuLimits() throws IOException {
        Assumptions.assumeTrue(RunningPlatform.RUNTIME.equals("image"),
                "only the images run under their pods' limits (e2e.runtime=jar runs the jars with a small heap)");
        for (Map.Entry<String, int[]> service : PORTS.entrySet()) {
            String manifest = Files.readString(LocalInfra.repositoryRoot()
                    .resolve("deploy/k8s/base/apps/" + service.getKey() + ".yaml"));
            long memoryLimit = Long.parseLong(limit(manifest, "memory", "(\\d+)Mi")) * 1024 * 1024;
            int cpuLimit = Integer.parseInt(limit(manifest, "cpu", "\"?(\\d+)\"?"));
            for (int r = 0; r < RunningPlatform.REPLICAS; r++) {
                int port = service.getValue()[r];
                String metrics = RestAssured.given().baseUri("http://localhost").port(port).basePath("")
                        .get("/q/metrics").then().statusCode(200).extract().asString();
                double heapMax = sum(metrics, "jvm_memory_max_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.E+-]+)");
                // Serial collector, NewRatio 2, SurvivorRatio 8: the pools' maxima add up to the heap less one
                // survivor space, 29/30 of 75 % = 72.5 % of the limit; a JVM that ignored the cgroup or took a heap
                // flag of ours would be far off.
                assertThat(heapMax / memoryLimit).as("%s on port %d: max heap / pod memory limit", service.getKey(),
                        port).isBetween(0.70, 0.75);
                assertThat(sum(metrics, "system_cpu_count\\{[^}]*} ([0-9.E+-]+)"))
                        .as("%s on port %d: CPUs the JVM sees", service.getKey(), port).isEqualTo(cpuLimit);
            }
        }
    }

    /** The value of resources.limits.<name> in a Deployment manifest. */
    private static String limit(String manifest, String name, String valuePattern) {
        Matcher matcher = Pattern.compile("limits:\\s*\\n(?:\\s+\\w+: .*\\n)*?\\s+" + name + ": " + valuePattern)
                .matcher(manifest);
        assertThat(matcher.find()).as("limits.%s in the manifest", name).isTrue();
        return matcher.group(1);
    }

    private static double sum(String metrics, String linePattern) {
        Matcher matcher = Pattern.compile("(?m)^" + linePattern + "$").matcher(metrics);
        double sum = 0;
        boolean found = false;
        while (matcher.find()) {
            sum += Double.parseDouble(matcher.group(1));
            found = true;
        }
        assertThat(found).as("metric %s", linePattern).isTrue();
        return sum;
    }
}
