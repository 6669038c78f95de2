package com.acme.incentives.deploy.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The commit an image is built from, for its {@code org.opencontainers.image.revision} label: what an operator looks
 * up when a pod misbehaves. {@code <sha>-dirty} when the working tree has uncommitted changes to tracked files (such
 * an image is not what the commit holds), {@code unknown} outside a Git checkout (a source archive) or without git.
 */
final class SourceRevision {

    private SourceRevision() {
    }

    static String of(Path repoRoot) {
        String sha = git(repoRoot, "rev-parse", "HEAD");
        if (sha == null || !sha.matches("[0-9a-f]{40}")) {
            return "unknown";
        }
        String changes = git(repoRoot, "status", "--porcelain", "--untracked-files=no");
        return changes == null || !changes.isEmpty() ? sha + "-dirty" : sha;
    }

    private static String git(Path dir, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
