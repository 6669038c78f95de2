package com.acme.incentives.e2e.contract;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.List;

/**
 * Puts every e2e test class under the contract check without the class opting in: registered for the whole module
 * by Jupiter's extension auto-detection (junit-platform.properties and
 * META-INF/services/org.junit.jupiter.api.extension.Extension).
 *
 * <ul>
 * <li>Before a class: the rest-assured filter is installed, and the class is named as the sender of what follows
 *     (with {@link InvalidRequestsOnPurpose}: its requests are not held to the document).</li>
 * <li>After a class: the class FAILS if any exchange since the last class was undocumented, listing them. Failing
 *     the class that sent it makes {@code mvn verify} red whatever classes run (-Dtest included) and names the
 *     culprit; a listener's exception would only be logged.</li>
 * <li>At the end of the run (the root context closing): the summary line is printed and target/contract-report.txt
 *     written.</li>
 * </ul>
 */
public class ContractExtension implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ContractCheck.class);
    private static final int SHOWN = 20;

    @Override
    public void beforeAll(ExtensionContext context) {
        ContractCheck.install();
        context.getRoot().getStore(NAMESPACE).computeIfAbsent("end-of-run", key -> new EndOfRun(), EndOfRun.class);
        Class<?> testClass = context.getRequiredTestClass();
        ContractCheck.enter(testClass.getSimpleName(), testClass.isAnnotationPresent(InvalidRequestsOnPurpose.class));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ContractCheck.leave();
        List<ContractCheck.Violation> fresh = ContractCheck.takeUnfailed();
        if (!fresh.isEmpty()) {
            StringBuilder message = new StringBuilder(fresh.size() + " undocumented exchange(s) with the gateway's API"
                    + " (the contract, GET /api/v1/openapi.json); all of the run's in " + ContractCheck.reportPath()
                    + " at the end:");
            fresh.stream().limit(SHOWN).forEach(violation -> message.append("\n  ").append(violation));
            if (fresh.size() > SHOWN) {
                message.append("\n  ... and ").append(fresh.size() - SHOWN).append(" more");
            }
            throw new AssertionError(message.toString());
        }
    }

    /** Closed by Jupiter when the whole run ends: the summary and the report. */
    static final class EndOfRun implements AutoCloseable {
        @Override
        public void close() {
            if (ContractCheck.used()) {
                Path report = ContractCheck.writeReport();
                System.out.println(ContractCheck.summary() + " (report: " + report.toAbsolutePath() + ")");
            }
        }
    }
}
