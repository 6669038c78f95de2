package com.acme.incentives.enrollment.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** An incentive user the organization's admins are asked to set up in identity-service. */
@Embeddable
public class WaveUser {

    /** Lower case: identity's emails are compared case-insensitively. */
    @Column(nullable = false)
    public String email;

    @Column(name = "first_name", nullable = false)
    public String firstName;

    @Column(name = "last_name", nullable = false)
    public String lastName;

    /** INCENTIVE_ADMIN or INCENTIVE_USER. */
    @Column(nullable = false)
    public String role;

    public WaveUser() {
    }

    public WaveUser(String email, String firstName, String lastName, String role) {
        this.email = email;
        this.firstName = firstName;
        this.lastName = lastName;
        this.role = role;
    }
}
