package dev.otpengine.micrometer;

import dev.otpengine.CaptchaNotConfirmedException;
import dev.otpengine.Delivery;
import dev.otpengine.NoConnectionException;
import dev.otpengine.OtpEngine;
import dev.otpengine.OtpEvent;
import dev.otpengine.OtpException;
import dev.otpengine.OtpListener;
import dev.otpengine.RateLimitException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Records an engine's events as Micrometer counters, in any {@link MeterRegistry} (Prometheus, Datadog, a
 * {@code SimpleMeterRegistry} in tests); no Spring needed:
 * <pre>{@code
 * OtpEngine engine = OtpEngine.builder().listener(new OtpMeters(registry))...build();
 * }</pre>
 * <table>
 *   <caption>The meters</caption>
 *   <tr><th>counter</th><th>tags</th><th>counts</th></tr>
 *   <tr><td>{@value #SENDS}</td><td>{@code widget}, {@code outcome}</td><td>sends that got as far as the channels:
 *       {@code sent} (a channel accepted; test recipients too) or {@code undelivered} (none did, the code was
 *       withdrawn)</td></tr>
 *   <tr><td>{@value #DELIVERIES}</td><td>{@code channel}, {@code outcome}</td><td>each channel's answer to a send:
 *       {@code accepted}, {@code failed_retryable}, {@code failed_permanent}</td></tr>
 *   <tr><td>{@value #VERIFICATIONS}</td><td>{@code widget}, {@code status}</td><td>verifications the engine judged:
 *       {@code verified}, {@code invalid_code}, {@code expired}, {@code attempts_exceeded}, {@code not_found}</td></tr>
 *   <tr><td>{@value #REJECTIONS}</td><td>{@code reason}, {@code operation}</td><td>requests refused before a code was
 *       sent or a guess judged: the rate-limit scope ({@code ip}, {@code recipient}, {@code resend_cooldown},
 *       {@code widget}, {@code verify_ip}, {@code verify_failures}, {@code pending_codes},
 *       {@code country_conversion}), {@code captcha},
 *       {@code blocked}, {@code invalid_request}, {@code widget_not_found}, {@code no_available_channels},
 *       {@code no_connection} (the store unreachable, or no channel delivered), {@code internal_error}; and
 *       {@code send} or {@code verify}</td></tr>
 *   <tr><td>{@value #COUNTRY_CUT_OFFS}</td><td>{@code widget}, {@code calling_code}</td><td>countries the toll-fraud
 *       guard cut off, once per country and guard window: the meter to alarm on ({@code calling_code} is a country
 *       calling code such as {@code 63}, a few hundred values at most)</td></tr>
 *   <tr><td>{@value #DELIVERY_REPORTS}</td><td>{@code channel}, {@code gateway}, {@code status}</td><td>vendors'
 *       delivery reports for messages the store remembered ({@link OtpEvent.DeliveryReported}): {@code status}
 *       {@code delivered} or {@code failed}; {@code gateway} the gateway that took the message ({@code twilio},
 *       {@code vonage}), or {@code none} when its channel named none</td></tr>
 *   <tr><td>{@value #ESCALATIONS}</td><td>{@code widget}, {@code channel}</td><td>escalation steps
 *       ({@link OtpEvent.Escalated}): a code not verified in time went out again on {@code channel}</td></tr>
 * </table>
 * And with {@link #gaugePendingCodes}, the gauge {@value #PENDING_CODES} of the codes the store holds; with
 * {@link #gaugeGatewayCircuits}, the gauges {@value #GATEWAY_CIRCUIT} of each gateway's circuit breaker.
 * No tag ever holds a phone, an email, an IP or a code (for privacy, and because they would make a meter per user).
 * A widget tag is the widget's id, and only of a widget the engine knows: an unknown id a client made up is counted
 * under {@value #REJECTIONS} alone, which has no widget tag, so made-up ids cannot multiply the meters; a verification
 * of a request id no code has is tagged {@code widget=none}.
 *
 * <p><b>Thread-safety:</b> thread-safe: the engine calls it from many threads at once, and Micrometer's counters are.
 */
public final class OtpMeters implements OtpListener {

    /** The counter of sends: {@value}. */
    public static final String SENDS = "otp.sends";
    /** The counter of channel answers: {@value}. */
    public static final String DELIVERIES = "otp.deliveries";
    /** The counter of judged verifications: {@value}. */
    public static final String VERIFICATIONS = "otp.verifications";
    /** The counter of refused requests: {@value}. */
    public static final String REJECTIONS = "otp.rejections";
    /** The counter of countries the toll-fraud guard cut off: {@value}. */
    public static final String COUNTRY_CUT_OFFS = "otp.country.cutoffs";

    /** The counter of vendors' delivery reports: {@value}. */
    public static final String DELIVERY_REPORTS = "otp.delivery.reports";

    /** The counter of escalation steps: {@value}. */
    public static final String ESCALATIONS = "otp.escalations";

    /**
     * The gauges of gateways' circuit breakers: {@value}, tagged {@code channel}, {@code gateway} and {@code state},
     * 1 for the state a gateway's circuit is in and 0 for the others.
     */
    public static final String GATEWAY_CIRCUIT = "otp.gateway.circuit";

    /** The states {@value #GATEWAY_CIRCUIT} has a gauge for, as tag values. */
    static final java.util.List<String> CIRCUIT_STATES = java.util.List.of("closed", "open", "half_open");

    /** The gauge of pending codes: {@value}. */
    public static final String PENDING_CODES = "otp.codes.pending";

    private final MeterRegistry registry;

    /**
     * Meters in a registry.
     *
     * @param registry where the counters live
     * @throws NullPointerException if {@code registry} is null
     */
    public OtpMeters(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Adds the gauge {@value #PENDING_CODES}, the codes an engine's store holds (expired ones kept to answer
     * {@code EXPIRED} included), if the store can tell ({@link OtpEngine#pendingCodes()}): the in-process store
     * always can. The gauge holds the engine weakly, so it does not keep a closed engine alive.
     *
     * @param registry where the gauge lives
     * @param engine the engine
     * @return whether the gauge was added (the store can tell)
     * @throws NullPointerException if an argument is null
     */
    public static boolean gaugePendingCodes(MeterRegistry registry, OtpEngine engine) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(engine, "engine");
        if (engine.pendingCodes().isEmpty()) {
            return false;
        }
        Gauge.builder(PENDING_CODES, engine, e -> e.pendingCodes().orElse(0))
                .description("Codes held by the engine's store, expired ones kept to answer EXPIRED included")
                .strongReference(false).register(registry);
        return true;
    }

    /**
     * Adds the gauges {@value #GATEWAY_CIRCUIT}, one per channel, gateway and state ({@code closed}, {@code open},
     * {@code half_open}), from the circuits the engine's channels report ({@link OtpEngine#channelHealth()}: each
     * fact {@code circuit.<gateway>}) when this is called: 1 for the state a circuit is in when the gauge is read, 0
     * for the others, as Resilience4j's own {@code resilience4j.circuitbreaker.state} does. So
     * {@code otp.gateway.circuit{state="open"} == 1} is the alarm that a gateway is skipped. The gauges hold the
     * engine weakly.
     *
     * @param registry where the gauges live
     * @param engine the engine
     * @return how many gateways got gauges; 0 when no channel reports a circuit
     * @throws NullPointerException if an argument is null
     */
    public static int gaugeGatewayCircuits(MeterRegistry registry, OtpEngine engine) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(engine, "engine");
        int gateways = 0;
        for (java.util.Map.Entry<String, java.util.Map<String, String>> channel : engine.channelHealth().entrySet()) {
            for (String fact : channel.getValue().keySet()) {
                if (!fact.startsWith(CIRCUIT_PREFIX) || fact.length() == CIRCUIT_PREFIX.length()) {
                    continue;
                }
                gateways++;
                String channelId = channel.getKey();
                for (String state : CIRCUIT_STATES) {
                    Gauge.builder(GATEWAY_CIRCUIT, engine, e -> circuitIs(e, channelId, fact, state))
                            .description("Whether a gateway's circuit breaker is in this state (1) or not (0)")
                            .tags("channel", channelId, "gateway", fact.substring(CIRCUIT_PREFIX.length()),
                                    "state", state)
                            .strongReference(false).register(registry);
                }
            }
        }
        return gateways;
    }

    private static final String CIRCUIT_PREFIX = "circuit.";

    private static double circuitIs(OtpEngine engine, String channel, String fact, String state) {
        java.util.Map<String, String> facts = engine.channelHealth().get(channel);
        String now = facts == null ? null : facts.get(fact);
        if (now == null) {
            return Double.NaN;
        }
        return lower(now).equals(state) ? 1 : 0;
    }

    @Override
    public void onDeliveryReported(OtpEvent.DeliveryReported event) {
        count(DELIVERY_REPORTS, "Vendors' delivery reports, by channel, gateway and status", "channel",
                event.report().channelId(), "gateway", event.gateway() == null ? "none" : event.gateway(),
                "status", lower(event.report().status().name()));
    }

    @Override
    public void onEscalated(OtpEvent.Escalated event) {
        count(ESCALATIONS, "Escalation steps, by widget and the channel the code went out on", "widget",
                widget(event.widgetId()), "channel", event.channelId());
        deliveries(List.of(event.delivery()));
    }

    @Override
    public void onSent(OtpEvent.Sent event) {
        count(SENDS, "Codes sent, by widget and outcome", "widget", widget(event.widgetId()), "outcome", "sent");
        deliveries(event.deliveries());
    }

    @Override
    public void onVerified(OtpEvent.Verified event) {
        count(VERIFICATIONS, "Verifications judged, by widget and status", "widget", widget(event.widgetId()),
                "status", "verified");
    }

    @Override
    public void onVerifyFailed(OtpEvent.VerifyFailed event) {
        count(VERIFICATIONS, "Verifications judged, by widget and status", "widget", widget(event.widgetId()),
                "status", lower(event.result().status().name()));
    }

    @Override
    public void onRejected(OtpEvent.Rejected event) {
        OtpException reason = event.reason();
        if (reason instanceof NoConnectionException && !((NoConnectionException) reason).deliveries().isEmpty()) {
            // the channels were asked and none delivered: a send of a widget the engine knows, and its answers
            count(SENDS, "Codes sent, by widget and outcome", "widget", widget(event.widgetId()), "outcome",
                    "undelivered");
            deliveries(((NoConnectionException) reason).deliveries());
        }
        count(REJECTIONS, "Requests refused, by reason and operation", "reason", reason(reason), "operation",
                lower(event.operation().name()));
    }

    @Override
    public void onCountryCutOff(OtpEvent.CountryCutOff event) {
        // the region (GG, or +44 where no phone reading tells regions apart), never the range: a range is part of numbers
        count(COUNTRY_CUT_OFFS, "Ranges and regions the toll-fraud guard cut off, by widget, calling code and region",
                "widget", widget(event.widgetId()), "calling_code", Integer.toString(event.callingCode()),
                "region", event.region());
    }

    private void deliveries(List<Delivery> deliveries) {
        for (Delivery delivery : deliveries) {
            count(DELIVERIES, "Channel answers to sends, by channel and outcome", "channel", delivery.channelId(),
                    "outcome", lower(delivery.status().name()));
        }
    }

    /** Why a request was refused, as a tag value from a fixed set. */
    static String reason(OtpException e) {
        if (e instanceof RateLimitException) {
            return lower(((RateLimitException) e).scope().name());
        }
        if (e instanceof CaptchaNotConfirmedException) {
            return "captcha";
        }
        switch (e.type()) {
            case "WidgetIsBlockedException":
                return "blocked";
            case "InvalidRequestException":
                return "invalid_request";
            case "WidgetNotFoundException":
                return "widget_not_found";
            case "NoAvailableChannelsException":
                return "no_available_channels";
            case "NoConnectionException":
                return "no_connection";
            case "InternalServerErrorException":
                return "internal_error";
            default:
                return "other";
        }
    }

    private static String widget(UUID widgetId) {
        return widgetId == null ? "none" : widgetId.toString();
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private void count(String name, String description, String... tags) {
        Counter.builder(name).description(description).tags(tags).register(registry).increment();
    }
}
