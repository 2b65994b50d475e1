package dev.otpengine.channels.email;

import dev.otpengine.spi.DeliveryException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.util.MailConnectException;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * What an SMTP failure means for a code: another try may work (the server is down, slow, or answered 4xx) or it
 * will not (the server answered 5xx for the recipient, or refused our credentials). Messages carry the SMTP reply
 * code, never the server's text, which may quote the recipient's address.
 */
final class SmtpFailures {

    private SmtpFailures() {
    }

    static DeliveryException classify(MessagingException e, EmailSettings s) {
        if (e instanceof AuthenticationFailedException) {
            return DeliveryException.permanent("the smtp server refused the credentials of email.smtp.username", e);
        }
        int code = replyCode(e);
        if (code >= 500) {
            return DeliveryException.permanent("the smtp server rejected the message (" + code + ")", e);
        }
        if (code >= 400) {
            return DeliveryException.retryable("the smtp server deferred the message (" + code + ")", e);
        }
        if (has(e, SocketTimeoutException.class)) {
            return DeliveryException.retryable("the smtp server " + s.host() + ":" + s.port() + " did not answer in time", e);
        }
        if (e instanceof MailConnectException || has(e, ConnectException.class) || has(e, UnknownHostException.class)) {
            return DeliveryException.retryable("could not connect to the smtp server " + s.host() + ":" + s.port(), e);
        }
        if (String.valueOf(e.getMessage()).contains("STARTTLS is required")) { // Angus Mail's words for it
            return DeliveryException.permanent("the smtp server " + s.host() + ":" + s.port() + " does not offer "
                    + "STARTTLS, which email.smtp.security=starttls requires: a setting to fix, not a failure to retry", e);
        }
        if (e instanceof SendFailedException) {
            return DeliveryException.permanent("the smtp server refused the recipient", e);
        }
        return DeliveryException.retryable("smtp failed: " + e.getClass().getSimpleName(), e);
    }

    /** The reply code of the first SMTP reply in the chain that has one, or 0. */
    private static int replyCode(Throwable e) {
        for (Throwable x = e; x != null; x = x.getCause() == x ? null : x.getCause()) {
            if (x instanceof SMTPAddressFailedException) {
                return ((SMTPAddressFailedException) x).getReturnCode();
            }
            if (x instanceof SMTPSendFailedException) {
                return ((SMTPSendFailedException) x).getReturnCode();
            }
        }
        return 0;
    }

    /** Whether the chain holds such a cause; a MessagingException's cause is its next exception. */
    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
