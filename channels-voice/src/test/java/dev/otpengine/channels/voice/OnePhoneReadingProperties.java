package dev.otpengine.channels.voice;

import dev.otpengine.spi.ScriptedHttpServer;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber;
import dev.otpengine.Delivery;
import dev.otpengine.InvalidRequestException;
import dev.otpengine.Limit;
import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimitException;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.Widget;
import dev.otpengine.testkit.TestClock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 25's property: for any spelling of a number (spaces, dashes, dots, parentheses, the {@code (0)} trunk digit
 * after the country code, mixed), the three phone channels read it to the same E.164 form, deliver to that form, and
 * the engine counts it as one recipient (the bare trunk prefix, {@code +44 07911...}, is the case only the channels'
 * reading makes one number: the engine's syntax keeps the digit); a landline or a VoIP number goes to voice only; a
 * premium-rate number is a 400 and reaches no vendor. The channels are the real ones, discovered from settings, each
 * calling its vendor (Twilio Messages, Twilio Calls, WhatsApp Cloud API) on one scripted server on 127.0.0.1; the
 * widget's channel order is drawn too, since the form must not depend on it.
 */
final class OnePhoneReadingProperties {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final String ANSWER = "{\"sid\":\"SM0123456789abcdef0123456789abcdef\",\"status\":\"queued\","
            + "\"messages\":[{\"id\":\"wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjU=\"}]}";
    private static final List<List<String>> ORDERS = List.of(
            List.of("sms", "voice", "whatsapp"), List.of("sms", "whatsapp", "voice"),
            List.of("voice", "sms", "whatsapp"), List.of("voice", "whatsapp", "sms"),
            List.of("whatsapp", "sms", "voice"), List.of("whatsapp", "voice", "sms"));
    private static final Set<String> ALL = Set.of("sms", "voice", "whatsapp");
    private static final Pattern JSON_TO = Pattern.compile("\"to\":\"([^\"]+)\"");

    private static ScriptedHttpServer server;
    private static TestClock clock;
    private static OtpEngine engine;
    private static List<UUID> widgets;

    /** One engine for every try (its clock moves a day between tries, so each starts with a fresh window). */
    @BeforeContainer
    static void start() {
        server = new ScriptedHttpServer().reset(201, ANSWER);
        clock = TestClock.atFixedStart();
        Map<String, String> settings = new HashMap<>();
        settings.put("sms.gateway", "twilio");
        settings.put("sms.twilio.accountSid", VoiceChannelTest.SID);
        settings.put("sms.twilio.authToken", "token-sms");
        settings.put("sms.twilio.from", "+15005550006");
        settings.put("sms.twilio.baseUrl", server.url());
        settings.putAll(VoiceChannelTest.settings(server));
        settings.put("whatsapp.accessToken", "EAAJBtoken");
        settings.put("whatsapp.phoneNumberId", "106540352242922");
        settings.put("whatsapp.template", "otp_code");
        settings.put("whatsapp.baseUrl", server.url());
        OtpEngine.Builder builder = OtpEngine.builder().clock(clock).discoverChannels(settings)
                .rateLimits(RateLimits.builder().perRecipient(Limit.of(1, Duration.ofHours(1))).build());
        widgets = new ArrayList<>();
        for (List<String> order : ORDERS) {
            UUID id = UUID.nameUUIDFromBytes(String.join(",", order).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            builder.widget(Widget.builder(id).name("Acme").channels(order.toArray(String[]::new)).build());
            widgets.add(id);
        }
        engine = builder.build();
    }

    @AfterContainer
    static void stop() {
        engine.close();
        server.close();
    }

    /** A number of some country and type, as libphonenumber's metadata gives it. */
    record Number(String region, PhoneNumberType type, String callingCode, String nsn, String e164, boolean zeroTrunk,
                  String bareTrunk) {
    }

    /** Two spellings of one number, and the widget (channel order) to send them through. */
    record Case(Number number, String first, String second, int order) {
        @Override
        public String toString() {
            return number.region + " " + number.type + " " + number.e164 + " as '" + first + "' then '" + second
                    + "' through " + ORDERS.get(order);
        }
    }

    private static List<Number> examples(PhoneNumberType... types) {
        Map<String, Number> byE164 = new TreeMap<>();
        for (String region : new TreeSet<>(UTIL.getSupportedRegions())) {
            for (PhoneNumberType type : types) {
                Phonenumber.PhoneNumber n = UTIL.getExampleNumberForType(region, type);
                if (n == null || !UTIL.isValidNumber(n) || UTIL.getNumberType(n) != type) {
                    continue; // an example that is another type in today's metadata is no example of this one
                }
                String e164 = UTIL.format(n, PhoneNumberFormat.E164);
                String cc = Integer.toString(n.getCountryCode());
                String nsn = UTIL.getNationalSignificantNumber(n);
                byE164.putIfAbsent(e164, new Number(UTIL.getRegionCodeForNumber(n), type, cc, nsn, e164,
                        "0".equals(UTIL.getNddPrefixForRegion(region, true)), bareTrunk(region, cc, nsn, e164)));
            }
        }
        return List.copyOf(byE164.values());
    }

    /**
     * The country's trunk prefix, if writing it bare after the calling code ({@code +44 07911...},
     * {@code +1 1 202...}, {@code +7 8 912...}) is still this number by its numbering plan and within the 15 digits
     * the engine takes; else {@code null}. Here the engine's own syntax reading keeps the digit, so only the channels'
     * reading makes it one number.
     */
    private static String bareTrunk(String region, String cc, String nsn, String e164) {
        String trunk = UTIL.getNddPrefixForRegion(region, true);
        if (trunk == null || trunk.isEmpty() || !trunk.chars().allMatch(Character::isDigit)
                || cc.length() + trunk.length() + nsn.length() > 15) {
            return null;
        }
        try {
            String written = "+" + cc + trunk + nsn;
            return e164.equals(UTIL.format(UTIL.parse(written, "ZZ"), PhoneNumberFormat.E164)) ? trunk : null;
        } catch (com.google.i18n.phonenumbers.NumberParseException e) {
            return null;
        }
    }

    /**
     * A spelling: {@code +}, the calling code, maybe {@code (0)} where the country's trunk prefix is 0 or the trunk
     * prefix bare where it is still the same number ({@link #bareTrunk}), and the
     * national number cut into groups, each gap a space, a dash, a dot, two spaces or nothing, a group maybe in
     * parentheses (never a lone {@code 0}, which would read as the trunk digit).
     */
    private static Arbitrary<String> spellings(Number number) {
        String nsn = number.nsn;
        Arbitrary<List<Integer>> cuts = Arbitraries.integers().between(1, Math.max(1, nsn.length() - 1))
                .list().ofMaxSize(4).uniqueElements().map(list -> list.stream().sorted().collect(Collectors.toList()));
        Arbitrary<List<String>> gaps = Arbitraries.of(" ", "-", ".", "", "  ", " - ").list().ofSize(6);
        Arbitrary<Integer> bracketed = Arbitraries.integers().between(-1, 4);
        List<String> trunks = new ArrayList<>(List.of(""));
        if (number.zeroTrunk) {
            trunks.add("(0)");
        }
        if (number.bareTrunk != null) {
            trunks.add(number.bareTrunk);
        }
        Arbitrary<String> trunk = Arbitraries.of(trunks);
        return Combinators.combine(cuts, gaps, bracketed, trunk).as((cut, gap, bracket, withTrunk) -> {
            List<String> groups = new ArrayList<>();
            int from = 0;
            for (int at : cut) {
                if (at < nsn.length()) {
                    groups.add(nsn.substring(from, at));
                    from = at;
                }
            }
            groups.add(nsn.substring(from));
            StringBuilder s = new StringBuilder("+").append(number.callingCode).append(gap.get(0));
            if (!withTrunk.isEmpty()) {
                s.append(withTrunk).append(gap.get(1));
            }
            for (int i = 0; i < groups.size(); i++) {
                String group = groups.get(i);
                s.append(i == bracket && !group.equals("0") ? "(" + group + ")" : group);
                if (i < groups.size() - 1) {
                    s.append(gap.get(i + 2));
                }
            }
            return s.toString();
        });
    }

    private static Arbitrary<Case> cases(List<Number> numbers) {
        return Arbitraries.of(numbers).flatMap(number -> Combinators.combine(spellings(number), spellings(number),
                Arbitraries.integers().between(0, ORDERS.size() - 1)).as((a, b, order) -> new Case(number, a, b, order)));
    }

    @Provide
    Arbitrary<Case> reachable() {
        return cases(examples(PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.FIXED_LINE,
                PhoneNumberType.VOIP));
    }

    @Provide
    Arbitrary<Case> premiumRate() {
        return cases(examples(PhoneNumberType.PREMIUM_RATE));
    }

    private static SendRequest to(UUID widget, String phone) {
        return SendRequest.builder(widget).phone(phone).build();
    }

    /** Who was asked to deliver, by channel, and to which number, from the requests the scripted vendors received. */
    private static Map<String, String> delivered() {
        Map<String, String> to = new LinkedHashMap<>();
        for (ScriptedHttpServer.Request request : server.requests()) {
            if (request.path().endsWith("/Messages.json")) {
                to.put("sms", VoiceChannelTest.form(request.body()).get("To"));
            } else if (request.path().endsWith("/Calls.json")) {
                to.put("voice", VoiceChannelTest.form(request.body()).get("To"));
            } else if (request.path().endsWith("/messages")) {
                Matcher m = JSON_TO.matcher(request.body());
                to.put("whatsapp", m.find() ? m.group(1) : null);
            } else {
                throw new AssertionError("unexpected request " + request.path());
            }
        }
        return to;
    }

    @Property(tries = 200)
    void anySpelling_deliversToOneE164_andCountsAsOneRecipient(@ForAll("reachable") Case c) {
        clock.advance(Duration.ofDays(1)); // a fresh per-recipient window for this try
        server.reset(201, ANSWER);
        UUID widget = widgets.get(c.order);
        Set<String> takers = c.number.type == PhoneNumberType.FIXED_LINE || c.number.type == PhoneNumberType.VOIP
                ? Set.of("voice") : ALL;

        SendResult sent = engine.send(to(widget, c.first));

        // only the channels that take the number are tried (one that refuses it is left out, not failed), and each took it
        assertEquals(takers, sent.deliveries().stream().map(Delivery::channelId).collect(Collectors.toSet()),
                c::toString);
        assertTrue(sent.deliveries().stream().allMatch(Delivery::isAccepted), () -> sent.deliveries() + " " + c);
        Map<String, String> delivered = delivered();
        assertEquals(takers, delivered.keySet(), c::toString);
        delivered.forEach((channel, number) -> assertEquals(c.number.e164, number, () -> channel + ": " + c));

        RateLimitException again = assertThrows(RateLimitException.class, () -> engine.send(to(widget, c.second)),
                c::toString);
        assertEquals(RateLimitException.Scope.RECIPIENT, again.scope(), c::toString);
        assertEquals(takers.size(), server.requests().size(), c::toString);

        // the cases the property is about do come up: landlines and VoIP (voice only), the (0) trunk, brackets
        Statistics.label("takers").collect(takers.size() == 1 ? "voice only" : "all three");
        Statistics.label("trunk").collect(trunk(c.number, c.first), trunk(c.number, c.second));
        Statistics.label("brackets").collect((c.first + c.second).replace("(0)", "").contains("(") ? "yes" : "no");
        // floors well below the usual shares (40%, 26%, 56% in one run; 9.5% trunk in another): a floor near the mean
        // fails now and then on an honest draw, and a case that never comes up is what these are for
        Statistics.label("takers").coverage(coverage -> {
            coverage.check("voice only").percentage(p -> p > 3);
            coverage.check("all three").percentage(p -> p > 10);
        });
        Statistics.label("trunk").coverage(coverage -> {
            coverage.checkQuery(spellings -> spellings.contains("(0)")).percentage(p -> p > 3);
            coverage.checkQuery(spellings -> spellings.contains("bare")).percentage(p -> p > 3);
        });
        Statistics.label("brackets").coverage(coverage -> coverage.check("yes").percentage(p -> p > 3));
    }

    /** How a spelling writes the trunk prefix, for the statistics. */
    private static String trunk(Number number, String spelling) {
        if (spelling.contains("(0)")) {
            return "(0)";
        }
        int digits = spelling.replaceAll("[^0-9]", "").length();
        return digits > number.callingCode.length() + number.nsn.length() ? "bare" : "none";
    }

    @Property(tries = 50)
    void premiumRate_anySpelling_isTheRequestersError_andReachesNoVendor(@ForAll("premiumRate") Case c) {
        clock.advance(Duration.ofDays(1));
        server.reset(201, ANSWER);

        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> engine.send(to(widgets.get(c.order), c.first)), c::toString);

        assertEquals("phone", e.field());
        assertEquals(400, e.httpStatus());
        assertTrue(e.getMessage().startsWith("phone is a premium-rate number, which does not get codes "),
                e.getMessage());
        assertEquals(List.of(), server.requests(), c::toString);
    }
}
