package com.acme.incentives.payout.rest;

import com.acme.incentives.platform.security.Roles;

/** Who may do what in payout (PRODUCT.md roles): incentive users read, incentive admins (and global admins) write. */
final class Access {
    static final String[] READERS = { Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN,
            Roles.INCENTIVE_USER };

    private Access() {
    }
}
