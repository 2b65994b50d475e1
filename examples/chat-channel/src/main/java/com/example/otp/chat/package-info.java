/**
 * An example channel plugin: {@link com.example.otp.chat.ChatChannelProvider} makes a channel with id {@code chat}
 * that posts each code to a chat bot's webhook, for recipients with a {@code chat} address.
 */
package com.example.otp.chat;
