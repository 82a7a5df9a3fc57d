package io.warren.server.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Userspace TCP proxies for the links between a local pair's members, so that haproxy/pair.sh can cut a
 * member off and heal it. Each argument {@code name=listenHost:port>targetHost:port} is one directed link
 * (name "a-b": connections made by a to b); the link is cut while the file {@code DIR/cut/NAME} exists:
 * its open connections are closed and new ones are closed at once. Threads: one accept thread per link, two
 * pump threads per connection, one watcher.
 *
 * <p>Usage: {@code LinkProxies DIR link...}
 */
public final class LinkProxies {

    private record Link(String name, InetSocketAddress listen, InetSocketAddress target) {
    }

    private final Path cutDir;
    private final Set<String> cut = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Set<Socket>> open = new ConcurrentHashMap<>();

    private LinkProxies(Path cutDir) {
        this.cutDir = cutDir;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LinkProxies DIR name=listenHost:port>targetHost:port ...");
            System.exit(2);
        }
        LinkProxies proxies = new LinkProxies(Path.of(args[0]).resolve("cut"));
        Files.createDirectories(proxies.cutDir);
        List<Link> links = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String[] nameRest = args[i].split("=", 2);
            String[] ends = nameRest[1].split(">", 2);
            links.add(new Link(nameRest[0], address(ends[0]), address(ends[1])));
        }
        for (Link link : links) {
            proxies.serve(link);
        }
        proxies.watch();
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private void serve(Link link) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(link.listen());
        open.putIfAbsent(link.name(), ConcurrentHashMap.newKeySet());
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Socket client = server.accept();
                    if (cut.contains(link.name())) {
                        client.close();
                        continue;
                    }
                    connect(link, client);
                } catch (IOException e) {
                    System.err.println("link " + link.name() + ": " + e);
                }
            }
        }, "link-" + link.name() + "-" + link.listen().getPort());
        t.start();
    }

    private void connect(Link link, Socket client) {
        Thread t = new Thread(() -> {
            Socket upstream = new Socket();
            try {
                upstream.connect(link.target(), 2000);
            } catch (IOException e) {
                close(client);
                close(upstream);
                return;
            }
            Set<Socket> sockets = open.get(link.name());
            sockets.add(client);
            sockets.add(upstream);
            if (cut.contains(link.name())) { // cut while connecting
                close(client);
                close(upstream);
            }
            pump(client, upstream, sockets);
            pump(upstream, client, sockets);
        }, "link-" + link.name() + "-connect");
        t.setDaemon(true);
        t.start();
    }

    private static void pump(Socket from, Socket to, Set<Socket> sockets) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                }
            } catch (IOException ignored) {
                // either side closed
            } finally {
                close(from);
                close(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "link-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Applies the cut files every 50 ms. */
    private void watch() throws InterruptedException {
        while (true) {
            for (String name : open.keySet()) {
                boolean nowCut = Files.exists(cutDir.resolve(name));
                if (nowCut && cut.add(name)) {
                    for (Socket s : open.get(name)) {
                        close(s);
                    }
                    System.err.println("link " + name + " cut");
                } else if (!nowCut && cut.remove(name)) {
                    System.err.println("link " + name + " healed");
                }
            }
            Thread.sleep(50);
        }
    }

}
