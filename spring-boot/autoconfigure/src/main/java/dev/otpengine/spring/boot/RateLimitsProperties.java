package dev.otpengine.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Rate limits as properties, under {@code otpengine.rate-limits} or a widget's {@code rate-limits}: a base
 * ({@code defaults} or {@code unlimited}) and any scope set over it, each limit written {@code count/window}
 * ({@code 5/1m}, {@code 30/1h}, {@code 10/1d}):
 * <pre>{@code
 * otpengine:
 *   rate-limits:
 *     base: defaults
 *     per-ip: 20/1m, 200/1h     # users behind carrier NAT
 *     resend-cooldown: 60s
 *     country-conversion:       # the toll-fraud guard
 *       min-sends: 100
 *       trusted-calling-codes: 49, 33
 * }</pre>
 *
 * <p><b>Thread-safety:</b> not thread-safe; Spring binds it once.
 */
public class RateLimitsProperties {

    /** Where the limits start from. */
    public enum Base {
        /** {@code RateLimits.defaults()}. */
        DEFAULTS,
        /** {@code RateLimits.unlimited()}. */
        UNLIMITED
    }

    /** The limits every scope not set here keeps: defaults or unlimited. */
    private Base base = Base.DEFAULTS;
    /** Sends through the widget that a paid channel (SMS, a call, WhatsApp) may carry, each {@code count/window}. */
    private List<String> perWidget;
    /** Sends through the widget that only free channels (email) carry, each {@code count/window}; empty for none. */
    private List<String> perWidgetFree;
    /** Sends from one IP (an IPv6 /64). */
    private List<String> perIp;
    /** Sends from one IPv6 network (a /48). */
    private List<String> perIpNetwork;
    /** Sends to one recipient address. */
    private List<String> perRecipient;
    /** The least time between two sends to one address; 0s for none. */
    private Duration resendCooldown;
    /** Verifications from one IP. */
    private List<String> verifyPerIp;
    /** Verifications from one IPv6 network. */
    private List<String> verifyPerIpNetwork;
    /** Wrong guesses for one recipient address, across its codes. */
    private List<String> verifyFailuresPerRecipient;
    /** The prefix IPv6 addresses count by for the per-IP limits; 64 unless set. */
    private Integer ipv6Prefix;
    /** The prefix IPv6 addresses count by for the per-network limits; 48 unless set. */
    private Integer ipv6NetworkPrefix;
    /** The toll-fraud guard; each setting not given keeps the base's (or, over {@code unlimited}, the defaults'). */
    private CountryConversion countryConversion;

    /**
     * The toll-fraud guard ({@code dev.otpengine.ConversionGuard}) as properties.
     *
     * <p><b>Thread-safety:</b> not thread-safe; Spring binds it once.
     */
    public static class CountryConversion {

        /** Whether the guard is on; on unless set to false (over {@code base: unlimited}, on once any setting is given). */
        private boolean enabled = true;
        /** How many unverified sends a range of numbers may have in a window before it is cut off; 50 unless set. */
        private Integer minSends;
        /** The share of sends that must come back verified, above 0 and at most 1; 0.2 unless set. */
        private Double minVerifiedShare;
        /** The sliding window; 1d unless set. */
        private Duration window;
        /** Country calling codes never judged. */
        private List<Integer> trustedCallingCodes = new ArrayList<>();
        /** How long a phone that verified a code is let through a cut-off; 30d unless set. */
        private Duration rememberVerified;
        /** Regions (ISO 3166-1 alpha-2, such as CA or GG) never judged, for territories that share a calling code. */
        private List<String> trustedRegions = new ArrayList<>();
        /** How many leading digits of a national number make its range; 4 unless set. */
        private Integer rangeDigits;
        /** How many unverified sends a region may have in a window, over all its ranges; 10 x min-sends unless set. */
        private Integer regionSends;
        /**
         * Whether a cut-off send is refused (429, scope COUNTRY_CONVERSION) rather than withheld (answered as sent,
         * delivered to no one); false unless set. A refusal tells anyone which phones verified lately.
         */
        private boolean refuseOpenly;

        /** @return {@link #trustedRegions} */
        public List<String> getTrustedRegions() {
            return trustedRegions;
        }

        /** @param trustedRegions {@link #trustedRegions} */
        public void setTrustedRegions(List<String> trustedRegions) {
            this.trustedRegions = new ArrayList<>(trustedRegions);
        }

        /** @return {@link #rangeDigits} */
        public Integer getRangeDigits() {
            return rangeDigits;
        }

        /** @param rangeDigits {@link #rangeDigits} */
        public void setRangeDigits(Integer rangeDigits) {
            this.rangeDigits = rangeDigits;
        }

        /** @return {@link #regionSends} */
        public Integer getRegionSends() {
            return regionSends;
        }

        /** @param regionSends {@link #regionSends} */
        public void setRegionSends(Integer regionSends) {
            this.regionSends = regionSends;
        }

        /** @return {@link #refuseOpenly} */
        public boolean isRefuseOpenly() {
            return refuseOpenly;
        }

        /** @param refuseOpenly {@link #refuseOpenly} */
        public void setRefuseOpenly(boolean refuseOpenly) {
            this.refuseOpenly = refuseOpenly;
        }

        /**
         * Whether the guard is on; on unless set to false (over {@code base: unlimited}, on once any setting is
         * given).
         *
         * @return {@link #enabled}
         */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled {@link #enabled} */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * How many unverified sends a country may have in a window before it is cut off; 50 unless set.
         *
         * @return {@link #minSends}
         */
        public Integer getMinSends() {
            return minSends;
        }

        /** @param minSends {@link #minSends} */
        public void setMinSends(Integer minSends) {
            this.minSends = minSends;
        }

        /**
         * The share of sends that must come back verified, above 0 and at most 1; 0.2 unless set.
         *
         * @return {@link #minVerifiedShare}
         */
        public Double getMinVerifiedShare() {
            return minVerifiedShare;
        }

        /** @param minVerifiedShare {@link #minVerifiedShare} */
        public void setMinVerifiedShare(Double minVerifiedShare) {
            this.minVerifiedShare = minVerifiedShare;
        }

        /**
         * The sliding window; 1d unless set.
         *
         * @return {@link #window}
         */
        public Duration getWindow() {
            return window;
        }

        /** @param window {@link #window} */
        public void setWindow(Duration window) {
            this.window = window;
        }

        /**
         * Country calling codes never judged.
         *
         * @return {@link #trustedCallingCodes}
         */
        public List<Integer> getTrustedCallingCodes() {
            return trustedCallingCodes;
        }

        /** @param trustedCallingCodes {@link #trustedCallingCodes} */
        public void setTrustedCallingCodes(List<Integer> trustedCallingCodes) {
            this.trustedCallingCodes = new ArrayList<>(trustedCallingCodes);
        }

        /**
         * How long a phone that verified a code is let through a cut-off; 30d unless set.
         *
         * @return {@link #rememberVerified}
         */
        public Duration getRememberVerified() {
            return rememberVerified;
        }

        /** @param rememberVerified {@link #rememberVerified} */
        public void setRememberVerified(Duration rememberVerified) {
            this.rememberVerified = rememberVerified;
        }
    }

    /**
     * The toll-fraud guard; each setting not given keeps the base's (or, over {@code unlimited}, the defaults').
     *
     * @return {@link #countryConversion}
     */
    public CountryConversion getCountryConversion() {
        return countryConversion;
    }

    /** @param countryConversion {@link #countryConversion} */
    public void setCountryConversion(CountryConversion countryConversion) {
        this.countryConversion = countryConversion;
    }

    /**
     * The limits every scope not set here keeps: defaults or unlimited.
     *
     * @return {@link #base}
     */
    public Base getBase() {
        return base;
    }

    /** @param base {@link #base} */
    public void setBase(Base base) {
        this.base = base;
    }

    /**
     * Sends through the widget that only free channels (email) carry, each {@code count/window}; empty for none.
     *
     * @return {@link #perWidgetFree}
     */
    public List<String> getPerWidgetFree() {
        return perWidgetFree;
    }

    /** @param perWidgetFree {@link #perWidgetFree} */
    public void setPerWidgetFree(List<String> perWidgetFree) {
        this.perWidgetFree = new ArrayList<>(perWidgetFree);
    }

    /**
     * Sends through the widget that a paid channel (SMS, a call, WhatsApp) may carry, each {@code count/window}.
     *
     * @return {@link #perWidget}
     */
    public List<String> getPerWidget() {
        return perWidget;
    }

    /** @param perWidget {@link #perWidget} */
    public void setPerWidget(List<String> perWidget) {
        this.perWidget = new ArrayList<>(perWidget);
    }

    /**
     * Sends from one IP (an IPv6 /64).
     *
     * @return {@link #perIp}
     */
    public List<String> getPerIp() {
        return perIp;
    }

    /** @param perIp {@link #perIp} */
    public void setPerIp(List<String> perIp) {
        this.perIp = new ArrayList<>(perIp);
    }

    /**
     * Sends from one IPv6 network (a /48).
     *
     * @return {@link #perIpNetwork}
     */
    public List<String> getPerIpNetwork() {
        return perIpNetwork;
    }

    /** @param perIpNetwork {@link #perIpNetwork} */
    public void setPerIpNetwork(List<String> perIpNetwork) {
        this.perIpNetwork = new ArrayList<>(perIpNetwork);
    }

    /**
     * Sends to one recipient address.
     *
     * @return {@link #perRecipient}
     */
    public List<String> getPerRecipient() {
        return perRecipient;
    }

    /** @param perRecipient {@link #perRecipient} */
    public void setPerRecipient(List<String> perRecipient) {
        this.perRecipient = new ArrayList<>(perRecipient);
    }

    /**
     * The least time between two sends to one address; 0s for none.
     *
     * @return {@link #resendCooldown}
     */
    public Duration getResendCooldown() {
        return resendCooldown;
    }

    /** @param resendCooldown {@link #resendCooldown} */
    public void setResendCooldown(Duration resendCooldown) {
        this.resendCooldown = resendCooldown;
    }

    /**
     * Verifications from one IP.
     *
     * @return {@link #verifyPerIp}
     */
    public List<String> getVerifyPerIp() {
        return verifyPerIp;
    }

    /** @param verifyPerIp {@link #verifyPerIp} */
    public void setVerifyPerIp(List<String> verifyPerIp) {
        this.verifyPerIp = new ArrayList<>(verifyPerIp);
    }

    /**
     * Verifications from one IPv6 network.
     *
     * @return {@link #verifyPerIpNetwork}
     */
    public List<String> getVerifyPerIpNetwork() {
        return verifyPerIpNetwork;
    }

    /** @param verifyPerIpNetwork {@link #verifyPerIpNetwork} */
    public void setVerifyPerIpNetwork(List<String> verifyPerIpNetwork) {
        this.verifyPerIpNetwork = new ArrayList<>(verifyPerIpNetwork);
    }

    /**
     * Wrong guesses for one recipient address, across its codes.
     *
     * @return {@link #verifyFailuresPerRecipient}
     */
    public List<String> getVerifyFailuresPerRecipient() {
        return verifyFailuresPerRecipient;
    }

    /** @param verifyFailuresPerRecipient {@link #verifyFailuresPerRecipient} */
    public void setVerifyFailuresPerRecipient(List<String> verifyFailuresPerRecipient) {
        this.verifyFailuresPerRecipient = new ArrayList<>(verifyFailuresPerRecipient);
    }

    /**
     * The prefix IPv6 addresses count by for the per-IP limits; 64 unless set.
     *
     * @return {@link #ipv6Prefix}
     */
    public Integer getIpv6Prefix() {
        return ipv6Prefix;
    }

    /** @param ipv6Prefix {@link #ipv6Prefix} */
    public void setIpv6Prefix(Integer ipv6Prefix) {
        this.ipv6Prefix = ipv6Prefix;
    }

    /**
     * The prefix IPv6 addresses count by for the per-network limits; 48 unless set.
     *
     * @return {@link #ipv6NetworkPrefix}
     */
    public Integer getIpv6NetworkPrefix() {
        return ipv6NetworkPrefix;
    }

    /** @param ipv6NetworkPrefix {@link #ipv6NetworkPrefix} */
    public void setIpv6NetworkPrefix(Integer ipv6NetworkPrefix) {
        this.ipv6NetworkPrefix = ipv6NetworkPrefix;
    }
}
