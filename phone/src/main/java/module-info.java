/**
 * One reading of phone numbers for every phone channel: {@link dev.otpengine.phone.PhoneNumbers} reads a number,
 * {@link dev.otpengine.phone.PhoneReader} reads it for a channel that takes some number types. libphonenumber stays
 * inside: none of its types is in the exported API.
 */
module dev.otpengine.phone {
    requires transitive dev.otpengine.spi; // PhoneReader returns the SPI's AddressReading
    requires com.google.i18n.phonenumbers.libphonenumber; // automatic module

    exports dev.otpengine.phone;
}
