package com.acme.incentives.platform.inbox;

/**
 * An event that can never be applied, whatever the number of attempts (unreadable, or against the contract): it goes
 * to the dead-letter topic at once instead of being retried.
 */
public class PoisonEventException extends RuntimeException {

    public PoisonEventException(String message, Throwable cause) {
        super(message, cause);
    }

    public PoisonEventException(String message) {
        super(message);
    }
}
