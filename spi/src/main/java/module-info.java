/**
 * What a channel plugin implements and sees. Depends on the JDK only.
 */
module dev.otpengine.spi {
    exports dev.otpengine.spi;
}
