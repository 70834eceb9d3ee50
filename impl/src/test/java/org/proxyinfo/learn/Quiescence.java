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
 *       loopback delivery can lag behind the sender's write). Checked three times in a row.</li>
 *   <li>{@link Silence}: an external peer (openssl): quiet after {@code millis} without a byte.</li>
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
        }

        @Override public int readTimeoutMillis() {
            return 2;
        }

        @Override public boolean await(int ownLocalPort, long capMillis) {
            long deadline = System.nanoTime() + capMillis * 1_000_000L;
            int quietInARow = 0;
            while (System.nanoTime() < deadline) {
                if (threadsBlocked() && !bytesQueued(ownLocalPort)) {
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

        boolean bytesQueued(int ownLocalPort) {
            for (String f : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(Path.of(f));
                } catch (IOException e) {
                    continue;
                }
                for (int i = 1; i < lines.size(); i++) {
                    String[] col = lines.get(i).trim().split("\\s+");
                    if (col.length < 5) {
                        continue;
                    }
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

        static int port(String address) {
            return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16);
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
