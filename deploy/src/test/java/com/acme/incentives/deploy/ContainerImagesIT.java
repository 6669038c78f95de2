package com.acme.incentives.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.incentives.deploy.images.ContainerImages;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container images that the package phase built (deploy/target/images/*.tar, by {@link ContainerImages}), read as a
 * registry or a runtime would read them: a valid OCI archive whose every blob matches its digest, the configuration
 * the Kubernetes Deployments rely on (user 185, the container port, the entrypoint), the files a Java service needs and
 * nothing that should not be there, the base layers shared, and the same digest when built again.
 *
 * <p>That they run is shown by the end-to-end tests, which start the platform from these images (services.sh
 * RUNTIME=image: read-only root, user 185, as in the pods).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerImagesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECRET_FILE = Pattern.compile(
            ".*(\\.(pem|key|p12|pfx|jks|keystore)|id_rsa.*|\\.env|application-local.*\\.properties)$");
    private static final String VERSION = System.getProperty("images.version", "1.0.0-SNAPSHOT");
    private static final Path IMAGES = Path.of(System.getProperty("images.dir", "target/images"));

    private final Map<String, Image> images = new LinkedHashMap<>();
    private List<ObjectNode> deployments;

    @BeforeAll
    void readImages() throws Exception {
        for (String module : ContainerImages.MODULES) {
            images.put(module, Image.read(IMAGES.resolve(module + ".tar")));
        }
        // Our applications' Deployments; Redis runs its own (official) image.
        deployments = Kustomize.ofKind(Kustomize.render("base"), "Deployment").stream()
                .filter(d -> ContainerImages.MODULES.contains(Kustomize.name(d))).toList();
        assertThat(deployments).hasSameSizeAs(ContainerImages.MODULES);
    }

    @Test
    void eachArchiveIsAValidOciImageWhoseBlobsMatchTheirDigests() throws Exception {
        for (Image image : images.values()) {
            assertThat(JSON.readTree(image.files.get("oci-layout")).path("imageLayoutVersion").asText())
                    .isEqualTo("1.0.0");
            assertThat(image.index.path("manifests")).hasSize(1);
            for (Map.Entry<String, byte[]> blob : image.blobs().entrySet()) {
                assertThat(sha256(blob.getValue())).as("blob %s of %s", blob.getKey(), image.path)
                        .isEqualTo(blob.getKey());
            }
            assertThat(image.manifest.path("mediaType").asText())
                    .isEqualTo("application/vnd.oci.image.manifest.v1+json");
            JsonNode layers = image.manifest.path("layers");
            JsonNode diffIds = image.config.path("rootfs").path("diff_ids");
            assertThat(diffIds).hasSameSizeAs(layers);
            for (int i = 0; i < layers.size(); i++) {
                byte[] compressed = image.blob(layers.get(i).path("digest").asText());
                assertThat((long) compressed.length).isEqualTo(layers.get(i).path("size").asLong());
                // The config names each layer by its uncompressed digest; a runtime checks exactly this.
                assertThat(sha256(gunzip(compressed))).isEqualTo(diffIds.get(i).asText());
            }
        }
    }

    @Test
    void configurationMatchesWhatTheDeploymentsExpect() {
        for (ObjectNode deployment : deployments) {
            String module = Kustomize.name(deployment);
            Image image = images.get(module);
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            JsonNode container = pod.path("containers").get(0);

            assertThat(image.index.path("manifests").get(0).path("annotations")
                    .path("org.opencontainers.image.ref.name").asText())
                    .as("the archive's name is the Deployment's image")
                    .isEqualTo(container.path("image").asText())
                    .isEqualTo(ContainerImages.GROUP + "/" + module + ":" + VERSION);
            JsonNode config = image.config.path("config");
            assertThat(config.path("User").asText()).isEqualTo(pod.path("securityContext").path("runAsUser").asText());
            assertThat(config.path("ExposedPorts").has(container.path("ports").get(0).path("containerPort").asInt()
                    + "/tcp")).as("%s exposes its container port", module).isTrue();
            assertThat(config.path("Entrypoint").toString())
                    .startsWith("[\"java\"").endsWith("\"-jar\",\"/deployments/quarkus-run.jar\"]")
                    .contains("-XX:+ExitOnOutOfMemoryError", "-XX:MaxRAMPercentage=75");
            assertThat(config.path("WorkingDir").asText()).isEqualTo("/deployments");
            List<String> envNames = new ArrayList<>();
            config.path("Env").forEach(e -> envNames.add(e.asText().split("=", 2)[0]));
            assertThat(envNames).contains("PATH", "JAVA_HOME", "LANG")
                    .noneMatch(name -> DeploymentManifestsTest.SECRET_LIKE.matcher(name).matches());
            assertThat(image.config.path("os").asText()).isEqualTo("linux");
            assertThat(config.path("Labels").path("org.opencontainers.image.title").asText()).isEqualTo(module);
        }
    }

    @Test
    void filesAreWhatAJavaServiceNeedsAndNothingMore() throws Exception {
        for (Map.Entry<String, Image> entry : images.entrySet()) {
            String module = entry.getKey();
            Map<String, TarArchiveEntry> files = entry.getValue().fileSystem();
            assertThat(files).containsKeys("opt/java/bin/java", "opt/java/lib/server/libjvm.so",
                    "lib64/ld-linux-x86-64.so.2", "etc/passwd", "etc/group", "tmp/",
                    "deployments/quarkus-run.jar", "deployments/quarkus/quarkus-application.dat",
                    "deployments/app/" + module + "-" + VERSION + ".jar");
            assertThat(files.keySet()).anyMatch(name -> name.matches("lib/.*/libc\\.so\\.6"));
            for (Map.Entry<String, TarArchiveEntry> file : files.entrySet()) {
                String name = file.getKey();
                int mode = file.getValue().getMode() & 07777;
                assertThat(name).as("%s: everything lives in the usual places", module)
                        .matches("(opt/|opt/java|lib|lib64|etc|tmp|proc|sys|dev|deployments)(/.*)?");
                assertThat(name).as("%s carries no key, keystore or local configuration", module)
                        .doesNotMatch(SECRET_FILE);
                assertThat(mode & 06000).as("%s: %s is setuid or setgid", module, name).isZero();
                assertThat(file.getValue().getLongUserId()).as("%s: %s belongs to root", module, name).isZero();
                if (!name.equals("tmp/")) {
                    // Root owns every file and only root may change one: user 185 can read and run, not modify.
                    assertThat(mode & 0022).as("%s: %s is writable by group or others", module, name).isZero();
                }
            }
            String passwd = new String(entry.getValue().read("etc/passwd"), StandardCharsets.UTF_8);
            assertThat(passwd).contains(":x:" + ContainerImages.USER + ":" + ContainerImages.USER + ":");
        }
    }

    @Test
    void theSystemAndJavaLayersAreSharedByEveryImage() {
        List<List<String>> layerDigests = new ArrayList<>();
        images.values().forEach(image -> {
            List<String> digests = new ArrayList<>();
            image.manifest.path("layers").forEach(l -> digests.add(l.path("digest").asText()));
            layerDigests.add(digests);
        });
        // system, Java runtime, libraries, own libraries (the gateway's: platform-tokens only), application
        layerDigests.forEach(digests -> assertThat(digests).hasSizeBetween(4, 5));
        assertThat(layerDigests).extracting(d -> d.subList(0, 2)).as("base layers").containsOnly(
                layerDigests.get(0).subList(0, 2));
        assertThat(layerDigests).extracting(d -> d.get(d.size() - 1)).as("application layers")
                .doesNotHaveDuplicates();
    }

    @Test
    void eachImageNamesItsCommitAndShipsWithItsSbomAndDigest() throws Exception {
        String head = git("rev-parse", "HEAD");
        String dirty = git("status", "--porcelain", "--untracked-files=no").isEmpty() ? "" : "-dirty";
        Map<String, String> digests = new LinkedHashMap<>();
        for (String line : Files.readAllLines(IMAGES.resolve(ContainerImages.DIGESTS))) {
            String[] parts = line.split(" ");
            digests.put(parts[0], parts[1]);
        }
        assertThat(digests.keySet()).containsExactlyInAnyOrderElementsOf(ContainerImages.MODULES);
        for (Map.Entry<String, Image> entry : images.entrySet()) {
            String module = entry.getKey();
            Image image = entry.getValue();
            assertThat(image.config.path("config").path("Labels").path("org.opencontainers.image.revision").asText())
                    .as("%s is labelled with the commit it was built from", module).isEqualTo(head + dirty);
            assertThat(digests.get(module)).as("digests.txt holds %s's manifest digest", module)
                    .isEqualTo(image.index.path("manifests").get(0).path("digest").asText());

            JsonNode sbom = JSON.readTree(IMAGES.resolve(module + ".cdx.json").toFile());
            assertThat(sbom.path("bomFormat").asText()).isEqualTo("CycloneDX");
            assertThat(sbom.path("metadata").path("component").path("name").asText()).isEqualTo(module);
            // Every third-party jar the image runs is a component of the SBOM (fast-jar names them
            // group.artifact-version.jar), so a scanner reading the SBOM sees what the image holds.
            List<String> purls = new ArrayList<>();
            sbom.path("components").forEach(c -> purls.add(c.path("group").asText() + "." + c.path("name").asText()
                    + "-" + c.path("version").asText() + ".jar"));
            List<String> jars = image.fileSystem().keySet().stream()
                    .filter(name -> name.startsWith("deployments/lib/main/") && name.endsWith(".jar"))
                    .map(name -> name.substring(name.lastIndexOf('/') + 1))
                    .filter(name -> !name.startsWith("com.acme.incentives."))
                    .toList();
            assertThat(jars).isNotEmpty();
            assertThat(purls).as("%s's SBOM lists every library in the image", module).containsAll(jars);
        }
    }

    private static String git(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", Repo.ROOT.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor()).as("git %s: %s", String.join(" ", args), out).isZero();
        return out;
    }

    @Test
    void buildingAgainstTheSameInputsGivesTheSameImage(@TempDir Path temp) throws Exception {
        String module = "eligibility-service";
        // Everything anew: the runtime cut again by jlink, no layer cache.
        ContainerImages.main(new String[] {"--repo-root", Repo.ROOT.toString(), "--output",
                temp.resolve("images").toString(), "--work", temp.resolve("work").toString(), "--version", VERSION,
                "--modules", module});
        Image again = Image.read(temp.resolve("images").resolve(module + ".tar"));
        assertThat(again.index.path("manifests").get(0).path("digest").asText())
                .isEqualTo(images.get(module).index.path("manifests").get(0).path("digest").asText());
    }

    private static String sha256(byte[] content) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    private static byte[] gunzip(byte[] compressed) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }

    /** One OCI image archive, held in memory (a test reads each of its blobs anyway). */
    private static final class Image {
        final Path path;
        final Map<String, byte[]> files;
        final JsonNode index;
        final JsonNode manifest;
        final JsonNode config;

        private Image(Path path, Map<String, byte[]> files) throws IOException {
            this.path = path;
            this.files = files;
            this.index = JSON.readTree(files.get("index.json"));
            this.manifest = JSON.readTree(blob(index.path("manifests").get(0).path("digest").asText()));
            this.config = JSON.readTree(blob(manifest.path("config").path("digest").asText()));
        }

        static Image read(Path archive) throws IOException {
            assertThat(archive).as("built by the package phase (ContainerImages)").isRegularFile();
            Map<String, byte[]> files = new LinkedHashMap<>();
            try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(archive))) {
                for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                    if (e.isFile()) {
                        files.put(e.getName(), tar.readAllBytes());
                    }
                }
            }
            return new Image(archive, files);
        }

        byte[] blob(String digest) {
            byte[] content = files.get("blobs/" + digest.replace(':', '/'));
            assertThat(content).as("blob %s in %s", digest, path).isNotNull();
            return content;
        }

        Map<String, byte[]> blobs() {
            Map<String, byte[]> blobs = new LinkedHashMap<>();
            files.forEach((name, content) -> {
                if (name.startsWith("blobs/sha256/")) {
                    blobs.put("sha256:" + name.substring("blobs/sha256/".length()), content);
                }
            });
            return blobs;
        }

        /** The root file system the layers make, entry by entry (the last layer wins, as in an overlay). */
        Map<String, TarArchiveEntry> fileSystem() throws IOException {
            Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
            for (JsonNode layer : manifest.path("layers")) {
                try (TarArchiveInputStream tar = new TarArchiveInputStream(
                        new GZIPInputStream(new ByteArrayInputStream(blob(layer.path("digest").asText()))))) {
                    for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                        String name = e.getName().replaceFirst("^\\./", "").replaceFirst("^/", "");
                        entries.put(name, e);
                    }
                }
            }
            return entries;
        }

        byte[] read(String name) throws IOException {
            for (JsonNode layer : manifest.path("layers")) {
                try (TarArchiveInputStream tar = new TarArchiveInputStream(
                        new GZIPInputStream(new ByteArrayInputStream(blob(layer.path("digest").asText()))))) {
                    for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                        if (e.getName().replaceFirst("^/", "").equals(name)) {
                            return tar.readAllBytes();
                        }
                    }
                }
            }
            throw new AssertionError(name + " is not in " + path);
        }
    }
}
