package com.acme.incentives.platform.idempotency;

/**
 * An answer that carries a secret meant to be shown exactly once (e.g. a temporary password). The
 * {@link Idempotent} interceptor stores {@link #withoutSecret()} instead of the answer itself, so the secret is never
 * written to the database; a replay answers the same resource without the secret.
 */
public interface OneTimeSecret {

    /** The same answer with every secret removed (set to null). */
    Object withoutSecret();
}
