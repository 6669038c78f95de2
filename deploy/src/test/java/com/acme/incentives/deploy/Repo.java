package com.acme.incentives.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository is: Surefire passes it; an IDE run from the module folder finds it from the working directory. */
final class Repo {

    static final Path ROOT = root();
    static final Path K8S = ROOT.resolve("deploy/k8s");

    private Repo() {
    }

    private static Path root() {
        String configured = System.getProperty("repo.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/k8s")) && Files.exists(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root from " + start);
    }
}
