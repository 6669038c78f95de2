package com.acme.incentives.e2e.contract;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class whose requests are invalid on purpose (hostile input): the contract check holds its responses
 * to the document (status declared, problem+json) but never its requests, which are meant to break the schema.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface InvalidRequestsOnPurpose {
}
