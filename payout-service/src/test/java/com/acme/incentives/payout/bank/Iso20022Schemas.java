package com.acme.incentives.payout.bank;

import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * ISO 20022's own schemas of the messages the bank channel carries (src/test/resources/iso20022/README.md says where
 * they come from), to validate a document as a bank's front end would before reading it. Tests validate with these
 * rather than their own idea of the format, so a writer or a fixture that drifts from the standard fails.
 */
public final class Iso20022Schemas {

    /** What {@link Pain001Writer} writes. */
    public static final Schema PAIN_001_001_09 = load("/iso20022/pain.001.001.09.xsd");
    /** The status report version the tests' reports are written in ({@link Pain002Reader} reads any pain.002). */
    public static final Schema PAIN_002_001_10 = load("/iso20022/pain.002.001.10.xsd");

    private Iso20022Schemas() {
    }

    /** Throws a {@link SAXException} naming the first place the document breaks the schema. */
    public static void validate(Schema schema, byte[] document) throws SAXException {
        try {
            Validator validator = schema.newValidator();
            // The documents are the tests' own: nothing they name is fetched.
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            validator.validate(new StreamSource(new ByteArrayInputStream(document)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Schema load(String resource) {
        try {
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return factory.newSchema(new StreamSource(Iso20022Schemas.class.getResource(resource).toString()));
        } catch (SAXException e) {
            throw new IllegalStateException("Could not load " + resource, e);
        }
    }
}
