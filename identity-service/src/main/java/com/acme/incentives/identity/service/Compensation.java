package com.acme.incentives.identity.service;

import org.jboss.logging.Logger;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The undo steps of changes made in Keycloak, run in reverse order when a later step (another Keycloak call or our
 * own database commit) fails, so that Keycloak and our directory do not disagree. Best effort: an undo that fails is
 * logged (without any secret) and the next one still runs.
 */
final class Compensation {

    private static final Logger LOG = Logger.getLogger(Compensation.class);

    private final Deque<Step> steps = new ArrayDeque<>();

    private record Step(String what, Runnable undo) {
    }

    void add(String what, Runnable undo) {
        steps.push(new Step(what, undo));
    }

    boolean isEmpty() {
        return steps.isEmpty();
    }

    /** Returns true when every undo step succeeded. */
    boolean run() {
        boolean complete = true;
        while (!steps.isEmpty()) {
            Step step = steps.pop();
            try {
                step.undo.run();
            } catch (RuntimeException e) {
                complete = false;
                LOG.errorf("Could not undo '%s' in Keycloak (%s); Keycloak and the directory may disagree until"
                        + " repaired", step.what, e.getMessage());
            }
        }
        return complete;
    }
}
