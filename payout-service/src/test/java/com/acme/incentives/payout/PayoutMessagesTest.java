package com.acme.incentives.payout;

import com.acme.incentives.platform.i18n.Messages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every key payout-service uses has its text in English, Japanese and Korean, and its bundle no other key. */
class PayoutMessagesTest {

    @Test
    void everyKeyHasItsTextInEveryLanguage() {
        assertThat(Messages.missing(PayoutMessages.class)).isEmpty();
    }
}
