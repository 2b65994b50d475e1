package dev.otpengine.spring.boot;

import dev.otpengine.InvalidRequestException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Caps the body of the engine's endpoints at {@value #MAX_BODY_BYTES} bytes (a real one is under 1 KB) before any JSON
 * parser reads it: a body that says it is longer is refused at once, and one that turns out longer (chunked, or lying
 * about its length) stops being read at the cap. Either way the client gets a 400 in the engine's shape, and no
 * client can make the application hold megabytes per request.
 *
 * <p><b>Thread-safety:</b> thread-safe: it keeps no state.
 */
public class BodyLimitFilter extends OncePerRequestFilter {

    /** The most bytes a body of the engine's endpoints may have: {@value}. */
    public static final int MAX_BODY_BYTES = 16 * 1024;

    /** Made by the auto-configuration, for the engine's endpoints only. */
    public BodyLimitFilter() {
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            InvalidRequestException e = tooLarge();
            response.setStatus(e.httpStatus());
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write(e.toJson());
            return;
        }
        chain.doFilter(new Capped(request), response);
    }

    static InvalidRequestException tooLarge() {
        return new InvalidRequestException("body", "body must be at most " + MAX_BODY_BYTES + " bytes");
    }

    /** The request, its body readable up to the cap; past it, reading fails. */
    private static final class Capped extends HttpServletRequestWrapper {

        Capped(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream in = super.getInputStream();
            return new ServletInputStream() {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = in.read();
                    if (b >= 0 && ++read > MAX_BODY_BYTES) {
                        throw new IOException("body must be at most " + MAX_BODY_BYTES + " bytes");
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = in.read(buffer, offset, length);
                    if (n > 0 && (read += n) > MAX_BODY_BYTES) {
                        throw new IOException("body must be at most " + MAX_BODY_BYTES + " bytes");
                    }
                    return n;
                }

                @Override
                public boolean isFinished() {
                    return in.isFinished();
                }

                @Override
                public boolean isReady() {
                    return in.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    in.setReadListener(listener);
                }
            };
        }

        @Override
        public BufferedReader getReader() throws IOException {
            return new BufferedReader(new InputStreamReader(getInputStream(), getCharacterEncoding() == null
                    ? StandardCharsets.UTF_8.name() : getCharacterEncoding()));
        }
    }
}
