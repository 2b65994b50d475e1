/**
 * One reading of phone numbers, shared by every phone channel so that they agree on a number whatever their order in
 * a widget: {@link dev.otpengine.phone.PhoneNumbers#read} gives a {@link dev.otpengine.phone.PhoneNumber} (the E.164
 * form, the country, the calling code and the {@link dev.otpengine.phone.NumberType}) or a refusal a requester can
 * act on; a {@link dev.otpengine.phone.PhoneReader} made once per channel also refuses the number types that channel
 * does not take ({@code "is a landline, which does not get codes by SMS"}) and turns the reading into the SPI's
 * {@link dev.otpengine.spi.AddressReading}, facts included. Backed by Google's libphonenumber, whose types stay inside
 * this package.
 */
package dev.otpengine.phone;
