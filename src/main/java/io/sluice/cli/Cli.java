package io.sluice.cli;

import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.RtmpStatusException;
import io.sluice.engine.client.RtmpUrl;
import io.sluice.engine.client.TlsOptions;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.slf4j.LoggerFactory;

/**
 * The command-line tools in the server's jar, run without Spring:
 *
 * <pre>
 * java -jar sluice.jar pull [options] &lt;rtmp-url&gt; &lt;out.flv&gt;   save a live stream to an FLV file
 * java -jar sluice.jar push [options] &lt;in.flv&gt; &lt;rtmp-url&gt;    publish an FLV file at real-time pace
 * </pre>
 *
 * Exit code 0 on success (including a stop with Ctrl-C), 1 on any error (bad URL, refused connection,
 * rejected stream), 2 on a usage error.
 */
public final class Cli {
    static final int OK = 0;
    static final int ERROR = 1;
    static final int USAGE = 2;

    private static final String USAGE_TEXT = """
            usage:
              sluice pull [options] <rtmp-url> <out.flv>   save a live stream to an FLV file (Ctrl-C stops)
              sluice push [options] <in.flv> <rtmp-url>    publish an FLV file at real-time pace
            options:
              --loop                 push: start over at the end of the file, forever (timestamps continue)
              --trust-cert <pem>     rtmps://: trust this certificate (self-signed server, private CA)
              --insecure             rtmps://: do not verify the server's certificate at all
              --timeout <seconds>    connect, handshake and each command (default 10)
              --quiet                no progress lines
            """;

    private Cli() {
    }

    /** Whether {@code args} name a CLI command rather than starting the server. */
    public static boolean isCommand(String[] args) {
        return args.length > 0 && (args[0].equals("pull") || args[0].equals("push"));
    }

    /** Runs a command and exits the JVM with its code. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command; returns its exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        quietLogging();
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE_TEXT);
            return USAGE;
        }
        try {
            RtmpUrl.parse(options.url());
        } catch (IllegalArgumentException e) {
            err.println("error: invalid URL '" + options.url() + "': " + e.getMessage());
            return ERROR;
        }
        Progress progress = new Progress(err, options.quiet());
        return options.command().equals("pull") ? new PullCommand(options, progress, err).run()
                : new PushCommand(options, progress, err).run();
    }

    /** Parsed command line. */
    record Options(String command, String url, Path file, boolean loop, TlsOptions tls, Duration timeout,
                   boolean quiet) {

        static Options parse(String[] args) {
            if (!isCommand(args)) {
                throw new IllegalArgumentException("expected 'pull' or 'push'");
            }
            List<String> positional = new ArrayList<>();
            boolean loop = false;
            boolean quiet = false;
            TlsOptions tls = TlsOptions.SYSTEM;
            Duration timeout = Duration.ofSeconds(10);
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--loop" -> loop = true;
                    case "--quiet", "-q" -> quiet = true;
                    case "--insecure" -> tls = TlsOptions.INSECURE;
                    case "--trust-cert" -> tls = TlsOptions.trust(Path.of(value(args, ++i, a)));
                    case "--timeout" -> {
                        try {
                            timeout = Duration.ofSeconds(Long.parseLong(value(args, ++i, a)));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--timeout needs a number of seconds");
                        }
                        if (timeout.isZero() || timeout.isNegative()) {
                            throw new IllegalArgumentException("--timeout must be positive");
                        }
                    }
                    default -> {
                        if (a.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        positional.add(a);
                    }
                }
            }
            if (positional.size() != 2) {
                throw new IllegalArgumentException(args[0] + " needs exactly two arguments, got " + positional.size());
            }
            boolean pull = args[0].equals("pull");
            if (loop && pull) {
                throw new IllegalArgumentException("--loop is for push");
            }
            String url = pull ? positional.get(0) : positional.get(1);
            Path file = Path.of(pull ? positional.get(1) : positional.get(0));
            return new Options(args[0], url, file, loop, tls, timeout, quiet);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        RtmpClient.Options clientOptions() {
            return RtmpClient.Options.DEFAULT.withTimeout(timeout).withTls(tls);
        }
    }

    /** One clear line for what went wrong while connecting, publishing or playing. */
    static String describe(Throwable e, RtmpUrl url) {
        String where = url.host() + ":" + url.port();
        if (e instanceof RtmpStatusException s) {
            return s.code().startsWith("NetConnection.")
                    ? "the server at " + where + " rejected the connection: " + s.getMessage()
                    : "the server at " + where + " rejected the stream '" + url.stream() + "': " + s.getMessage();
        }
        if (e instanceof ConnectException) {
            return "cannot connect to " + where + ": " + firstLine(e.getMessage());
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + url.host();
        }
        if (e instanceof TimeoutException) {
            return "no answer from " + where + " in time";
        }
        if (e instanceof SSLException || e.getCause() instanceof SSLException) {
            return "TLS with " + where + " failed: " + firstLine(e.getMessage())
                    + " (use --trust-cert <pem> for a self-signed certificate)";
        }
        return firstLine(e.getMessage() == null ? e.toString() : e.getMessage());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Without Spring's logging setup Logback logs everything at DEBUG; the CLI only wants warnings. */
    private static void quietLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}
