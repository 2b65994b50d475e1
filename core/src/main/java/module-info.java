/**
 * The otpengine core: {@link dev.otpengine.OtpEngine} and its API. Channel plugins are found with
 * {@link java.util.ServiceLoader} as {@link dev.otpengine.spi.ChannelProvider}s.
 */
module dev.otpengine {
    requires transitive dev.otpengine.spi;
    requires com.github.benmanes.caffeine;
    // The store seam names Bucket4j's ProxyManager and TimeMeter, so a store module reads Bucket4j too.
    requires transitive io.github.bucket4j.core; // an automatic module: Bucket4j ships no module-info
    requires org.slf4j;

    exports dev.otpengine;
    exports dev.otpengine.store;
    exports dev.otpengine.store.support;

    uses dev.otpengine.spi.ChannelProvider;
}
