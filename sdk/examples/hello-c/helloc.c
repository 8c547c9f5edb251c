/*
 * helloc.stats — an example Holon method in plain C99, written against holon/holon_plugin.h only.
 *
 * It reports the byte sizes of the model and of the params, and how often the four bytes "id"
 * (a JSON key or string with the quotes) occur in the model text: a rough count of the entities
 * that carry an id. No JSON library is needed for that, which keeps the example about the ABI.
 */
#include <holon/holon_plugin.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char params_schema[] =
    "{\"$schema\": \"http://json-schema.org/draft-07/schema#\","
    " \"type\": \"object\", \"additionalProperties\": false}";

static const char result_schema[] =
    "{\"$schema\": \"http://json-schema.org/draft-07/schema#\","
    " \"type\": \"object\","
    " \"required\": [\"model_bytes\", \"params_bytes\", \"id_occurrences\"],"
    " \"properties\": {"
    "   \"model_bytes\": {\"type\": \"integer\", \"minimum\": 0},"
    "   \"params_bytes\": {\"type\": \"integer\", \"minimum\": 0},"
    "   \"id_occurrences\": {\"type\": \"integer\", \"minimum\": 0}"
    " },"
    " \"additionalProperties\": false}";

static const holon_method_descriptor_t stats_descriptor = {
    sizeof(holon_method_descriptor_t),
    "helloc.stats",
    "Model text statistics",
    "Reports the byte sizes of the model and params and how often \"id\" occurs in the model.",
    params_schema,
    result_schema,
    HOLON_METHOD_KIND_ANALYSIS,
    HOLON_METHOD_FLAG_CONCURRENT,
    ""};

/* Scan this many bytes between two cancellation polls: a few milliseconds of work. */
#define HELLOC_CHUNK ((uint64_t)1 << 20)

static const char needle[] = "\"id\"";
#define HELLOC_NEEDLE_SIZE (sizeof(needle) - 1)

/* Counts needle occurrences starting in [begin, end) of text (size bytes). Matches may run past
 * end, so that chunk boundaries split nothing. */
static uint64_t count_ids(const char *text, uint64_t size, uint64_t begin, uint64_t end) {
    uint64_t count = 0;
    uint64_t i;
    for (i = begin; i < end && i + HELLOC_NEEDLE_SIZE <= size; ++i) {
        if (text[i] == '"' && memcmp(text + i, needle, HELLOC_NEEDLE_SIZE) == 0) ++count;
    }
    return count;
}

static int32_t stats_run(const holon_context_t *ctx) {
    const holon_run_inputs_t *in = ctx->inputs;
    uint64_t ids = 0;
    uint64_t pos;
    char result[160];
    int written;

    if (in->model_json == NULL || in->model_json_size == 0)
        return ctx->set_error(ctx, HOLON_ERR_INVALID_MODEL, "this method needs a model", NULL);

    for (pos = 0; pos < in->model_json_size; pos += HELLOC_CHUNK) {
        uint64_t end = in->model_json_size - pos > HELLOC_CHUNK ? pos + HELLOC_CHUNK : in->model_json_size;
        if (ctx->is_cancelled(ctx)) return ctx->set_error(ctx, HOLON_ERR_CANCELLED, "run cancelled", NULL);
        ctx->progress(ctx, (double)pos / (double)in->model_json_size, "scanning");
        ids += count_ids(in->model_json, in->model_json_size, pos, end);
    }

    written = snprintf(result, sizeof result,
                       "{\"model_bytes\": %" PRIu64 ", \"params_bytes\": %" PRIu64 ", \"id_occurrences\": %" PRIu64 "}",
                       in->model_json_size, in->params_json_size, ids);
    if (written < 0 || (size_t)written >= sizeof result)
        return ctx->set_error(ctx, HOLON_ERR_INTERNAL, "result buffer too small", NULL);
    {
        int32_t rc = ctx->put_json(ctx, result, (uint64_t)written);
        if (rc != HOLON_OK) return ctx->set_error(ctx, rc, "the host refused the result", NULL);
    }
    ctx->progress(ctx, 1.0, "done");
    return HOLON_OK;
}

/* --- the factory: one method ------------------------------------------------------------- */

static uint32_t factory_count(const holon_method_factory_v1_t *factory) {
    (void)factory;
    return 1;
}

static const holon_method_descriptor_t *factory_get(const holon_method_factory_v1_t *factory, uint32_t index) {
    (void)factory;
    return index == 0 ? &stats_descriptor : NULL;
}

static int32_t factory_run(const holon_method_factory_v1_t *factory, const char *method_id,
                           const holon_context_t *ctx) {
    (void)factory;
    if (method_id == NULL || ctx == NULL) return HOLON_ERR_BAD_ARGUMENT;
    if (strcmp(method_id, stats_descriptor.id) != 0)
        return ctx->set_error(ctx, HOLON_ERR_NOT_FOUND, "no such method in this plugin", NULL);
    return stats_run(ctx);
}

static const holon_method_factory_v1_t factory = {sizeof(holon_method_factory_v1_t), factory_count, factory_get,
                                                  factory_run};

/* --- the plugin entry ---------------------------------------------------------------------- */

static int32_t plugin_init(const holon_host_t *host, const char *plugin_dir) {
    (void)host;
    (void)plugin_dir;
    return HOLON_OK;
}

static void plugin_deinit(void) {}

static const void *plugin_get_factory(const char *factory_id) {
    if (factory_id != NULL && strcmp(factory_id, HOLON_FACTORY_METHODS) == 0) return &factory;
    return NULL;
}

static const holon_plugin_entry_t entry = {sizeof(holon_plugin_entry_t),
                                           {HOLON_ABI_MAJOR, HOLON_ABI_MINOR, HOLON_ABI_PATCH},
                                           "helloc",
                                           "1.0.0",
                                           plugin_init,
                                           plugin_deinit,
                                           plugin_get_factory};

HOLON_EXPORT const holon_plugin_entry_t *holon_plugin_entry(const holon_version_t *host_version) {
    if (host_version == NULL || host_version->major != HOLON_ABI_MAJOR) return NULL;
    return &entry;
}
