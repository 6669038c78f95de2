package com.acme.incentives.e2e.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts of the generated hostile cases per category, tried and held, written as a Markdown table to
 * {@code e2e-tests/target/security-report.md} after each test class (docs/security-report.md is a copy of a green run).
 */
public final class SecurityReport {

    private static final Map<String, AtomicInteger[]> COUNTS = new TreeMap<>();

    private SecurityReport() {
    }

    /** Runs a case, counting it as tried and, if it did not throw, as held. */
    public static void check(String category, Runnable check) {
        AtomicInteger[] counts;
        synchronized (COUNTS) {
            counts = COUNTS.computeIfAbsent(category, c -> new AtomicInteger[] {new AtomicInteger(), new AtomicInteger()});
        }
        counts[0].incrementAndGet();
        check.run();
        counts[1].incrementAndGet();
    }

    public static synchronized void write() {
        StringBuilder table = new StringBuilder("| Category | Cases tried | Held |\n|---|---:|---:|\n");
        int tried = 0;
        int held = 0;
        synchronized (COUNTS) {
            for (Map.Entry<String, AtomicInteger[]> entry : COUNTS.entrySet()) {
                table.append("| ").append(entry.getKey()).append(" | ").append(entry.getValue()[0].get())
                        .append(" | ").append(entry.getValue()[1].get()).append(" |\n");
                tried += entry.getValue()[0].get();
                held += entry.getValue()[1].get();
            }
        }
        table.append("| **All** | **").append(tried).append("** | **").append(held).append("** |\n");
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            Files.writeString(target.resolve("security-report.md"), table.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
