package com.acme.incentives.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.incentives.deploy.images.ContainerImages;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Production runs our images by digest (README.md, "Deploying, step by step", step 3): the committed production overlay
 * names no moving tag, and {@code deploy/k8s/pin-images.sh}, given the digests a build wrote, pins every one of them,
 * or refuses and changes nothing.
 */
class ImagePinsTest {

    private static final String PRODUCTION = "overlays/production/kustomization.yaml";

    @Test
    void theCommittedProductionOverlayRunsNoSnapshotOrLatestTagOfOurs() {
        for (String image : ourImages(Kustomize.render("production"))) {
            assertThat(image).as("production image %s", image)
                    .doesNotContain("SNAPSHOT").doesNotEndWith(":latest").contains(":unpinned-run-deploy-k8s-pin");
        }
    }

    @Test
    void pinningPutsEachBuildDigestOnItsDeployment(@TempDir Path temp) throws Exception {
        Path k8s = copyOfK8s(temp);
        Map<String, String> digests = digestsOf(ContainerImages.MODULES);
        Path file = write(temp.resolve("digests.txt"), digests);

        assertThat(pin(k8s, file)).as("pin-images.sh exit status").isZero();

        List<ObjectNode> rendered = Kustomize.parse(Kustomize.run(k8s.resolve("overlays/production")));
        List<String> images = ourImages(rendered);
        assertThat(images).hasSize(ContainerImages.MODULES.size());
        for (String module : ContainerImages.MODULES) {
            assertThat(images).contains("registry.acme.example/incentives/" + module + "@" + digests.get(module));
        }
        // Pinning again (the next release) replaces the digests.
        Map<String, String> next = digestsOf(ContainerImages.MODULES.stream().map(m -> m + "-next").toList());
        Map<String, String> nextByModule = new LinkedHashMap<>();
        ContainerImages.MODULES.forEach(m -> nextByModule.put(m, next.get(m + "-next")));
        assertThat(pin(k8s, write(temp.resolve("next.txt"), nextByModule))).isZero();
        assertThat(ourImages(Kustomize.parse(Kustomize.run(k8s.resolve("overlays/production")))))
                .allMatch(image -> nextByModule.values().stream().anyMatch(image::endsWith));
    }

    @Test
    void aPartialOrMalformedDigestsFileChangesNothing(@TempDir Path temp) throws Exception {
        Path k8s = copyOfK8s(temp);
        String before = Files.readString(k8s.resolve(PRODUCTION));

        Map<String, String> partial = digestsOf(ContainerImages.MODULES.subList(0, 3));
        assertThat(pin(k8s, write(temp.resolve("partial.txt"), partial))).isNotZero();

        Map<String, String> malformed = digestsOf(ContainerImages.MODULES);
        malformed.put("gateway", "sha256:not-a-digest");
        assertThat(pin(k8s, write(temp.resolve("malformed.txt"), malformed))).isNotZero();

        assertThat(pin(k8s, temp.resolve("missing.txt"))).isNotZero();
        assertThat(Files.readString(k8s.resolve(PRODUCTION))).isEqualTo(before);
    }

    /** The images of our Deployments (Redis, the official image, is mirrored and pinned by the team: README). */
    private static List<String> ourImages(List<ObjectNode> objects) {
        List<String> images = new ArrayList<>();
        for (ObjectNode deployment : Kustomize.ofKind(objects, "Deployment")) {
            if (ContainerImages.MODULES.contains(Kustomize.name(deployment))) {
                for (JsonNode container : deployment.path("spec").path("template").path("spec").path("containers")) {
                    images.add(container.path("image").asText());
                }
            }
        }
        return images;
    }

    private static Map<String, String> digestsOf(List<String> modules) throws Exception {
        Map<String, String> digests = new LinkedHashMap<>();
        for (String module : modules) {
            digests.put(module, "sha256:" + HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(module.getBytes(StandardCharsets.UTF_8))));
        }
        return digests;
    }

    private static Path write(Path file, Map<String, String> digests) throws IOException {
        StringBuilder lines = new StringBuilder();
        digests.forEach((module, digest) -> lines.append(module).append(' ').append(digest).append('\n'));
        return Files.writeString(file, lines);
    }

    private static Path copyOfK8s(Path temp) throws IOException {
        Path target = temp.resolve("deploy/k8s");
        try (Stream<Path> files = Files.walk(Repo.K8S)) {
            for (Path source : files.toList()) {
                Path copy = target.resolve(Repo.K8S.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(source, copy);
                }
            }
        }
        return target;
    }

    private static int pin(Path k8s, Path digests) throws Exception {
        Process process = new ProcessBuilder("bash", k8s.resolve("pin-images.sh").toString(), digests.toString(),
                k8s.resolve("overlays/production").toString()).redirectErrorStream(true).start();
        process.getInputStream().transferTo(System.out);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }
}
