package io.tokengate.tenant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The stored JSON of tenants and keys: the records' own {@code @JsonProperty} (snake_case) names, instants as
 * ISO-8601 strings, unknown fields ignored (a newer replica may have added some). Built on a copy of the given
 * mapper so that the stored format does not depend on how the application configured its own.
 */
final class TenantCodec {
    private final ObjectWriter writer;
    private final ObjectReader tenants;
    private final ObjectReader keys;

    TenantCodec(ObjectMapper mapper) {
        ObjectMapper own = mapper.copy().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
        this.writer = own.writer();
        this.tenants = own.readerFor(Tenant.class);
        this.keys = own.readerFor(ApiKeyRecord.class);
    }

    String write(Object record) {
        try {
            return writer.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + record.getClass().getSimpleName() + " as JSON", e);
        }
    }

    Tenant tenant(String json) {
        return read(tenants, json);
    }

    ApiKeyRecord key(String json) {
        return read(keys, json);
    }

    private static <T> T read(ObjectReader reader, String json) {
        try {
            return reader.readValue(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable record in Redis: " + e.getOriginalMessage(), e);
        }
    }
}
