package com.acme.incentives.deploy.images;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The base of our images when no registry is reachable: a Java runtime cut by {@code jlink} from the JDK that builds
 * the project, and the few shared libraries it links against, copied from the build machine (Debian's glibc, libstdc++,
 * zlib). That is what a "distroless" Java image holds, and it needs neither a registry nor a daemon. Two layers, the
 * same in every service's image, so a registry or a node stores them once.
 *
 * <p>The modules: all of Java SE ({@code java.se}; a hand-picked list missed {@code java.rmi}, which SmallRye Context
 * Propagation loads for transactions, and such a miss only shows at start-up), plus the JDK modules libraries use
 * without declaring them: {@code jdk.unsupported} (sun.misc.Unsafe for Netty and others), {@code jdk.crypto.ec}
 * (elliptic-curve TLS and JWT), {@code jdk.management} (process CPU and memory metrics), {@code jdk.naming.dns},
 * {@code jdk.charsets}, {@code jdk.localedata} and {@code jdk.zipfs}. The AWT and sound libraries of
 * {@code java.desktop} are never loaded (no display), so their system libraries are left out.
 */
final class LocalJavaBase {

    static final AbsoluteUnixPath JAVA_HOME = AbsoluteUnixPath.get("/opt/java");

    static final List<String> MODULES = List.of("java.se", "jdk.charsets", "jdk.crypto.ec", "jdk.localedata",
            "jdk.management", "jdk.naming.dns", "jdk.unsupported", "jdk.zipfs");

    /** Native libraries of java.desktop that only a display or a sound card would load. */
    private static final Pattern DESKTOP_LIBRARY = Pattern.compile(
            "lib(awt.*|jawt|fontmanager|jsound|splashscreen|lcms|javajpeg|mlib_image)\\.so");

    /** {@code ldd} lines: "libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)". */
    private static final Pattern LDD_LINE = Pattern.compile("^\\s*(?:\\S+ => )?(/\\S+) \\(0x[0-9a-f]+\\)$");

    /** The unprivileged user the pods run as (deploy/k8s: runAsUser 185), with /deployments as its home. */
    static final String PASSWD = "root:x:0:0:root:/root:/sbin/nologin\n"
            + "quarkus:x:185:185:Quarkus application:/deployments:/sbin/nologin\n";
    static final String GROUP = "root:x:0:\nquarkus:x:185:\n";

    private final Path work;

    LocalJavaBase(Path work) {
        this.work = work;
    }

    /** The layers: first the system files, then the runtime. Built once per build, shared by every image. */
    List<FileEntriesLayer> layers() throws IOException, InterruptedException {
        Path runtime = jlink();
        return List.of(systemLayer(runtime), runtimeLayer(runtime));
    }

    private Path jlink() throws IOException, InterruptedException {
        Path output = work.resolve("jre");
        if (Files.exists(output)) {
            deleteRecursively(output);
        }
        Files.createDirectories(work);
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        run(List.of(jlink.toString(), "--add-modules", String.join(",", MODULES), "--strip-debug", "--no-man-pages",
                "--no-header-files", "--compress=2", "--output", output.toString()));
        return output;
    }

    private FileEntriesLayer runtimeLayer(Path runtime) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("java runtime");
        try (Stream<Path> files = Files.walk(runtime)) {
            for (Path file : files.sorted().toList()) {
                if (Files.isRegularFile(file)) {
                    layer.addEntry(file, JAVA_HOME.resolve(runtime.relativize(file).toString()), permissions(file));
                }
            }
        }
        return layer.build();
    }

    /** glibc and the other libraries the runtime links against, /etc/passwd and /etc/group, and an empty /tmp. */
    private FileEntriesLayer systemLayer(Path runtime) throws IOException, InterruptedException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("system");
        for (String library : sharedLibraries(runtime)) {
            // Copied under the name the loader asks for, with the content of the file the symbolic link points to.
            layer.addEntry(Path.of(library).toRealPath(), AbsoluteUnixPath.get(library),
                    FilePermissions.fromOctalString("755"));
        }
        Path etc = Files.createDirectories(work.resolve("etc"));
        layer.addEntry(write(etc.resolve("passwd"), PASSWD), AbsoluteUnixPath.get("/etc/passwd"));
        layer.addEntry(write(etc.resolve("group"), GROUP), AbsoluteUnixPath.get("/etc/group"));
        // Host names from /etc/hosts first, then DNS, as the Kubernetes node's resolver expects.
        layer.addEntry(write(etc.resolve("nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files dns\n"),
                AbsoluteUnixPath.get("/etc/nsswitch.conf"));
        // Mount points a container runtime fills in; /tmp is world-writable (Jib writes no sticky bit) (the pods mount
        // an emptyDir there, as the root file system is read-only).
        Path empty = Files.createDirectories(work.resolve("empty"));
        layer.addEntry(empty, AbsoluteUnixPath.get("/tmp"), FilePermissions.fromOctalString("777"));
        for (String dir : List.of("/proc", "/sys", "/dev", "/etc/ssl")) {
            layer.addEntry(empty, AbsoluteUnixPath.get(dir), FilePermissions.fromOctalString("755"));
        }
        return layer.build();
    }

    private static Set<String> sharedLibraries(Path runtime) throws IOException, InterruptedException {
        Set<String> libraries = new TreeSet<>();
        List<Path> binaries;
        try (Stream<Path> files = Files.walk(runtime)) {
            binaries = files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().endsWith(".so") || f.getParent().endsWith("bin"))
                    .filter(f -> !DESKTOP_LIBRARY.matcher(f.getFileName().toString()).matches())
                    .sorted().toList();
        }
        // The runtime's own libraries (libjvm.so) are found by the launcher at run time, not through the loader.
        Set<String> own = new TreeSet<>();
        binaries.forEach(b -> own.add(b.getFileName().toString()));
        for (Path binary : binaries) {
            for (String line : run(List.of("ldd", binary.toString())).split("\n")) {
                Matcher matcher = LDD_LINE.matcher(line);
                if (line.contains("not found") && !own.contains(line.trim().split(" ")[0])) {
                    throw new IllegalStateException(binary + " needs a library the build machine lacks: " + line);
                }
                if (matcher.matches() && !matcher.group(1).startsWith(runtime.toString())) {
                    libraries.add(matcher.group(1));
                }
            }
        }
        if (libraries.stream().noneMatch(l -> l.contains("/libc.so"))) {
            throw new IllegalStateException("ldd found no C library for " + runtime + ": " + libraries);
        }
        return libraries;
    }

    static FilePermissions permissions(Path file) {
        return FilePermissions.fromOctalString(Files.isExecutable(file) ? "755" : "644");
    }

    private static Path write(Path file, String content) throws IOException {
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
