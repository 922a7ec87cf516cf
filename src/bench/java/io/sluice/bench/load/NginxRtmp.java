package io.sluice.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * nginx-rtmp on a free loopback port, configured from {@code bench/nginx-rtmp.conf.template} (the
 * file bench/compare.sh uses too), in a directory of its own.
 */
final class NginxRtmp implements AutoCloseable {
    static final Path NGINX = Path.of("/usr/sbin/nginx");
    static final Path MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");
    static final Path TEMPLATE = Path.of("bench/nginx-rtmp.conf.template");

    private final Process process;
    private final int port;

    NginxRtmp(Path dir) throws IOException, InterruptedException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, Files.readString(TEMPLATE).replace("@MODULE@", MODULE.toString())
                .replace("@DIR@", dir.toString()).replace("@PORT@", Integer.toString(port)));
        process = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", conf.toString(), "-e",
                dir.resolve("error.log").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!listening()) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                close();
                throw new IOException("nginx did not listen on " + port + ": " + Files.readString(dir.resolve("error.log")));
            }
            Thread.sleep(50);
        }
    }

    static boolean installed() {
        return Files.isExecutable(NGINX) && Files.isReadable(MODULE) && Files.isReadable(TEMPLATE);
    }

    int port() {
        return port;
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
