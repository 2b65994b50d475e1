package dev.otpengine.channels.email;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny SMTP peer for what GreenMail does not show: it greets (or, when hanging, never does), accepts EHLO and
 * MAIL FROM, and answers RCPT TO with a reply the test chooses; an accepting one takes messages too, counts the NOOPs
 * and messages it gets, and can hang up after each message, as a server that drops idle connections does. It serves
 * one connection at a time.
 */
final class ScriptedSmtpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Thread thread;
    private final boolean dropAfterMessage;
    private final AtomicInteger noops = new AtomicInteger();
    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();

    private ScriptedSmtpServer(String rcptReply, boolean greet) {
        this(rcptReply, greet, false);
    }

    private ScriptedSmtpServer(String rcptReply, boolean greet, boolean dropAfterMessage) {
        this.dropAfterMessage = dropAfterMessage;
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(() -> serve(rcptReply, greet), "scripted-smtp");
        thread.setDaemon(true);
        thread.start();
    }

    /** Answers every RCPT TO with this reply, such as {@code "550 5.1.1 no such user"}. */
    static ScriptedSmtpServer rejectingRecipientsWith(String reply) {
        return new ScriptedSmtpServer(reply, true);
    }

    /** Accepts every message; with {@code dropAfterMessage}, hangs up right after each one it accepted. */
    static ScriptedSmtpServer accepting(boolean dropAfterMessage) {
        return new ScriptedSmtpServer("250 OK", true, dropAfterMessage);
    }

    /** @return the NOOP commands received so far */
    int noops() {
        return noops.get();
    }

    /** @return the messages accepted so far */
    int messages() {
        return messages.get();
    }

    /** @return the connections accepted so far */
    int connections() {
        return connections.get();
    }

    /** Accepts connections and never says a word. */
    static ScriptedSmtpServer hanging() {
        return new ScriptedSmtpServer(null, false);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve(String rcptReply, boolean greet) {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                connections.incrementAndGet();
                if (!greet) {
                    client.getInputStream().read(); // holds the connection open until the client gives up
                    continue;
                }
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = client.getOutputStream();
                write(out, "220 scripted ESMTP");
                String line;
                while ((line = in.readLine()) != null) {
                    String command = line.toUpperCase(Locale.ROOT);
                    if (command.startsWith("EHLO") || command.startsWith("HELO")) {
                        write(out, "250 scripted");
                    } else if (command.startsWith("MAIL FROM")) {
                        write(out, "250 OK");
                    } else if (command.startsWith("RCPT TO")) {
                        write(out, rcptReply);
                    } else if (command.startsWith("QUIT")) {
                        write(out, "221 bye");
                        break;
                    } else if (command.startsWith("DATA")) {
                        write(out, "354 go ahead");
                        while ((line = in.readLine()) != null && !line.equals(".")) {
                            // the message itself
                        }
                        messages.incrementAndGet();
                        write(out, "250 OK queued");
                        if (dropAfterMessage) {
                            break; // hang up without a word, as a server closing an idle connection does
                        }
                    } else {
                        if (command.startsWith("NOOP")) {
                            noops.incrementAndGet();
                        }
                        write(out, "250 OK"); // RSET, NOOP
                    }
                }
            } catch (IOException e) {
                // the client went away, or the server was closed
            }
        }
    }

    private static void write(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
