package com.acme.incentives.identity;

import com.acme.incentives.platform.i18n.Messages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every key identity-service uses has its text in English, Japanese and Korean, and its bundle no other key. */
class IdentityMessagesTest {

    @Test
    void everyKeyHasItsTextInEveryLanguage() {
        assertThat(Messages.missing(IdentityMessages.class)).isEmpty();
    }
}
