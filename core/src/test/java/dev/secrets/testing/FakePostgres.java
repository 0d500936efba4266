package dev.secrets.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The attacker's "database" on 127.0.0.1: speaks just enough of the PostgreSQL protocol to ask a
 * client for its password in cleartext (as a real server may, and pgJDBC complies), records it,
 * and refuses the login. Shows whether a credential would reach a host the attacker chose.
 */
public final class FakePostgres implements AutoCloseable {
    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;

    private final ServerSocket server;
    private final Thread acceptor;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> passwords = new CopyOnWriteArrayList<>();

    public FakePostgres() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "fake-postgres");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Passwords clients sent. */
    public List<String> passwords() {
        return List.copyOf(passwords);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                connections.incrementAndGet();
                s.setSoTimeout(10_000);
                serve(s);
            } catch (IOException e) {
                // closed, or a client that went away
            }
        }
    }

    private void serve(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        while (true) {
            int len = in.readInt();
            int code = in.readInt();
            if (code == SSL_REQUEST || code == GSS_REQUEST) {
                out.write('N');
                out.flush();
                continue;
            }
            in.readFully(new byte[len - 8]); // the startup parameters (user, database)
            break;
        }
        out.write('R');
        out.writeInt(8);
        out.writeInt(3); // AuthenticationCleartextPassword
        out.flush();
        if (in.read() != 'p') {
            return;
        }
        byte[] body = new byte[in.readInt() - 4];
        in.readFully(body);
        passwords.add(new String(body, 0, body.length - 1, StandardCharsets.UTF_8));
        byte[] fields = "SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed\0\0".getBytes(StandardCharsets.US_ASCII);
        out.write('E');
        out.writeInt(fields.length + 4);
        out.write(fields);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
