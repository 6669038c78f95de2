package com.acme.incentives.eligibility;

import com.acme.incentives.platform.i18n.Messages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every key eligibility-service uses has its text in English, Japanese and Korean, and its bundle no other key. */
class EligibilityMessagesTest {

    @Test
    void everyKeyHasItsTextInEveryLanguage() {
        assertThat(Messages.missing(EligibilityMessages.class)).isEmpty();
    }
}
