package org.proxyinfo.learn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * When has a system under learning said everything it is going to say in answer to an input? A
 * peer that stays silent must be told apart from a slow one without waiting a fixed timeout after
 * every input (that would make learning take hours).
 * <ul>
 *   <li>{@link InProcess}: the roles run in this JVM, in one thread group. The system is quiet when
 *       every thread of the group is blocked (waiting for socket input, a lock or another thread,
 *       not sleeping) and no byte is waiting unread in a kernel receive queue of the system's
 *       loopback sockets ({@code /proc/net/tcp}, whose rx_queue of a listening socket is its accept
 *       backlog) and none is still in flight (tx_queue: sent, not yet acknowledged; on a loaded machine
 *       loopback delivery can lag behind the sender's write). The threads are checked three times in a row, 1 ms
 *       apart, and the socket table at the third (reading it is the costly part: the kernel walks its whole TCP hash
 *       table), only the table of the JVM's socket family.</li>
 *   <li>{@link ExternalProcess}: an external single-process peer (openssl s_server) on Linux: the same
 *       check with the process's threads in place of the thread group: every task of the process is
 *       blocked in a system call that waits for input ({@code /proc/PID/task/TID/syscall}: read, select,
 *       poll, accept and their variants) at three checks 1 ms apart, and at the third no byte is unread or in flight
 *       on its ports (the table of its socket family only).</li>
 *   <li>{@link Silence}: an external peer elsewhere: quiet after {@code millis} without a byte. A time
 *       window: on a loaded machine a late first answer reads as silence (LearnLib's cache then reports
 *       the nondeterminism as a ConflictException).</li>
 * </ul>
 */
public interface Quiescence {
    /** Waits until the system is quiet or {@code capMillis} passed; false if it never became quiet. */
    boolean await(int ownLocalPort, long capMillis);

    /** Read timeout per attempt while collecting the answer (small for in-process, the silence window otherwise). */
    int readTimeoutMillis();

    /** Roles in this JVM, in {@code group}, listening or connected on {@code ports}. */
    final class InProcess implements Quiescence {
        final ThreadGroup group;
        public final Set<Integer> ports;

        public InProcess(ThreadGroup group, Set<Integer> ports) {
            this.group = group;
            this.ports = ports;
            this.tables = new SocketTables(ports);
        }

        @Override public int readTimeoutMillis() {
            return 2;
        }

        private final SocketTables tables;

        /**
         * Quiet: every thread blocked at three checks 1 ms apart, and at the third no byte unread or in flight on the
         * system's sockets ({@link #settledThenNothingQueued}).
         */
        @Override public boolean await(int ownLocalPort, long capMillis) {
            return settledThenNothingQueued(this::threadsBlocked, tables, ownLocalPort, capMillis);
        }

        boolean threadsBlocked() {
            Thread[] ts = new Thread[group.activeCount() + 32];
            int n = group.enumerate(ts, true);
            for (int i = 0; i < n; i++) {
                if (!blocked(ts[i])) {
                    return false;
                }
            }
            return true;
        }

        static boolean blocked(Thread t) {
            Thread.State st = t.getState();
            if (st == Thread.State.TERMINATED || st == Thread.State.NEW) {
                return st == Thread.State.TERMINATED;
            }
            StackTraceElement[] s = t.getStackTrace();
            if (st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING || st == Thread.State.BLOCKED) {
                return !(s.length > 0 && s[0].getClassName().equals("java.lang.Thread") && s[0].getMethodName().startsWith("sleep"));
            }
            // a socket read, accept or connect waiting in the kernel: poll(2) for reads with a timeout,
            // accept(2) or read(2) in blocking mode otherwise
            return s.length > 0 && s[0].isNativeMethod() && s[0].getClassName().startsWith("sun.nio.ch.")
                    && (s[0].getMethodName().equals("poll") || s[0].getMethodName().startsWith("accept")
                    || s[0].getMethodName().startsWith("read") || s[0].getMethodName().startsWith("connect"));
        }
    }

    /** Polls {@code quiet} every millisecond until it holds three times in a row (true) or {@code capMillis} passed (false). */
    public static boolean awaitQuiet(java.util.function.BooleanSupplier quiet, long capMillis) {
        long deadline = System.nanoTime() + capMillis * 1_000_000L;
        int quietInARow = 0;
        while (System.nanoTime() < deadline) {
            if (quiet.getAsBoolean()) {
                if (++quietInARow >= 3) {
                    return true;
                }
            } else {
                quietInARow = 0;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /**
     * Quiet: {@code settled} (the peer's threads or tasks all waiting for input) holds at three checks 1 ms apart, and
     * at the third no byte is unread or in flight on the peer's sockets. The socket table is read only once the peer
     * looks settled (a read costs the kernel a walk of the whole TCP hash table): a byte sent at any point is either
     * still queued at that read, or has woken its reader, which is then not waiting at one of the checks around it.
     */
    static boolean settledThenNothingQueued(java.util.function.BooleanSupplier settled, SocketTables tables,
                                            int ownLocalPort, long capMillis) {
        int[] settledInARow = {0};
        return awaitQuiet(() -> {
            if (!settled.getAsBoolean()) {
                settledInARow[0] = 0;
                return false;
            }
            if (++settledInARow[0] < 3) return true;
            if (bytesQueued(tables.get(), tables.ports, ownLocalPort)) {
                settledInARow[0] = 0;
                return false;
            }
            return true;
        }, capMillis);
    }

    /**
     * The socket tables that hold a peer's sockets: the sockets of one process are all of one family (dual-stack
     * IPv6, or IPv4 where IPv6 is off or preferIPv4Stack is set), so after the first look only that table is read.
     */
    final class SocketTables {
        final Set<Integer> ports;
        private volatile List<String> found;

        SocketTables(Set<Integer> ports) {
            this.ports = ports;
        }

        List<String> get() {
            List<String> t = found;
            if (t == null) {
                List<String> holding = new java.util.ArrayList<>();
                for (String f : TABLES) {
                    if (holdsAny(f, ports)) holding.add(f);
                }
                // none found (no socket open yet): keep reading both, and look again next time
                t = holding.isEmpty() ? TABLES : List.copyOf(holding);
                if (!holding.isEmpty()) found = t;
            }
            return t;
        }
    }

    /** The kernel's TCP socket tables, IPv4 and IPv6. */
    List<String> TABLES = List.of("/proc/net/tcp", "/proc/net/tcp6");

    /** True if {@code table} lists a socket whose local port is one of {@code ports}. */
    static boolean holdsAny(String table, Set<Integer> ports) {
        for (String[] col : rows(table)) {
            if (ports.contains(port(col[1]))) return true;
        }
        return false;
    }

    /** The socket rows of a /proc/net/tcp-style table, split into columns (at least 5); none if it cannot be read. */
    static List<String[]> rows(String table) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(table));
        } catch (IOException e) {
            return List.of();
        }
        List<String[]> out = new java.util.ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] col = lines.get(i).trim().split("\\s+");
            if (col.length >= 5) out.add(col);
        }
        return out;
    }

    /**
     * True while a byte is unread in a kernel receive queue of a socket on {@code ports} in {@code tables} (a listening
     * socket's rx_queue is its accept backlog; the learner's own socket, {@code ownLocalPort}, is excepted: it reads
     * later) or still in flight (tx_queue: sent, not yet acknowledged).
     */
    static boolean bytesQueued(List<String> tables, Set<Integer> ports, int ownLocalPort) {
        for (String f : tables) {
            for (String[] col : rows(f)) {
                int local = port(col[1]);
                int remote = port(col[2]);
                if (!(ports.contains(local) || ports.contains(remote) || local == ownLocalPort)) {
                    continue;
                }
                int colon = col[4].indexOf(':');
                long tx = Long.parseLong(col[4].substring(0, colon), 16);
                long rx = Long.parseLong(col[4].substring(colon + 1), 16);
                // rx: bytes waiting for a reader (the learner's own socket excepted: it reads later);
                // tx: bytes sent and not yet acknowledged, i.e. still on their way through loopback
                if (tx != 0 || (rx != 0 && local != ownLocalPort)) {
                    return true;
                }
            }
        }
        return false;
    }

    public static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16);
    }

    /**
     * An external single-process peer (openssl s_server) on Linux x86_64 or aarch64: quiet when every task of
     * the process waits in a system call for input and no byte is unread or in flight on {@code ports}. Exact,
     * like {@link InProcess}: no time window that a loaded machine can overrun.
     */
    final class ExternalProcess implements Quiescence {
        final long pid;
        final Set<Integer> ports;
        final Set<Integer> waitingSyscalls;
        private final SocketTables tables;

        public ExternalProcess(long pid, Set<Integer> ports) {
            this.pid = pid;
            this.ports = ports;
            this.tables = new SocketTables(ports);
            this.waitingSyscalls = waitingSyscalls();
            if (waitingSyscalls == null) {
                throw new IllegalStateException("no system call table for " + System.getProperty("os.arch"));
            }
        }

        /** Whether this machine lets the learner see what a process waits in (Linux, /proc, x86_64 or aarch64). */
        public static boolean supported() {
            return waitingSyscalls() != null && Files.isReadable(Path.of("/proc/self/syscall"));
        }

        /** The system calls in which a process waits for input: read, recvfrom, accept, select, poll and their variants. */
        static Set<Integer> waitingSyscalls() {
            switch (System.getProperty("os.arch")) {
                case "amd64":
                case "x86_64":
                    // read, poll, select, recvfrom, accept, epoll_wait, pselect6, ppoll, epoll_pwait, accept4
                    return Set.of(0, 7, 23, 45, 43, 232, 270, 271, 281, 288);
                case "aarch64":
                    // read, pselect6, ppoll, epoll_pwait, accept, recvfrom, accept4
                    return Set.of(63, 72, 73, 22, 202, 207, 242);
                default:
                    return null;
            }
        }

        @Override public int readTimeoutMillis() {
            return 2;
        }

        /** Quiet: every task waiting in a system call for input at three checks 1 ms apart, then nothing queued. */
        @Override public boolean await(int ownLocalPort, long capMillis) {
            return settledThenNothingQueued(this::processWaiting, tables, ownLocalPort, capMillis);
        }

        /** Every task of the process is blocked in a waiting system call ("running" or another call: still at work). */
        boolean processWaiting() {
            Path tasks = Path.of("/proc/" + pid + "/task");
            try (java.util.stream.Stream<Path> ts = Files.list(tasks)) {
                for (Path t : (Iterable<Path>) ts::iterator) {
                    String call;
                    try {
                        call = Files.readString(t.resolve("syscall")).trim();
                    } catch (IOException e) {
                        continue; // the task has ended
                    }
                    int space = call.indexOf(' ');
                    String nr = space < 0 ? call : call.substring(0, space);
                    if (!nr.chars().allMatch(Character::isDigit) || !waitingSyscalls.contains(Integer.parseInt(nr))) {
                        return false;
                    }
                }
                return true;
            } catch (IOException e) {
                return true; // the process has ended: it will say nothing more
            }
        }
    }

    /** An external peer: quiet after this many milliseconds without a byte. */
    final class Silence implements Quiescence {
        final int millis;

        public Silence(int millis) {
            this.millis = millis;
        }

        @Override public int readTimeoutMillis() {
            return millis;
        }

        @Override public boolean await(int ownLocalPort, long capMillis) {
            return true;
        }
    }
}
