package io.sluice.engine.flv;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class FlvTagTest {

    @Test
    void delegatesReferenceCountingToThePayload() {
        FlvTag tag = new FlvTag(FlvTags.TAG_VIDEO, -1, Unpooled.buffer().writeBytes(new byte[] {1, 2, 3}));
        assertThat(tag.content()).isSameAs(tag.payload());
        assertThat(tag.isVideo()).isTrue();
        assertThat(tag.isAudio() || tag.isScript()).isFalse();
        assertThat(tag.toString()).contains("timestamp=4294967295").contains("size=3");

        FlvTag dup = tag.retainedDuplicate();
        assertThat(tag.refCnt()).isEqualTo(2);
        assertThat(dup.type()).isEqualTo(FlvTags.TAG_VIDEO);
        assertThat(dup.timestamp()).isEqualTo(-1);
        assertThat(dup.release()).isFalse();

        FlvTag copy = tag.copy();
        copy.payload().setByte(0, 9);
        assertThat(tag.payload().getByte(0)).isEqualTo((byte) 1);
        assertThat(copy.release()).isTrue();

        FlvTag shared = tag.duplicate();
        shared.payload().setByte(0, 7);
        assertThat(tag.payload().getByte(0)).isEqualTo((byte) 7);

        ByteBufHolder replaced = tag.replace(Unpooled.EMPTY_BUFFER);
        assertThat(replaced).isInstanceOf(FlvTag.class);
        assertThat(((FlvTag) replaced).timestamp()).isEqualTo(-1);

        assertThat(tag.retain().retain(2).touch().touch("hint").refCnt()).isEqualTo(4);
        assertThat(tag.release(3)).isFalse();
        assertThat(tag.release()).isTrue();
        assertThat(tag.toString()).contains("size=-1");
    }
}
