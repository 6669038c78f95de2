package com.acme.incentives.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Renders a Kustomize directory with {@code kubectl kustomize}, the same renderer {@code kubectl apply -k} uses, and
 * parses the result into one JSON tree per object. Each directory is rendered once per test run.
 */
final class Kustomize {

    static final List<String> OVERLAYS = List.of("dev", "production");
    static final YAMLMapper YAML = new YAMLMapper();
    private static final Map<String, List<ObjectNode>> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {
    }

    /** The kubectl on the PATH, if any. CI and the build machines have one; the tests that need it skip without. */
    static Optional<Path> kubectl() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(dir -> Path.of(dir, "kubectl"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static final String NO_KUBECTL = "SKIPPED: kubectl is not on the PATH, so deploy/k8s cannot be rendered "
            + "and checked. Install kubectl (it bundles kustomize) to run these checks.";
    private static boolean warned;

    /**
     * The objects of an overlay ("dev", "production") or of "base". Without kubectl the calling test is skipped
     * (an assumption), and the reason is printed once, so a run without it is visibly not a passing run.
     */
    static List<ObjectNode> render(String name) {
        if (kubectl().isEmpty()) {
            synchronized (Kustomize.class) {
                if (!warned) {
                    System.err.println("[WARNING] " + NO_KUBECTL);
                    warned = true;
                }
            }
            Assumptions.assumeTrue(false, NO_KUBECTL);
        }
        return RENDERED.computeIfAbsent(name, n -> parse(run(dirOf(n))));
    }

    static Path dirOf(String name) {
        return name.equals("base") ? Repo.K8S.resolve("base") : Repo.K8S.resolve("overlays").resolve(name);
    }

    static String run(Path dir) {
        Path kubectl = kubectl().orElseThrow(() -> new IllegalStateException("kubectl is not on the PATH"));
        try {
            Process process = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
                    .redirectErrorStream(false)
                    .start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errReader = new Thread(() -> copy(process.getErrorStream(), err));
            errReader.start();
            copy(process.getInputStream(), out);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + dir + " did not finish in 60 s");
            }
            errReader.join();
            if (process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + dir + " failed (exit " + process.exitValue()
                        + "):\n" + err.toString(StandardCharsets.UTF_8));
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kubectl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<ObjectNode> parse(String yaml) {
        List<ObjectNode> objects = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            var docs = YAML.readValues(parser, JsonNode.class);
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc instanceof ObjectNode object && !object.isEmpty()) {
                    objects.add(object);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("kubectl kustomize printed YAML that does not parse", e);
        }
        return objects;
    }

    static List<ObjectNode> ofKind(List<ObjectNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    static String id(JsonNode object) {
        return object.path("kind").asText() + "/" + name(object);
    }

    static ObjectMapper json() {
        return new ObjectMapper();
    }
}
