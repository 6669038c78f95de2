package com.acme.incentives.enrollment;

import com.acme.incentives.platform.i18n.Messages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every key enrollment-service uses has its text in English, Japanese and Korean, and its bundle no other key. */
class EnrollmentMessagesTest {

    @Test
    void everyKeyHasItsTextInEveryLanguage() {
        assertThat(Messages.missing(EnrollmentMessages.class)).isEmpty();
    }
}
