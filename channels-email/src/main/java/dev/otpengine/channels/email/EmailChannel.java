package dev.otpengine.channels.email;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.DeliveryException;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sends each code as one email (multipart/alternative: plain text and HTML) over pooled SMTP connections. The SMTP
 * conversation blocks the calling thread, which is the engine's delivery thread, never the caller of
 * {@code send}.
 *
 * <p><b>Thread-safety:</b> thread-safe; messages are built per call and each pooled connection serves one thread at
 * a time.
 */
final class EmailChannel implements Channel {

    static final String ID = "email";
    private static final Logger log = LoggerFactory.getLogger(EmailChannel.class);

    private final EmailSettings settings;
    private final EmailTexts texts;
    private final Session session;
    private final InternetAddress from;
    private final TransportPool pool;

    EmailChannel(EmailSettings settings, EmailTexts texts) {
        this.settings = settings;
        this.texts = texts;
        String protocol = settings.security() == EmailSettings.Security.SMTPS ? "smtps" : "smtp";
        this.session = Session.getInstance(properties(settings, protocol));
        try {
            this.from = new InternetAddress(settings.from(), settings.fromName(), StandardCharsets.UTF_8.name());
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
        this.pool = new TransportPool(session, settings, protocol);
        log.info("email channel sends through {}:{} ({}) as {}", settings.host(), settings.port(),
                settings.security().name().toLowerCase(java.util.Locale.ROOT), Recipient.maskEmail(settings.from()));
    }

    private static Properties properties(EmailSettings s, String protocol) {
        String p = "mail." + protocol + ".";
        Properties props = new Properties();
        props.put(p + "host", s.host());
        props.put(p + "port", Integer.toString(s.port()));
        props.put(p + "connectiontimeout", Long.toString(s.connectTimeout().toMillis()));
        props.put(p + "timeout", Long.toString(s.readTimeout().toMillis()));
        props.put(p + "writetimeout", Long.toString(s.writeTimeout().toMillis()));
        props.put(p + "from", s.from());
        props.put(p + "auth", Boolean.toString(s.username() != null));
        props.put(p + "ssl.checkserveridentity", Boolean.toString(s.checkServerIdentity()));
        if (s.security() == EmailSettings.Security.STARTTLS) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        if (s.sslTrust() != null) {
            props.put(p + "ssl.trust", s.sslTrust());
        }
        return props;
    }

    /** @return {@code false}: an email costs nothing per message, so it counts under the widget's free budget */
    @Override
    public boolean costsPerMessage() {
        return false;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean canDeliverTo(Recipient recipient) {
        return recipient.email().isPresent();
    }

    @Override
    public CompletionStage<DeliveryReceipt> deliver(OtpMessage message) {
        try {
            MimeMessage mail = build(message);
            pool.send(mail, mail.getRecipients(Message.RecipientType.TO));
            return CompletableFuture.completedFuture(new DeliveryReceipt(ID, mail.getMessageID(), Instant.now(),
                    Map.of("smtpHost", settings.host())));
        } catch (MessagingException e) {
            return CompletableFuture.failedFuture(SmtpFailures.classify(e, settings));
        } catch (TransportPool.PoolBusyException e) {
            return CompletableFuture.failedFuture(DeliveryException.retryable(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(DeliveryException.retryable("interrupted while waiting for an smtp connection"));
        } catch (RuntimeException e) {
            // a message this channel cannot build (no email address): no other try will help
            return CompletableFuture.failedFuture(DeliveryException.permanent("the message could not be built: "
                    + e.getClass().getSimpleName(), e));
        }
    }

    MimeMessage build(OtpMessage m) throws MessagingException {
        String to = m.recipient().email().orElseThrow(() -> new IllegalArgumentException("the recipient has no email"));
        MimeMessage mail = new MimeMessage(session);
        mail.setFrom(from);
        mail.setRecipients(Message.RecipientType.TO, new Address[] {new InternetAddress(to, true)});
        mail.setSubject(texts.subject(m), StandardCharsets.UTF_8.name());
        mail.setSentDate(new Date());
        mail.setHeader("Auto-Submitted", "auto-generated"); // RFC 3834: no auto-replies to a code
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(texts.plain(m), StandardCharsets.UTF_8.name(), "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(texts.html(m), StandardCharsets.UTF_8.name(), "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(plain);
        alternative.addBodyPart(html);
        mail.setContent(alternative);
        mail.saveChanges();
        return mail;
    }

    /** How many SMTP connections were opened so far; for tests of the reuse. */
    int connects() {
        return pool.connects();
    }

    @Override
    public void close() {
        pool.close();
    }
}
