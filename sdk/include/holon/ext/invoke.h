/*
 * Holon plugin SDK — host extension "holon.invoke/1".
 *
 * A method that needs another method (a sweep calling a simulation, a diagnosis computing its
 * indicators from a model run) asks the host to run it by id. The nested run gets its own
 * runner, limits and validation, exactly as if a client had asked for it; its cancellation
 * follows the calling run's. Plugins never link each other.
 *
 * Obtain the table with ctx->get_extension(ctx, HOLON_EXT_INVOKE); it is NULL when the host does
 * not offer the extension. Plain C99, like holon_plugin.h.
 */
#ifndef HOLON_EXT_INVOKE_H
#define HOLON_EXT_INVOKE_H

#include "holon/holon_plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HOLON_EXT_INVOKE "holon.invoke/1"

/* An opaque handle to a finished nested run's outputs, owned by the host. */
typedef struct holon_invoke_result holon_invoke_result_t;

typedef struct holon_invoke_request {
    uint32_t struct_size;
    const char *method_id;     /* e.g. "sd.simulate" */
    /* The model to run on (holon-model/1 JSON); NULL/0 means "the calling run's model". */
    const char *model_json;
    uint64_t model_json_size;
    /* The params object; NULL/0 means "{}". */
    const char *params_json;
    uint64_t params_json_size;
    /* For importers: the foreign document and its name; NULL/0 otherwise. */
    const char *source;
    uint64_t source_size;
    const char *source_name;
} holon_invoke_request_t;

typedef struct holon_invoke_v1 {
    uint32_t struct_size;

    /* Runs a method to completion and stores a handle to its outputs in *out_result, also when it
     * failed (inspect the handle's status and error). The request is borrowed for the call. Blocks
     * the calling thread; may be called from any thread of the run, several at once. Returns
     * HOLON_OK when the nested run succeeded; otherwise its status, or HOLON_ERR_NOT_FOUND /
     * HOLON_ERR_BAD_ARGUMENT when it could not be started (then *out_result is still set when
     * out_result is not NULL, carrying the error). Release every handle you got with release(). */
    int32_t (*invoke)(const holon_context_t *ctx, const holon_invoke_request_t *request,
                      holon_invoke_result_t **out_result);

    /* The nested run's status (HOLON_OK or an error code). */
    int32_t (*status)(const holon_invoke_result_t *result);

    /* The nested run's error message ("" when it succeeded). Valid until release(). */
    const char *(*error_message)(const holon_invoke_result_t *result);

    /* The nested run's result document; *size receives its length. "null" when there is none.
     * Valid until release(). */
    const char *(*result_json)(const holon_invoke_result_t *result, uint64_t *size);

    /* The number of result tables and each one by index (NULL when out of range). Tables and
     * their columns are valid until release(). */
    uint32_t (*table_count)(const holon_invoke_result_t *result);
    const holon_table_t *(*table)(const holon_invoke_result_t *result, uint32_t index);

    /* Frees the handle and everything reached through it. Call exactly once per handle. */
    void (*release)(holon_invoke_result_t *result);
} holon_invoke_v1_t;

#ifdef __cplusplus
}
#endif

#endif /* HOLON_EXT_INVOKE_H */
