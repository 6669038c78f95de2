package com.acme.incentives.deploy.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Builds the container image of every service and the gateway with Jib, without a Docker daemon: each one an OCI image
 * archive {@code deploy/target/images/<module>.tar} ({@code docker load}, {@code podman load}, {@code skopeo copy
 * oci-archive:...}, {@code kind load image-archive}), or pushed straight to a registry with {@code --registry}.
 *
 * <p>Run by the deploy module in the {@code package} phase (see deploy/pom.xml): {@code ./mvnw -B -ntp package
 * -DskipTests}. The layers follow Quarkus' fast-jar, least changing first, so a new build ships only the last one or
 * two: base system, Java runtime, third-party libraries, our own libraries (platform), the application. The same
 * inputs give the same image digest (Jib sets every timestamp to the epoch).
 *
 * <p>Beside the archives (or, with a registry, beside nothing else) it writes {@code <module>.cdx.json}, the module's
 * CycloneDX SBOM (Quarkus' {@code dependency-sbom} goal, bound in the root pom), and {@code digests.txt}, one line
 * {@code <module> <digest>} per image, which {@code deploy/k8s/pin-images.sh} writes into the production overlay.
 * Each image is labelled with the commit it was built from ({@code org.opencontainers.image.revision}).
 *
 * <p>Options ({@code --name value}): {@code --repo-root} the repository, {@code --output} where archives go,
 * {@code --work} where the runtime is assembled and Jib keeps its layer cache (default: image-work beside the output),
 * {@code --version} the tag, {@code --base} {@code local} (default: {@link LocalJavaBase}, which needs no registry) or
 * an image reference with Java on its PATH, e.g. {@code registry.access.redhat.com/ubi9/openjdk-17-runtime:1.21},
 * {@code --registry} push to this registry instead of writing archives (credentials from the Docker config file or
 * its credential helpers), {@code --modules} a comma-separated subset.
 */
public final class ContainerImages {

    /** The image repositories, as the Kubernetes manifests name them: incentives/identity-service:1.0.0-SNAPSHOT. */
    public static final String GROUP = "incentives";
    public static final List<String> MODULES = List.of(
            "identity-service", "eligibility-service", "enrollment-service", "payout-service", "gateway");
    /** {@code <module> <digest>} per line, read by deploy/k8s/pin-images.sh. */
    public static final String DIGESTS = "digests.txt";
    public static final AbsoluteUnixPath APP_DIR = AbsoluteUnixPath.get("/deployments");
    /** UID and GID 185, as in the UBI OpenJDK images; the pods require it (runAsNonRoot, runAsUser 185). */
    public static final String USER = "185";
    /** Our own libraries, which change with every commit, go to a layer of their own (fast-jar names them group.artifact). */
    private static final String OWN_LIBRARY_PREFIX = "com.acme.incentives.";

    private final Path repoRoot;
    private final Path output;
    private final Path work;
    private final String version;
    private final String base;
    private final String registry;

    ContainerImages(Path repoRoot, Path output, Path work, String version, String base, String registry) {
        this.repoRoot = repoRoot;
        this.output = output;
        this.work = work;
        this.version = version;
        this.base = base;
        this.registry = registry;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path repoRoot = Path.of(options.getOrDefault("repo-root", ".")).toAbsolutePath().normalize();
        Path output = Path.of(options.getOrDefault("output", "deploy/target/images")).toAbsolutePath().normalize();
        ContainerImages images = new ContainerImages(repoRoot, output,
                Path.of(options.getOrDefault("work", output.resolveSibling("image-work").toString())),
                options.getOrDefault("version", "latest"), options.getOrDefault("base", "local"),
                blankToNull(options.get("registry")));
        String modules = options.get("modules");
        images.build(modules == null || modules.isBlank() ? MODULES : List.of(modules.split(",")));
    }

    void build(List<String> modules) throws Exception {
        Files.createDirectories(output);
        List<FileEntriesLayer> baseLayers = isLocalBase() ? new LocalJavaBase(work).layers() : List.of();
        String revision = SourceRevision.of(repoRoot);
        StringBuilder digests = new StringBuilder();
        for (String module : modules) {
            long started = System.nanoTime();
            JibContainer image = builder(module, baseLayers, revision).containerize(containerizer(module));
            Files.copy(sbom(module), output.resolve(module + ".cdx.json"), StandardCopyOption.REPLACE_EXISTING);
            digests.append(module).append(' ').append(image.getDigest()).append('\n');
            String where = registry != null ? image.getTargetImage().toString()
                    : archive(module) + " (" + Files.size(archive(module)) / (1024 * 1024) + " MiB)";
            System.out.printf("[images] %s %s in %.1f s: %s%n", image.getTargetImage(), image.getDigest(),
                    (System.nanoTime() - started) / 1e9, where);
        }
        Files.writeString(output.resolve(DIGESTS), digests);
    }

    private Path sbom(String module) {
        Path sbom = repoRoot.resolve(module).resolve("target")
                .resolve(module + "-" + version + "-dependency-cyclonedx.json");
        if (!Files.isRegularFile(sbom)) {
            throw new IllegalStateException(sbom + " is missing: package " + module + " first (the root pom's"
                    + " quarkus-maven-plugin execution \"sbom\" writes it)");
        }
        return sbom;
    }

    private JibContainerBuilder builder(String module, List<FileEntriesLayer> baseLayers, String revision)
            throws Exception {
        Path app = repoRoot.resolve(module).resolve("target/quarkus-app");
        if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(app + "/quarkus-run.jar is missing: package " + module + " first");
        }
        JibContainerBuilder builder;
        Map<String, String> env = new LinkedHashMap<>();
        // Java 17 takes its default charset from the locale; C.UTF-8 is built into glibc, no locale files needed.
        env.put("LANG", "C.UTF-8");
        if (isLocalBase()) {
            builder = Jib.fromScratch().setPlatforms(Set.of(new Platform(architecture(), "linux")));
            baseLayers.forEach(builder::addFileEntriesLayer);
            env.put("JAVA_HOME", LocalJavaBase.JAVA_HOME.toString());
            env.put("PATH", LocalJavaBase.JAVA_HOME.resolve("bin") + ":/usr/bin:/bin");
        } else {
            ImageReference reference = ImageReference.parse(base);
            builder = Jib.from(RegistryImage.named(reference).addCredentialRetriever(
                    CredentialRetrieverFactory.forImage(reference, e -> { }).dockerConfig()));
        }
        applicationLayers(app).forEach(builder::addFileEntriesLayer);
        return builder
                .setEnvironment(env)
                .setEntrypoint("java", "-XX:+ExitOnOutOfMemoryError", "-XX:MaxRAMPercentage=75",
                        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                        "-jar", APP_DIR.resolve("quarkus-run.jar").toString())
                .setWorkingDirectory(APP_DIR)
                .setUser(USER)
                .setExposedPorts(Set.of(Port.tcp(httpPort(module))))
                .setFormat(ImageFormat.OCI)
                // Sorted: Map.of iterates in an order that changes from one JVM to the next, and so would the digest.
                .setLabels(new TreeMap<>(Map.of(
                        "org.opencontainers.image.title", module,
                        "org.opencontainers.image.version", version,
                        "org.opencontainers.image.revision", revision,
                        "org.opencontainers.image.vendor", "Acme Partner Incentives",
                        "org.opencontainers.image.base.name", isLocalBase()
                                ? "local: jlink " + System.getProperty("java.runtime.version") + " + glibc" : base)));
    }

    /** Quarkus fast-jar, split by how often each part changes. */
    private static List<FileEntriesLayer> applicationLayers(Path app) throws IOException {
        FileEntriesLayer.Builder libraries = FileEntriesLayer.builder().setName("libraries");
        FileEntriesLayer.Builder ownLibraries = FileEntriesLayer.builder().setName("own libraries");
        FileEntriesLayer.Builder application = FileEntriesLayer.builder().setName("application");
        try (Stream<Path> files = Files.walk(app)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String relative = app.relativize(file).toString();
                FileEntriesLayer.Builder layer = !relative.startsWith("lib/") ? application
                        : file.getFileName().toString().startsWith(OWN_LIBRARY_PREFIX) ? ownLibraries : libraries;
                layer.addEntry(file, APP_DIR.resolve(relative), FilePermissions.DEFAULT_FILE_PERMISSIONS);
            }
        }
        return List.of(libraries.build(), ownLibraries.build(), application.build());
    }

    private Containerizer containerizer(String module) throws Exception {
        String name = GROUP + "/" + module + ":" + version;
        Containerizer containerizer = registry != null
                ? Containerizer.to(RegistryImage.named(registry + "/" + name).addCredentialRetriever(
                        CredentialRetrieverFactory.forImage(ImageReference.parse(registry + "/" + name), e -> { })
                                .dockerConfig()))
                : Containerizer.to(TarImage.at(archive(module)).named(name));
        return containerizer
                .setToolName("incentives-images")
                // The local base comes from this machine: nothing to pull, so no network at all for an archive.
                .setOfflineMode(isLocalBase() && registry == null)
                .setBaseImageLayersCache(work.resolve("cache/base"))
                .setApplicationLayersCache(work.resolve("cache/application"))
                .addEventHandler(LogEvent.class, e -> {
                    if (e.getLevel() == LogEvent.Level.ERROR || e.getLevel() == LogEvent.Level.WARN) {
                        System.out.println("[images] " + module + ": " + e.getMessage());
                    }
                });
    }

    Path archive(String module) {
        return output.resolve(module + ".tar");
    }

    private boolean isLocalBase() {
        return "local".equals(base);
    }

    private int httpPort(String module) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(
                repoRoot.resolve(module).resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return Integer.parseInt(properties.getProperty("quarkus.http.port", "8080").trim());
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        // Maven's exec plugin passes an empty <argument> as null.
        args = java.util.Arrays.stream(args).map(a -> a == null ? "" : a).toArray(String[]::new);
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("usage: --name value ...; got " + String.join(" ", args));
            }
            boolean hasValue = i + 1 < args.length && !args[i + 1].startsWith("--");
            options.put(args[i].substring(2), hasValue ? args[++i] : "");
        }
        return options;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
