package io.sluice.engine.protocol.command;

import io.sluice.engine.protocol.amf.AmfEcmaArray;
import io.sluice.engine.protocol.amf.AmfNull;
import io.sluice.engine.protocol.amf.AmfObject;
import io.sluice.engine.protocol.amf.AmfValue;
import io.sluice.engine.protocol.message.CommandMessage;
import io.sluice.engine.protocol.message.DataMessage;
import java.util.List;

/** Builds every command the engine sends, in one place (RTMP 1.0 section 7.2). */
public final class Responses {

    /** What FMS-compatible servers report; clients such as librtmp only log it. */
    public static final String FMS_VERSION = "FMS/3,5,7,7009";
    public static final String SERVER_VERSION = "Sluice/0.1";

    private Responses() {
    }

    public static CommandMessage connectSuccess(double transactionId, double objectEncoding) {
        AmfObject properties = AmfObject.builder()
                .put("fmsVer", FMS_VERSION)
                .put("capabilities", 31.0)
                .put("mode", 1.0)
                .build();
        AmfObject info = AmfObject.builder()
                .put("level", StatusCode.CONNECT_SUCCESS.level().wire())
                .put("code", StatusCode.CONNECT_SUCCESS.code())
                .put("description", "Connection succeeded.")
                .put("objectEncoding", objectEncoding)
                .put("data", AmfEcmaArray.builder().put("version", "3,5,7,7009").put("server", SERVER_VERSION).build())
                .build();
        return new CommandMessage(0, "_result", transactionId, properties, List.of(info));
    }

    public static CommandMessage connectRejected(double transactionId, String description) {
        return new CommandMessage(0, "_error", transactionId, AmfNull.INSTANCE,
                List.of(info(StatusCode.CONNECT_REJECTED, description)));
    }

    public static CommandMessage result(double transactionId, AmfValue... values) {
        return new CommandMessage(0, "_result", transactionId, AmfNull.INSTANCE, List.of(values));
    }

    public static CommandMessage error(double transactionId, String description) {
        return new CommandMessage(0, "_error", transactionId, AmfNull.INSTANCE,
                List.of(info(StatusCode.CALL_FAILED, description)));
    }

    public static CommandMessage onStatus(int streamId, StatusCode code, String description) {
        return new CommandMessage(streamId, "onStatus", 0, AmfNull.INSTANCE, List.of(info(code, description)));
    }

    /** onFCPublish / onFCUnpublish, which Flash Media Encoder and OBS-era encoders wait for. */
    public static CommandMessage onFc(String call, StatusCode code, String name) {
        return new CommandMessage(0, call, 0, AmfNull.INSTANCE, List.of(AmfObject.builder()
                .put("code", code.code()).put("description", name).build()));
    }

    /** |RtmpSampleAccess(true, true): lets Flash players read the stream's pixels and samples. */
    public static DataMessage sampleAccess(int streamId) {
        return new DataMessage(streamId, 0, List.of(AmfValue.of("|RtmpSampleAccess"), AmfValue.of(true),
                AmfValue.of(true)));
    }

    public static AmfObject info(StatusCode code, String description) {
        return AmfObject.builder()
                .put("level", code.level().wire())
                .put("code", code.code())
                .put("description", description == null ? "" : description)
                .build();
    }
}
