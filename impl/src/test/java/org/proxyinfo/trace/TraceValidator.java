package org.proxyinfo.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Test utility: validates a trace against traces/schema/trace.schema.json (JSON Schema 2020-12,
 * networknt json-schema-validator) plus the rules a schema cannot state (seq starts at 0 and
 * strictly increases; record boundaries increase and lie inside raw). Every test that produces a
 * trace calls {@link #assertValid}.
 */
public final class TraceValidator {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static JsonSchema schema;

    private TraceValidator() { }

    /** The schema file, found from the working directory (impl/ under Maven) upwards. */
    public static Path schemaFile() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("traces/schema/trace.schema.json");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("traces/schema/trace.schema.json not found above " + Path.of("").toAbsolutePath());
    }

    static synchronized JsonSchema schema() throws IOException {
        if (schema == null) {
            JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            schema = factory.getSchema(MAPPER.readTree(schemaFile().toFile()), config);
        }
        return schema;
    }

    /** Errors of the schema file itself against the 2020-12 meta-schema (empty if it is a valid schema). */
    public static List<String> metaSchemaErrors() throws IOException {
        return metaSchemaErrors(MAPPER.readTree(schemaFile().toFile()));
    }

    /** Errors of a schema document against the 2020-12 meta-schema. */
    public static List<String> metaSchemaErrors(JsonNode schemaDocument) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        JsonSchema meta = factory.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        List<String> out = new ArrayList<>();
        for (ValidationMessage m : meta.validate(schemaDocument)) {
            out.add(m.getMessage());
        }
        return out;
    }

    /** All problems of a trace; empty when it is valid. */
    public static List<String> errors(JsonNode trace) throws IOException {
        List<String> out = new ArrayList<>();
        Set<ValidationMessage> messages = schema().validate(trace);
        for (ValidationMessage m : messages) {
            out.add(m.getInstanceLocation() + ": " + m.getMessage());
        }
        JsonNode events = trace.get("events");
        if (events != null && events.isArray()) {
            long expected = 0;
            for (JsonNode e : events) {
                long seq = e.path("seq").asLong(-1);
                if (seq < expected) {
                    out.add("event seq " + seq + ": sequence numbers must start at 0 and strictly increase");
                }
                expected = seq + 1;
                if ("message".equals(e.path("kind").asText())) {
                    int len = e.path("raw").asText().length() / 2;
                    int last = -1;
                    for (JsonNode b : e.path("recordBoundaries")) {
                        if (b.asInt() <= last || b.asInt() >= Math.max(len, 1)) {
                            out.add("event seq " + seq + ": recordBoundaries must increase and lie inside raw ("
                                    + len + " bytes): " + e.path("recordBoundaries"));
                            break;
                        }
                        last = b.asInt();
                    }
                }
            }
        }
        return out;
    }

    public static List<String> errors(Path file) throws IOException {
        return errors(MAPPER.readTree(file.toFile()));
    }

    public static void assertValid(JsonNode trace) throws IOException {
        List<String> errors = errors(trace);
        if (!errors.isEmpty()) {
            throw new AssertionError("trace does not conform to traces/schema/trace.schema.json:\n  "
                    + String.join("\n  ", errors));
        }
    }

    public static void assertValid(Path file) throws IOException {
        List<String> errors = errors(file);
        if (!errors.isEmpty()) {
            throw new AssertionError(file + " does not conform to traces/schema/trace.schema.json:\n  "
                    + String.join("\n  ", errors));
        }
    }

    public static void assertValid(String json) throws IOException {
        assertValid(MAPPER.readTree(json));
    }
}
