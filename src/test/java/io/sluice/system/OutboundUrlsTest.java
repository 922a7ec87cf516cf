package io.sluice.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.system.OutboundUrls.HostPolicy;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutboundUrlsTest {
    private static final Set<String> HTTP = Set.of("http", "https");
    private static final Set<String> RTMP = Set.of("rtmp", "rtmps");
    private static final HostPolicy STRICT = new HostPolicy(List.of(), true);
    private static final HostPolicy LISTED = new HostPolicy(List.of("Auth.Example.com", "*.cdn.example.net"), false);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "OK", value = {
            "https://auth.example.com/hook           | OK",
            "http://127.0.0.1:8080/hook              | OK",
            "ftp://example.com/x                     | scheme 'ftp' is not http or https",
            "//example.com/x                         | no scheme",
            "http://user:pw@example.com/x            | user info in URLs is not supported",
            "http://169.254.169.254/latest/meta-data | link-local address 169.254.169.254 is not allowed",
            "http://[fe80::1%25eth0]/x               | link-local address",
            "http://[::ffff:169.254.169.254]/x       | link-local address",
            "http://exa mple.com/                    | not a URL"})
    void anyHostButLinkLocal(String url, String refusal) {
        assertRefusal(OutboundUrls.refusal(url, HTTP, HostPolicy.ANY), refusal);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "OK", value = {
            "rtmp://live.example.com/app/s  | OK",
            "rtmp://8.8.8.8/app/s           | OK",
            "rtmp://127.0.0.1/app/s         | private or loopback address 127.0.0.1",
            "rtmp://localhost/app/s         | private or loopback address localhost",
            "rtmp://10.1.2.3/app/s          | private or loopback address 10.1.2.3",
            "rtmp://172.16.0.1/app/s        | private or loopback address",
            "rtmp://192.168.1.1/app/s       | private or loopback address",
            "rtmp://0.0.0.0/app/s           | private or loopback address",
            "rtmp://[::1]/app/s             | private or loopback address ::1",
            "rtmp://[fd00::5]/app/s         | private or loopback address fd00::5",
            "rtmp://[::ffff:10.0.0.1]/app/s | private or loopback address",
            "http://example.com/x           | scheme 'http' is not rtmp or rtmps"})
    void privateAddressesBlocked(String url, String refusal) {
        assertRefusal(OutboundUrls.refusal(url, RTMP, STRICT), refusal);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "OK", value = {
            "https://auth.example.com/x        | OK",
            "https://AUTH.example.com/x        | OK",
            "https://a.cdn.example.net/x       | OK",
            "https://a.b.cdn.example.net/x     | OK",
            "https://cdn.example.net/x         | host 'cdn.example.net' is not in the allowed hosts",
            "https://evilcdn.example.net/x     | host 'evilcdn.example.net' is not in the allowed hosts",
            "https://auth.example.com.evil/x   | is not in the allowed hosts",
            "https://127.0.0.1/x               | host '127.0.0.1' is not in the allowed hosts"})
    void onlyListedHosts(String url, String refusal) {
        assertRefusal(OutboundUrls.refusal(url, HTTP, LISTED), refusal);
    }

    private static void assertRefusal(String actual, String expected) {
        if (expected == null) {
            assertThat(actual).isNull();
        } else {
            assertThat(actual).contains(expected);
        }
    }
}
