package com.acme.incentives.platform.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Drives the real infrastructure through the project's own scripts, for tests of outages (broker down, ...). */
public final class LocalInfra {

    private LocalInfra() {
    }

    public static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("deploy/local/infra.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("Cannot find the repository root (deploy/local/infra.sh)");
        }
        return dir;
    }

    public static void kafka(String command) {
        run("deploy/local/kafka.sh", command);
    }

    public static void run(String script, String... args) {
        runWithEnv(java.util.Map.of(), script, args);
    }

    public static void runWithEnv(java.util.Map<String, String> env, String script, String... args) {
        Path root = repositoryRoot();
        String[] commandLine = new String[args.length + 2];
        commandLine[0] = "bash";
        commandLine[1] = root.resolve(script).toString();
        System.arraycopy(args, 0, commandLine, 2, args.length);
        try {
            Files.createDirectories(root.resolve(".local"));
            ProcessBuilder builder = new ProcessBuilder(commandLine);
            builder.environment().putAll(env);
            Process process = builder.directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            new File(root.resolve(".local").toFile(), "test-infra-control.log")))
                    .start();
            // The scripts wait for readiness with their own limits; this one only guards against a script that hangs.
            // Starting the e2e instance (unpacking five images, eleven JVMs) took over 180 s on a loaded 2-core machine.
            if (!process.waitFor(600, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " " + String.join(" ", args) + " timed out");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(script + " " + String.join(" ", args) + " failed; see "
                        + ".local/test-infra-control.log");
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
