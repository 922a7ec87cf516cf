package io.sluice.engine.protocol.amf;

import java.util.Objects;

/** XML text: AMF0 XML document, AMF3 XMLDocument and XML (the model does not tell the two apart). */
public record AmfXmlDocument(String xml) implements AmfValue {

    public AmfXmlDocument {
        Objects.requireNonNull(xml, "xml");
    }
}
