package com.acme.incentives.payout.bank;

/**
 * The bank's channel did not take a file or could not be read. The message is ours (status code, kind of failure),
 * never the bank's answer or a network library's text: it is stored on the file and shown to operators.
 */
public class BankChannelException extends RuntimeException {

    public BankChannelException(String message, Throwable cause) {
        super(message, cause);
    }
}
