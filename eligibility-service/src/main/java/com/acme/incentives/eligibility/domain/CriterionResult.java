package com.acme.incentives.eligibility.domain;

import java.time.LocalDate;

/**
 * One line of the checklist a partner sees. {@code since}: when met, the day the qualifying fact took effect; when not
 * met because it lapsed, the day it stopped counting; otherwise null.
 */
public record CriterionResult(String criterion, boolean met, String reason, LocalDate since) {
}
