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

/**
 * A tiny SMTP peer for the failures GreenMail does not produce: it greets (or, when hanging, never does), accepts
 * EHLO and MAIL FROM, and answers RCPT TO with a reply the test chooses.
 */
final class ScriptedSmtpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Thread thread;

    private ScriptedSmtpServer(String rcptReply, boolean greet) {
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
                    } else {
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
