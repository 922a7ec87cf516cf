package io.sluice.testing;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * A heap allocator that remembers every buffer it handed out, so a test can check afterwards that all
 * of them were released and that none was larger than the limits allow. Checking {@code refCnt()}
 * directly finds a leak at once, on the input that caused it; Netty's leak detector (paranoid in
 * surefire) only reports after a garbage collection.
 */
public final class TrackingAllocator extends AbstractByteBufAllocator {

    private final long maxInitialCapacity;
    private final List<ByteBuf> allocated = new ArrayList<>();

    public TrackingAllocator() {
        this(Integer.MAX_VALUE);
    }

    /** @param maxInitialCapacity the largest buffer the code under test may ask for at once */
    public TrackingAllocator(long maxInitialCapacity) {
        super(false);
        this.maxInitialCapacity = maxInitialCapacity;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        if (initialCapacity > maxInitialCapacity) {
            throw new AssertionError("asked for a buffer of " + initialCapacity + " bytes, more than the "
                    + maxInitialCapacity + " the limits allow");
        }
        ByteBuf buf = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
        allocated.add(buf);
        return buf;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return newHeapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    /** A buffer holding {@code bytes}, counted like the others. */
    public ByteBuf copyOf(byte[] bytes, int from, int length) {
        return buffer(length, length).writeBytes(bytes, from, length);
    }

    public boolean allReleased() {
        return allocated.stream().allMatch(b -> b.refCnt() == 0);
    }

    /** Fails, naming the first one, if any buffer handed out so far still holds a reference. */
    public void assertAllReleased() {
        for (int i = 0; i < allocated.size(); i++) {
            ByteBuf buf = allocated.get(i);
            if (buf.refCnt() != 0) {
                throw new AssertionError("buffer " + (i + 1) + " of " + allocated.size() + " ("
                        + buf.capacity() + " bytes) not released: refCnt " + buf.refCnt());
            }
        }
    }
}
