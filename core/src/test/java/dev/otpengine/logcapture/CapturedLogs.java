package dev.otpengine.logcapture;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every line logged through SLF4J during the tests, at every level: the test SLF4J provider writes here.
 * Each entry is the formatted message followed by the full text of its throwable, if any.
 */
public final class CapturedLogs {

    private static final List<String> LINES = new CopyOnWriteArrayList<>();

    private CapturedLogs() {
    }

    static void add(String line) {
        LINES.add(line);
    }

    /** @return how many lines were logged so far; pass it to {@link #since} */
    public static int mark() {
        return LINES.size();
    }

    /**
     * The lines logged after a mark.
     *
     * @param mark a value of {@link #mark()}
     * @return the lines, oldest first
     */
    public static List<String> since(int mark) {
        return List.copyOf(LINES.subList(mark, LINES.size()));
    }
}
