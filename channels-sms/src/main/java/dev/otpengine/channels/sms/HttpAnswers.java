package dev.otpengine.channels.sms;

import dev.otpengine.spi.DeliveryException;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;

/** What an HTTP gateway's answer or failure means for a code. */
final class HttpAnswers {

    private HttpAnswers() {
    }

    /** A status outside the success range: 429 and 5xx may pass on another try, other statuses will not. */
    static DeliveryException status(String gateway, int status) {
        String message = gateway + " answered HTTP " + status;
        return status == 429 || status >= 500 ? DeliveryException.retryable(message) : DeliveryException.permanent(message);
    }

    /** A request that got no answer: always worth another try. */
    static DeliveryException failure(String gateway, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof DeliveryException) {
            return (DeliveryException) cause;
        }
        if (cause instanceof HttpTimeoutException) {
            return DeliveryException.retryable(gateway + " did not answer in time", cause);
        }
        if (cause instanceof IOException) {
            return DeliveryException.retryable("could not reach " + gateway + ": " + cause.getClass().getSimpleName(), cause);
        }
        return DeliveryException.retryable(gateway + " failed: " + cause.getClass().getSimpleName(), cause);
    }
}
