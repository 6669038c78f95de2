package com.acme.incentives.platform.concurrency;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an update operation that requires {@code If-Match} with the version it changes (see {@link Versions}). The
 * check itself is the service's, inside its transaction with the row locked (only there is the version known
 * for sure); this annotation tells the API contract ({@code ApiContractFilter}) to declare the {@code If-Match}
 * header and the 412 and 428 answers, the same on every such operation.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface VersionChecked {
}
