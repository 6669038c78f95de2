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

    /** The kubectl on the PATH, if any. */
    static Optional<Path> kubectl() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(dir -> Path.of(dir, "kubectl"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * Why a run without kubectl fails rather than skips: a skipped manifest check reads as a passing one, and the
     * manifests are only ever checked here (no cluster is reached). The build machines have kubectl; Debian's
     * archive has none, and its release site is not reachable from them, so the scripts cannot install it.
     */
    static final String NO_KUBECTL = "kubectl is not on the PATH, so deploy/k8s cannot be rendered and checked. "
            + "Install kubectl 1.27 or newer (it bundles kustomize: https://kubernetes.io/docs/tasks/tools/) and run "
            + "the tests again.";

    /** The objects of an overlay ("dev", "production") or of "base"; without kubectl the calling test fails. */
    static List<ObjectNode> render(String name) {
        if (kubectl().isEmpty()) {
            throw new AssertionError(NO_KUBECTL);
        }
        return RENDERED.computeIfAbsent(name, n -> parse(run(dirOf(n))));
    }

    static Path dirOf(String name) {
        return name.equals("base") ? Repo.K8S.resolve("base") : Repo.K8S.resolve("overlays").resolve(name);
    }

    static String run(Path dir) {
        Path kubectl = kubectl().orElseThrow(() -> new AssertionError(NO_KUBECTL));
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
