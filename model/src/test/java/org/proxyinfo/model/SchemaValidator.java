package org.proxyinfo.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Validates traces against traces/schema/trace.schema.json (owned by the trace helper; read-only here). */
final class SchemaValidator {
    static final Path SCHEMA = Path.of(System.getProperty("trace.schema", "../traces/schema/trace.schema.json"));
    private static JsonSchema schema;

    private SchemaValidator() {}

    static synchronized Set<ValidationMessage> validate(JsonNode trace) throws Exception {
        if (schema == null) {
            JsonNode s = TraceWriter.JSON.readTree(Files.readString(SCHEMA));
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(s);
        }
        return schema.validate(trace);
    }
}
