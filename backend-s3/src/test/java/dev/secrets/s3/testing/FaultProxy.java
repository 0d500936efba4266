package dev.secrets.s3.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of an S3 server that injects real network-level faults into the next
 * requests: an HTTP {@code 503 SlowDown} or {@code 500 InternalError} answered in the server's
 * place, or a request whose body is cut off half-way (both connections closed). Requests after the
 * faults are forwarded byte for byte (signatures stay valid: the client signed for the proxy's
 * host and port, and the server checks what it receives).
 *
 * <p>Thread-safe; one thread per connection; {@link #close()} stops it.
 */
public final class FaultProxy implements AutoCloseable {
    /** What happens to a faulted request. */
    public enum Fault {
        SLOW_DOWN(503, "Slow Down", "SlowDown", "Please reduce your request rate."),
        INTERNAL_ERROR(500, "Internal Server Error", "InternalError", "We encountered an internal error. Please try again."),
        CUT_BODY(0, null, null, null);

        final int status;
        final String reason;
        final String code;
        final String message;

        Fault(int status, String reason, String code, String message) {
            this.status = status;
            this.reason = reason;
            this.code = code;
            this.message = message;
        }
    }

    private final ServerSocket server;
    private final int upstreamPort;
    private final AtomicInteger faultsLeft = new AtomicInteger();
    private final AtomicInteger faulted = new AtomicInteger();
    private volatile Fault fault = Fault.SLOW_DOWN;
    private volatile boolean closed;

    public FaultProxy(int upstreamPort) {
        this.upstreamPort = upstreamPort;
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread t = new Thread(this::acceptLoop, "fault-proxy-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The endpoint URL of this proxy. */
    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    /** The next {@code count} requests (on new connections) get {@code fault}; later ones are forwarded. */
    public void failNext(Fault fault, int count) {
        this.fault = fault;
        faulted.set(0);
        faultsLeft.set(count);
    }

    /** How many requests got a fault since the last {@link #failNext}. */
    public int faulted() {
        return faulted.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> handle(client), "fault-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            if (head == null) {
                return;
            }
            String headText = new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            long length = contentLength(headText);
            boolean expectContinue = headText.contains("\r\nexpect: 100-continue");
            if (faultsLeft.getAndDecrement() > 0) {
                faulted.incrementAndGet();
                Fault f = fault;
                if (f == Fault.CUT_BODY) {
                    cut(client, head, length);
                    return;
                }
                if (!expectContinue) {
                    in.readNBytes((int) Math.min(length, Integer.MAX_VALUE));
                }
                byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + f.code + "</Code><Message>" + f.message
                        + "</Message><RequestId>fault-proxy</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
                OutputStream out = client.getOutputStream();
                out.write(("HTTP/1.1 " + f.status + " " + f.reason + "\r\nContent-Type: application/xml\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                return;
            }
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
                upstream.getOutputStream().write(head);
                Thread back = pipe(upstream.getInputStream(), client.getOutputStream());
                in.transferTo(upstream.getOutputStream());
                upstream.shutdownOutput();
                back.join();
            }
        } catch (IOException | InterruptedException e) {
            // a closed connection ends the exchange; the client sees what a real network would show
        }
    }

    /** Sends the head and half the body to the server, then drops both connections. */
    private void cut(Socket client, byte[] head, long length) throws IOException {
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            upstream.getOutputStream().write(head);
            pipe(upstream.getInputStream(), client.getOutputStream()); // relays a 100 Continue, if asked for
            byte[] half = client.getInputStream().readNBytes((int) (length / 2));
            upstream.getOutputStream().write(half);
            upstream.getOutputStream().flush();
            upstream.setSoLinger(true, 0);
            client.setSoLinger(true, 0);
        }
    }

    private static Thread pipe(InputStream from, OutputStream to) {
        Thread t = new Thread(() -> {
            try {
                from.transferTo(to);
                to.flush();
            } catch (IOException e) {
                // the other side closed
            }
        }, "fault-proxy-pipe");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int state = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            buf.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (state == 4) {
                return buf.toByteArray();
            }
        }
    }

    private static long contentLength(String head) {
        int i = head.indexOf("\r\ncontent-length:");
        if (i < 0) {
            return 0;
        }
        int end = head.indexOf("\r\n", i + 2);
        return Long.parseLong(head.substring(i + "\r\ncontent-length:".length(), end).trim());
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
