package io.sluice.bench.load;

import io.sluice.engine.flv.FlvReader;
import io.sluice.engine.flv.FlvTag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Counts the frames a recording holds, to check them against what a publisher sent: video and audio
 * tags without the sequence headers (AVCPacketType / AACPacketType 0, FLV 10.1 E.4.3.1 and E.4.2.1),
 * over every FLV file under a stream's recordings directory.
 */
final class Ingest {

    record Counts(long video, long audio) {
    }

    private Ingest() {
    }

    static Counts count(Path streamDir) throws IOException {
        long video = 0;
        long audio = 0;
        if (!Files.isDirectory(streamDir)) {
            return new Counts(0, 0);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(streamDir)) {
            files = walk.filter(p -> p.toString().endsWith(".flv")).sorted().toList();
        }
        for (Path file : files) {
            try (FlvReader reader = FlvReader.open(file)) {
                reader.header();
                FlvTag tag;
                while ((tag = reader.next()) != null) {
                    try {
                        boolean frame = tag.payload().readableBytes() > 1 && tag.payload().getByte(1) != 0;
                        if (tag.isVideo() && frame) {
                            video++;
                        } else if (tag.isAudio() && frame) {
                            audio++;
                        }
                    } finally {
                        tag.release();
                    }
                }
            }
        }
        return new Counts(video, audio);
    }
}
