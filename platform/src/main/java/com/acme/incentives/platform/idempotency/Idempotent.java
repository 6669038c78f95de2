package com.acme.incentives.platform.idempotency;

import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a state-changing REST operation as honouring the {@code Idempotency-Key} request header: the first successful
 * answer is stored in the same transaction as the change and replayed for a retry with the same key and request; the
 * same key with a different request is refused with 422. Without the header the operation runs normally.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface Idempotent {
}
