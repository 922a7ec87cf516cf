package io.sluice.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.sluice.engine.protocol.amf.Amf0;
import io.sluice.engine.protocol.amf.AmfLimits;
import io.sluice.engine.protocol.amf.AmfNull;
import io.sluice.engine.protocol.amf.AmfNumber;
import io.sluice.engine.protocol.amf.AmfObject;
import io.sluice.engine.protocol.amf.AmfString;
import io.sluice.engine.protocol.amf.AmfValue;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** AMF0 on the commands every connection exchanges: ffmpeg's connect, and its onStatus reply. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class Amf0Benchmark {
    private List<AmfValue> connect;
    private ByteBuf encoded;
    private ByteBuf scratch;

    @Setup(Level.Trial)
    public void setUp() {
        connect = List.of(new AmfString("connect"), new AmfNumber(1), AmfObject.builder()
                .put("app", "live")
                .put("flashVer", "FMLE/3.0 (compatible; Lavf59.27.100)")
                .put("tcUrl", "rtmp://127.0.0.1:1935/live")
                .put("fpad", false)
                .put("capabilities", 15.0)
                .put("audioCodecs", 4071.0)
                .put("videoCodecs", 252.0)
                .put("videoFunction", 1.0)
                .put("type", "nonprivate")
                .build(), AmfNull.INSTANCE);
        encoded = PooledByteBufAllocator.DEFAULT.directBuffer();
        Amf0.encodeAll(encoded, connect);
        scratch = PooledByteBufAllocator.DEFAULT.directBuffer(encoded.readableBytes() * 2);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoded.release();
        scratch.release();
    }

    @Benchmark
    public List<AmfValue> decodeConnect() {
        return Amf0.decodeAll(encoded.duplicate(), AmfLimits.DEFAULT);
    }

    @Benchmark
    public int encodeConnect() {
        scratch.clear();
        Amf0.encodeAll(scratch, connect);
        return scratch.readableBytes();
    }
}
