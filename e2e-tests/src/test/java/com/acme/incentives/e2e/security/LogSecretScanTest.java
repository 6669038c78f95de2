package com.acme.incentives.e2e.security;

import com.acme.incentives.e2e.support.SecretsSeen;
import com.acme.incentives.e2e.support.SecurityReport;
import com.acme.incentives.platform.testing.LocalInfra;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs after every other end-to-end test (the class order is by @Order, see junit-platform.properties): the logs of
 * the whole e2e run, every service and the gateway, contain no token, no password and no bank account number that a
 * test handled.
 */
@Order(Integer.MAX_VALUE)
class LogSecretScanTest {

    /** A JSON Web Token: three base64url parts, the first two starting with an encoded '{"'. */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*");
    private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+[A-Za-z0-9._~+/-]{20,}");

    @Test
    void noSecretAppearsInAnyLogOfTheRun() throws IOException {
        List<Path> logs = e2eLogs();
        assertThat(logs).as("the e2e instance's logs").isNotEmpty();
        List<String> findings = new ArrayList<>();
        List<String> secrets = new ArrayList<>(SecretsSeen.all());
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            SecurityReport.check("Log scanned for tokens", () -> {
                Matcher jwt = JWT.matcher(text);
                if (jwt.find()) {
                    findings.add(log.getFileName() + ": a JWT near '" + context(text, jwt.start()) + "'");
                }
                Matcher bearer = BEARER.matcher(text);
                if (bearer.find()) {
                    findings.add(log.getFileName() + ": a bearer credential near '" + context(text, bearer.start()) + "'");
                }
            });
            for (String secret : secrets) {
                SecurityReport.check("Log scanned for a password or account number handled by a test", () -> {
                    int at = text.indexOf(secret);
                    if (at >= 0) {
                        findings.add(log.getFileName() + ": a secret handled by a test, near '"
                                + context(text, at).replace(secret, "<SECRET>") + "'");
                    }
                });
            }
        }
        SecurityReport.write();
        assertThat(findings).as("secrets found in %d logs (%d known secrets checked)", logs.size(), secrets.size())
                .isEmpty();
    }

    private static List<Path> e2eLogs() throws IOException {
        Path dir = LocalInfra.repositoryRoot().resolve(".local/logs");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("e2e-.*\\.log")).sorted().toList();
        }
    }

    private static String context(String text, int at) {
        int from = Math.max(0, at - 60);
        int to = Math.min(text.length(), at + 20);
        return text.substring(from, to).replaceAll("\\s+", " ");
    }
}
