package dev.otpengine.channels.sms;

import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.DeliveryException;
import org.jsmpp.PDUException;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.OptionalParameters;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SMPP 3.4 {@code submit_sm} to an SMSC, bound as a transmitter. One session is kept and shared (jSMPP sessions take
 * concurrent submits); when it drops, the next send binds again. GSM-7 texts go as data coding 0 (unpacked septets),
 * others as UCS-2 (data coding 8); a text of several segments goes as several {@code submit_sm} with the SAR
 * parameters that let the handset join them.
 */
final class SmppGateway implements SmsGateway {

    static final String NAME = "smpp";

    private static final Logger log = LoggerFactory.getLogger(SmppGateway.class);
    /** SMPP command statuses that may pass on another try: system error, queue full, throttled, try later. */
    private static final int[] TRANSIENT = {0x08, 0x14, 0x58, 0x64};

    private final String host;
    private final int port;
    private final BindParameter bind;
    private final String source;
    private final TypeOfNumber sourceTon;
    private final long timeoutMillis;
    private final AtomicInteger reference = new AtomicInteger();
    private SMPPSession session; // guarded by this
    private int binds; // guarded by this

    SmppGateway(ChannelSettings s, Duration timeout) {
        this.host = s.require("smpp.host");
        this.port = s.getInt("smpp.port", 2775, 1, 65535);
        this.bind = new BindParameter(BindType.BIND_TX, s.require("smpp.systemId"), s.require("smpp.password"),
                s.get("smpp.systemType", ""), TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null);
        this.source = s.require("smpp.sourceAddress");
        this.sourceTon = source.matches("\\+?[0-9]{3,15}") ? TypeOfNumber.INTERNATIONAL : TypeOfNumber.ALPHANUMERIC;
        this.timeoutMillis = timeout.toMillis();
    }

    @Override
    public CompletionStage<Accepted> send(UUID requestId, String to, SmsText text) {
        try {
            return CompletableFuture.completedFuture(new Accepted(NAME, submit(to, text)));
        } catch (DeliveryException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** One fresh bind and a second try when the session turns out to be gone: a dropped SMSC link costs no code. */
    private String submit(String to, SmsText text) {
        try {
            return submit(session(), to, text);
        } catch (SessionLost lost) {
            log.info("the smsc session dropped ({}); binding again", lost.getCause().getClass().getSimpleName());
            try {
                return submit(session(), to, text);
            } catch (SessionLost again) {
                throw DeliveryException.retryable("the smsc connection failed: "
                        + again.getCause().getClass().getSimpleName(), again.getCause());
            }
        }
    }

    /** The session failed under a submit; it has been dropped. */
    private static final class SessionLost extends RuntimeException {

        private static final long serialVersionUID = 1L;

        SessionLost(IOException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private String submit(SMPPSession s, String to, SmsText text) {
        GeneralDataCoding coding = new GeneralDataCoding(text.encoding() == SmsText.Encoding.GSM7
                ? Alphabet.ALPHA_DEFAULT : Alphabet.ALPHA_UCS2);
        int ref = reference.incrementAndGet() & 0xFFFF;
        String firstId = null;
        for (int i = 0; i < text.segments(); i++) {
            OptionalParameter[] sar = text.segments() == 1 ? new OptionalParameter[0] : new OptionalParameter[] {
                    OptionalParameters.newSarMsgRefNum((short) ref), OptionalParameters.newSarTotalSegments(text.segments()),
                    OptionalParameters.newSarSegmentSeqnum(i + 1)};
            try {
                String id = s.submitShortMessage("", sourceTon, NumberingPlanIndicator.UNKNOWN, source.replace("+", ""),
                        TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, to.substring(1), new ESMClass(), (byte) 0,
                        (byte) 1, null, null, new RegisteredDelivery(SMSCDeliveryReceipt.DEFAULT), (byte) 0, coding,
                        (byte) 0, text.bytes(text.parts().get(i)), sar).getMessageId();
                firstId = firstId == null ? id : firstId;
            } catch (NegativeResponseException e) {
                String message = "the smsc refused the message (command status 0x"
                        + Integer.toHexString(e.getCommandStatus()) + ")";
                for (int status : TRANSIENT) {
                    if (status == e.getCommandStatus()) {
                        throw DeliveryException.retryable(message, e);
                    }
                }
                throw DeliveryException.permanent(message, e);
            } catch (ResponseTimeoutException e) {
                drop(s); // a session that stops answering is not trusted with the next code; it may have sent this one
                throw DeliveryException.retryable("the smsc did not answer in time", e);
            } catch (IOException e) {
                drop(s);
                throw new SessionLost(e);
            } catch (PDUException | IllegalArgumentException e) {
                throw DeliveryException.permanent("the message could not be encoded for smpp: " + e.getMessage(), e);
            } catch (org.jsmpp.InvalidResponseException e) {
                throw DeliveryException.retryable("the smsc answered with an invalid response", e);
            }
        }
        return firstId;
    }

    /** The bound session, binding (again) first if there is none or it dropped. */
    private synchronized SMPPSession session() {
        if (session != null && session.getSessionState().isBound()) {
            return session;
        }
        if (session != null) {
            session.close();
        }
        SMPPSession fresh = new SMPPSession();
        fresh.setTransactionTimer(timeoutMillis);
        fresh.setEnquireLinkTimer(30_000);
        try {
            fresh.connectAndBind(host, port, bind, timeoutMillis);
        } catch (IOException e) {
            fresh.close();
            throw DeliveryException.retryable("could not bind to the smsc " + host + ":" + port + ": "
                    + e.getClass().getSimpleName(), e);
        }
        binds++;
        if (binds > 1) {
            log.info("bound again to the smsc {}:{}", host, port);
        }
        session = fresh;
        return fresh;
    }

    private synchronized void drop(SMPPSession s) {
        if (session == s) {
            session = null;
            s.close();
        }
    }

    /** Whether the kept session is bound right now; for tests of the rebind. */
    synchronized boolean bound() {
        return session != null && session.getSessionState().isBound();
    }

    /** How many times the gateway has bound; for tests of the rebind. */
    synchronized int binds() {
        return binds;
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            session.unbindAndClose();
            session = null;
        }
    }
}
