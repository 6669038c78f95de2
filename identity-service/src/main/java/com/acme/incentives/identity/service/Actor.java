package com.acme.incentives.identity.service;

import java.util.Set;

/** Who asks for a change: the token's subject (recorded in the audit and events) and roles (checked by policy). */
public record Actor(String subject, Set<String> roles) {
}
