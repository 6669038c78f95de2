package com.acme.incentives.e2e.contract;

import com.acme.incentives.e2e.support.Gateway;
import io.restassured.RestAssured;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The contract check of one e2e run: every exchange any client of the tests has with the gateway's API is checked
 * against the gateway's document ({@link ContractValidator}); what is not API (other hosts, the gateway's pages) is
 * skipped by rule and counted. {@link ContractExtension} installs it for every test class, fails a class whose
 * exchanges were undocumented, and at the end of the run prints the summary and writes the report.
 *
 * <p>The document is the one the running gateway serves ({@code GET /api/v1/openapi.json}), loaded at the first API
 * exchange. {@code -Dcontract.document=committed} uses the committed docs/openapi.json instead, and
 * {@code -Dcontract.document=<file>} any file: only when told, since what ships is what the gateway serves.
 */
public final class ContractCheck {

    public static final String DOCUMENT_PROPERTY = "contract.document";
    public static final String REPORT_PROPERTY = "contract.report";
    private static final Pattern ABSOLUTE = Pattern.compile("^(\\w+)://([^/:?#]+)(?::(\\d+))?([^?#]*)");
    /** The other servers e2e tests talk to, named in the report's skipped lines. */
    private static final Map<Integer, String> KNOWN_PORTS = Map.of(8119, "bank simulator", 8180, "Keycloak", 8025,
            "GreenMail");

    private static ContractValidator validator;
    private static String documentSource;
    private static int validated;
    private static int webhooksValidated;
    private static int undocumented;
    private static final Map<String, Integer> skipped = new TreeMap<>();
    private static final List<Violation> violations = new ArrayList<>();
    private static int failedUpTo;
    private static volatile String currentTest = "(outside a test class)";
    private static volatile boolean invalidOnPurpose;
    private static final ContractFilter FILTER = new ContractFilter();

    private ContractCheck() {
    }

    /** An undocumented exchange: who sent it, what it was, and one reason. */
    public record Violation(String test, String method, String path, String operation, int status, String reason) {
        @Override
        public String toString() {
            return method + " " + path + " -> " + status + (operation == null ? "" : " [" + operation + "]") + ": "
                    + reason + " (" + test + ")";
        }
    }

    /** Registers the rest-assured filter for every request of the run (idempotent). */
    public static synchronized void install() {
        if (!RestAssured.filters().contains(FILTER)) {
            RestAssured.filters(FILTER);
        }
    }

    /** The test class now running, and whether its requests are invalid on purpose. */
    static void enter(String testClass, boolean requestsInvalidOnPurpose) {
        currentTest = testClass;
        invalidOnPurpose = requestsInvalidOnPurpose;
    }

    static void leave() {
        currentTest = "(outside a test class)";
        invalidOnPurpose = false;
    }

    /**
     * Checks one exchange a client had with {@code uri} (absolute, as sent): skipped when it is not the gateway's
     * API, else validated and counted.
     */
    public static void record(String uri, Exchange exchange) {
        Matcher absolute = ABSOLUTE.matcher(uri);
        if (!absolute.find()) {
            skip("not an absolute http URI");
            return;
        }
        String host = absolute.group(2);
        int port = absolute.group(3) == null ? (absolute.group(1).equalsIgnoreCase("https") ? 443 : 80)
                : Integer.parseInt(absolute.group(3));
        String path = absolute.group(4).isEmpty() ? "/" : absolute.group(4);
        if (!isGateway(host, port)) {
            skip("not the gateway: " + KNOWN_PORTS.getOrDefault(port, "another server") + " (" + host + ":" + port
                    + ")");
            return;
        }
        java.util.Optional<String> notApi = ContractValidator.notApi(path);
        if (notApi.isPresent()) {
            skip(notApi.get());
            return;
        }
        Exchange checked = new Exchange(exchange.method(), path, exchange.requestType(), exchange.requestBody(),
                exchange.status(), exchange.responseHeaders(), exchange.responseBody(),
                exchange.invalidOnPurpose() || invalidOnPurpose);
        ContractValidator.Result result = validator().check(checked);
        synchronized (ContractCheck.class) {
            validated++;
            if (!result.conforms()) {
                undocumented++;
                for (String reason : result.violations()) {
                    violations.add(new Violation(currentTest, checked.method(), path, result.operation(),
                            checked.status(), reason));
                }
            }
        }
    }

    /**
     * Checks one webhook request the platform sent to a test's receiver against the document's {@code webhooks}
     * (headers by lower-case name), counted with the exchanges: a payload that drifted from its schema fails the test
     * class that received it.
     */
    public static void recordWebhook(Map<String, String> headers, String body) {
        ContractValidator.Result result = validator().checkWebhook(headers, body);
        synchronized (ContractCheck.class) {
            validated++;
            webhooksValidated++;
            if (!result.conforms()) {
                undocumented++;
                for (String reason : result.violations()) {
                    violations.add(new Violation(currentTest, "WEBHOOK", "(receiver)", result.operation(), 0,
                            reason));
                }
            }
        }
    }

    /** Whether the request's body must be captured: only a 2xx's request is held to the document. */
    static boolean capturesRequestBody(int status) {
        return status / 100 == 2 && !invalidOnPurpose;
    }

    private static synchronized void skip(String reason) {
        skipped.merge(reason, 1, Integer::sum);
    }

    private static boolean isGateway(String host, int port) {
        if (!host.equals("localhost") && !host.equals("127.0.0.1")) {
            return false;
        }
        return Gateway.URLS.stream().anyMatch(url -> URI.create(url).getPort() == port);
    }

    /** The validator of the run's document, loaded at first use. */
    static synchronized ContractValidator validator() {
        if (validator == null) {
            String source = System.getProperty(DOCUMENT_PROPERTY, "gateway");
            if (source.equals("gateway")) {
                documentSource = Gateway.URL + ContractValidator.API_BASE + "/openapi.json";
                validator = ContractValidator.fromGateway(Gateway.URL);
            } else {
                Path file = source.equals("committed") ? committedDocument(Path.of("").toAbsolutePath())
                        : Path.of(source);
                documentSource = file.toAbsolutePath().normalize().toString();
                validator = ContractValidator.fromFile(file);
            }
        }
        return validator;
    }

    /** docs/openapi.json of this checkout, from wherever the tests run (the module or the root directory). */
    public static Path committedDocument(Path from) {
        for (Path dir = from; dir != null; dir = dir.getParent()) {
            Path document = dir.resolve("docs/openapi.json");
            if (Files.isRegularFile(document)) {
                return document;
            }
        }
        throw new IllegalStateException("no docs/openapi.json above " + from);
    }

    /** The violations no test class has failed on yet; from now on they count as failed. */
    static synchronized List<Violation> takeUnfailed() {
        List<Violation> fresh = List.copyOf(violations.subList(failedUpTo, violations.size()));
        failedUpTo = violations.size();
        return fresh;
    }

    /** Whether anything went through the check (a run of only the validator's unit tests has nothing to report). */
    static synchronized boolean used() {
        return validated > 0 || !skipped.isEmpty();
    }

    static synchronized int skippedCount() {
        return skipped.values().stream().mapToInt(Integer::intValue).sum();
    }

    static synchronized int undocumented() {
        return undocumented;
    }

    public static synchronized String summary() {
        return "API contract: " + validated + " exchanges validated against the gateway's document (" + webhooksValidated
                + " of them webhooks a test's receiver got), " + undocumented
                + " undocumented, " + skippedCount() + " skipped (not API)";
    }

    /** Where the report goes: target/contract-report.txt of the module, or {@code -Dcontract.report=<file>}. */
    static Path reportPath() {
        return Path.of(System.getProperty(REPORT_PROPERTY, "target/contract-report.txt"));
    }

    /** Writes the report: the summary, the document used, each reason with its count, each violation, the skips. */
    static synchronized Path writeReport() {
        Path report = reportPath();
        StringBuilder text = new StringBuilder(summary()).append('\n');
        text.append("Document: ").append(documentSource == null ? "(not loaded: no API exchange)" : documentSource)
                .append("\n\n");
        Map<String, Integer> byReason = new LinkedHashMap<>();
        for (Violation violation : violations) {
            byReason.merge((violation.operation() == null ? violation.method() + " " + violation.path()
                    : violation.operation()) + " -> " + violation.status() + ": " + violation.reason(), 1,
                    Integer::sum);
        }
        text.append("Undocumented, by operation and reason (").append(byReason.size()).append("):\n");
        byReason.forEach((reason, count) -> text.append("  ").append(count).append(" × ").append(reason)
                .append('\n'));
        text.append("\nEach violation (").append(violations.size()).append("; method, path, status, reason, test):\n");
        violations.forEach(violation -> text.append("  ").append(violation).append('\n'));
        text.append("\nSkipped (not API), by rule:\n");
        skipped.forEach((reason, count) -> text.append("  ").append(count).append(" × ").append(reason).append('\n'));
        try {
            if (report.getParent() != null) {
                Files.createDirectories(report.getParent());
            }
            Files.writeString(report, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + report.toAbsolutePath(), e);
        }
        return report;
    }
}
