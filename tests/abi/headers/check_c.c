/* Compiled by the header matrix (C99, C11; gcc and clang) with -pedantic -Wall -Wextra -Werror:
 * proves holon_plugin.h is plain, warning-free C. It touches every public type and macro so that
 * a declaration the compiler only checks on use is checked too. */
#include <holon/holon_plugin.h>

int32_t check_c_header(const holon_context_t *ctx);

int32_t check_c_header(const holon_context_t *ctx) {
    holon_version_t version = {HOLON_ABI_MAJOR, HOLON_ABI_MINOR, HOLON_ABI_PATCH};
    /* Designated, so that it compiles warning-free against 1.0 and against 1.1, which appended
     * label and units (a positional initialiser would miss them under -Wextra). */
    holon_column_t column = {.struct_size = sizeof(holon_column_t), .name = "x", .values = NULL};
    holon_table_t table = {sizeof(holon_table_t), "t", 0, 1, NULL};
    holon_invoke_request_t request = {sizeof(holon_invoke_request_t), "a.b", NULL, 0, NULL, 0, NULL, 0, NULL};
    holon_method_descriptor_t descriptor = {sizeof(holon_method_descriptor_t), "a.b", "", "", "{}", "{}",
                                            HOLON_METHOD_KIND_ANALYSIS, HOLON_METHOD_FLAG_CONCURRENT, ""};
    holon_host_t host = {sizeof(holon_host_t), {1, 0, 0}, "holon", "0.0.0", NULL};
    const holon_invoke_v1_t *invoke;
    const holon_method_factory_v1_t *factory = NULL;
    const holon_plugin_entry_t *entry = NULL;
    holon_plugin_entry_fn entry_fn = NULL;
    int32_t codes = HOLON_OK + HOLON_ERR_FAILED + HOLON_ERR_TIME_BUDGET + HOLON_LOG_ERROR;

    table.columns = &column;
#ifdef HOLON_TABLE_COLUMN
    {
        const holon_column_t *first = HOLON_TABLE_COLUMN(&table, 0);
        if (first != &column) return HOLON_ERR_INTERNAL;
        if (HOLON_HAS_FIELD(first, holon_column_t, units) && first->units != NULL) return HOLON_ERR_INTERNAL;
    }
#endif
    if (!HOLON_HAS_FIELD(&descriptor, holon_method_descriptor_t, formats)) return HOLON_ERR_INTERNAL;
    if (!HOLON_HAS_FIELD(&host, holon_host_t, get_extension)) return HOLON_ERR_INTERNAL;
    if (!HOLON_HAS_FIELD(ctx, holon_context_t, get_extension)) return HOLON_ERR_BAD_ARGUMENT;
    invoke = (const holon_invoke_v1_t *)ctx->get_extension(ctx, HOLON_EXT_INVOKE);
    if (invoke != NULL) {
        holon_invoke_result_t *result = NULL;
        (void)invoke->invoke(ctx, &request, &result);
        invoke->release(result);
    }
    (void)ctx->put_table(ctx, &table);
    (void)version;
    (void)factory;
    (void)entry;
    (void)entry_fn;
    (void)HOLON_PLUGIN_ENTRY_SYMBOL;
    (void)HOLON_FACTORY_METHODS;
    return codes;
}
