package io.sluice.system;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which URLs Sluice may call out to (webhook callbacks, restream targets, pull relays), so that a URL
 * cannot be turned against the services next to it. Checked once, where the URL is configured or
 * submitted:
 * <ul>
 *   <li>the scheme must be one of the caller's (http/https for callbacks, rtmp/rtmps for relays);</li>
 *   <li>no user info ({@code user:password@host}): it would end up in logs and the delivery log;</li>
 *   <li>link-local addresses ({@code 169.254.0.0/16}, {@code fe80::/10}) are always refused: that is where
 *       cloud metadata services answer, with credentials;</li>
 *   <li>with {@code allowedHosts} not empty, the host must be one of them ({@code example.com}) or under
 *       one ({@code *.example.com});</li>
 *   <li>with {@code blockPrivateAddresses}, loopback, private (RFC 1918, {@code fc00::/7}) and wildcard
 *       addresses, and {@code localhost}, are refused too. Off by default: a server next to its auth
 *       service or a local relay target is the common setup.</li>
 * </ul>
 * Addresses are checked as written: a DNS name is not resolved here (a name that resolves somewhere
 * else later would pass anyway). Where that matters, list the allowed hosts.
 */
public final class OutboundUrls {

    private OutboundUrls() {
    }

    /**
     * The hosts outbound calls may go to.
     *
     * @param allowedHosts          empty: any host; else host names, or {@code *.domain} for its subdomains
     * @param blockPrivateAddresses also refuse loopback, private and wildcard addresses and localhost
     */
    public record HostPolicy(List<String> allowedHosts, boolean blockPrivateAddresses) {
        public static final HostPolicy ANY = new HostPolicy(List.of(), false);

        public HostPolicy {
            allowedHosts = allowedHosts == null ? List.of()
                    : allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty())
                            .toList();
        }

        boolean listed(String host) {
            if (allowedHosts.isEmpty()) {
                return true;
            }
            for (String allowed : allowedHosts) {
                if (allowed.startsWith("*.") ? host.endsWith(allowed.substring(1)) : host.equals(allowed)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Why {@code url} may not be called, or null if it may.
     *
     * @param schemes lower case, e.g. {@code Set.of("http", "https")}
     */
    public static String refusal(String url, Set<String> schemes, HostPolicy policy) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            return "not a URL: " + e.getReason();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!schemes.contains(scheme)) {
            return uri.getScheme() == null ? "no scheme"
                    : "scheme '" + uri.getScheme() + "' is not " + String.join(" or ", schemes.stream().sorted().toList());
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "no host";
        }
        if (uri.getRawUserInfo() != null) {
            return "user info in URLs is not supported";
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress literal = literalAddress(host);
        if (literal != null && literal.isLinkLocalAddress()) {
            return "link-local address " + host + " is not allowed (cloud metadata services live there)";
        }
        if (!policy.listed(host)) {
            return "host '" + host + "' is not in the allowed hosts";
        }
        if (policy.blockPrivateAddresses() && (host.equals("localhost") || host.endsWith(".localhost")
                || literal != null && (literal.isLoopbackAddress() || literal.isSiteLocalAddress()
                || literal.isAnyLocalAddress() || uniqueLocal(literal)))) {
            return "private or loopback address " + host + " is not allowed";
        }
        return null;
    }

    /** The address if {@code host} is an IP literal (never a DNS look-up), else null. */
    private static InetAddress literalAddress(String host) {
        boolean ipv4 = host.matches("[0-9.]+");
        boolean ipv6 = host.contains(":") && host.matches("[0-9a-f:.%a-z]+");
        if (!ipv4 && !ipv6) {
            return null;
        }
        int zone = host.indexOf('%'); // fe80::1%eth0: the scope does not change what the address is
        try {
            InetAddress address = InetAddress.getByName(zone < 0 ? host : host.substring(0, zone)); // parsed, not resolved
            byte[] b = address.getAddress();
            if (b.length == 16 && isIpv4Mapped(b)) {
                return InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16));
            }
            return address;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /** fc00::/7, the IPv6 private range ({@link InetAddress#isSiteLocalAddress()} knows only fec0::/10). */
    private static boolean uniqueLocal(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 16 && (b[0] & 0xfe) == 0xfc;
    }
}
