package dev.otpengine.bench;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A data source that counts what its connections send to the server: round trips (each {@code execute*}, each
 * {@code commit}/{@code rollback}) and SQL statements by their first word (a multi-statement string counts each;
 * a transaction's {@code BEGIN}, which the driver sends with its first statement, counts as a statement, not a round
 * trip).
 */
final class CountingDataSource {

    final AtomicLong roundTrips = new AtomicLong();
    private final Map<String, AtomicLong> statements = new TreeMap<>();

    DataSource wrap(DataSource inner) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (p, m, a) -> {
                    Object r = call(inner, m, a);
                    return m.getName().equals("getConnection") ? connection((Connection) r) : r;
                });
    }

    private Connection connection(Connection inner) {
        boolean[] inTransaction = {false};
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (p, m, a) -> {
                    switch (m.getName()) {
                        case "setAutoCommit":
                            inTransaction[0] = !(Boolean) a[0];
                            break;
                        case "commit":
                        case "rollback":
                            roundTrips.incrementAndGet();
                            count(m.getName().toUpperCase(java.util.Locale.ROOT));
                            count("BEGIN");
                            break;
                        default:
                            break;
                    }
                    Object r = call(inner, m, a);
                    if (r instanceof Statement) {
                        String sql = a != null && a.length > 0 && a[0] instanceof String ? (String) a[0] : null;
                        return statement((Statement) r, sql, m.getReturnType());
                    }
                    return r;
                });
    }

    private Object statement(Statement inner, String prepared, Class<?> type) {
        InvocationHandler h = (p, m, a) -> {
            if (m.getName().startsWith("execute")) {
                roundTrips.incrementAndGet();
                String sql = prepared != null ? prepared : (String) a[0];
                for (String one : sql.split(";")) {
                    if (!one.isBlank()) {
                        count(one.trim().split("\\s+")[0].toUpperCase(java.util.Locale.ROOT));
                    }
                }
            }
            return call(inner, m, a);
        };
        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, h);
    }

    private synchronized void count(String word) {
        statements.computeIfAbsent(word, w -> new AtomicLong()).incrementAndGet();
    }

    synchronized Map<String, Long> statements() {
        Map<String, Long> copy = new TreeMap<>();
        statements.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    synchronized void reset() {
        statements.clear();
        roundTrips.set(0);
    }

    private static Object call(Object target, java.lang.reflect.Method m, Object[] a) throws Throwable {
        try {
            return m.invoke(target, a);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
