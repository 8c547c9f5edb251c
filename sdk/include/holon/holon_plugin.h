/*
 * Holon plugin SDK — the C ABI (version 1).
 *
 * This header is the whole contract between the Holon host and a plugin. It is plain C99 so that a
 * plugin can be written in any language that can export a C function, and it compiles as C99,
 * C11, C++17 and C++20 with -pedantic -Werror.
 *
 * Rules that hold for every declaration below (read these once; the per-function comments only
 * state what differs):
 *
 *  1. One exported symbol. A plugin exports exactly `holon_plugin_entry` (see the end of this
 *     file). Everything else the host needs is reached through the structs it returns; everything
 *     the plugin needs from the host arrives as function tables. A plugin links nothing of the host.
 *
 *  2. Versioning. HOLON_ABI_MAJOR must match between host and plugin. Within a major version every
 *     struct only grows at its end and starts with `struct_size` (the sizeof the producer was
 *     compiled with). A reader must check that a field lies inside `struct_size` before reading it;
 *     HOLON_HAS_FIELD() does that. New capabilities are new string ids with a revision number
 *     ("holon.method-factory/1", "holon.invoke/1", "com.acme.thing/2"), never edits of old ones.
 *
 *  3. Only borrowing crosses. Pointers handed to a callee are borrowed for the duration of that call
 *     unless a comment says otherwise; the callee copies what it wants to keep. Nothing allocated
 *     on one side is freed by the other. Results go into a host-owned sink (the put_* functions of
 *     holon_context_t), which copies.
 *
 *  4. Strings are UTF-8. Where a length is given it is authoritative and the data need not be
 *     NUL-terminated; where no length is given the string is NUL-terminated.
 *
 *  5. No enums, no bool, no C++ types, no exceptions. Status codes and flags are int32_t/uint32_t
 *     with #defines, and codes are append-only.
 *
 *  6. Threads. Plugin-level functions (init, deinit, get_factory, the factory's count/get) are
 *     called from one thread at a time. A method's run() is called on a host thread; if the
 *     method's descriptor sets HOLON_METHOD_FLAG_CONCURRENT the host may call run() for several
 *     runs at once on different threads. The context functions may be called from any thread, but
 *     only while the run() they belong to has not returned.
 */
#ifndef HOLON_PLUGIN_H
#define HOLON_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Versions
 * ------------------------------------------------------------------------------------------- */

#define HOLON_ABI_MAJOR 1
#define HOLON_ABI_MINOR 1
#define HOLON_ABI_PATCH 0

/* The name of the single exported symbol, for hosts that look it up by string. */
#define HOLON_PLUGIN_ENTRY_SYMBOL "holon_plugin_entry"

typedef struct holon_version {
    uint32_t major; /* must equal HOLON_ABI_MAJOR on both sides */
    uint32_t minor; /* grows when structs grow or ids are added */
    uint32_t patch; /* documentation and bug fixes only */
} holon_version_t;

/* True when `ptr` (pointing at a struct that starts with uint32_t struct_size) is large enough to
 * contain `field`. Use it before reading any field added after v1.0. struct_size is read through a
 * uint32_t pointer, not through `type`, because the producer's struct may be smaller than `type`
 * (reading a member of an object that is too small is undefined behaviour). */
#define HOLON_HAS_FIELD(ptr, type, field)                                      \
    ((ptr) != NULL && (size_t)(*(const uint32_t *)(const void *)(ptr)) >=       \
                          offsetof(type, field) + sizeof(((type *)0)->field))

/* ---------------------------------------------------------------------------------------------
 * Status codes (int32_t, append-only). Returned by run() and by host functions; also the `code`
 * of holon_context_t.set_error().
 * ------------------------------------------------------------------------------------------- */

#define HOLON_OK                     0  /* success */
#define HOLON_ERR_FAILED             1  /* the method failed for a reason given with set_error */
#define HOLON_ERR_INVALID_PARAMS     2  /* params are well-formed JSON but make no sense */
#define HOLON_ERR_INVALID_MODEL      3  /* the model (or imported source) cannot be used */
#define HOLON_ERR_CANCELLED          4  /* the run saw is_cancelled() and stopped */
#define HOLON_ERR_UNSUPPORTED        5  /* a requested feature is not implemented */
#define HOLON_ERR_OUT_OF_MEMORY      6  /* an allocation failed */
#define HOLON_ERR_RESULT_TOO_LARGE   7  /* a put_* call exceeded the run's output limit */
#define HOLON_ERR_INTERNAL           8  /* a bug: an invariant broke, an exception escaped */
#define HOLON_ERR_INVOKE             9  /* a nested holon.invoke/1 call failed */
#define HOLON_ERR_BAD_ARGUMENT      10  /* a host function got a NULL or malformed argument */
#define HOLON_ERR_NOT_FOUND         11  /* no such method / extension / table */
#define HOLON_ERR_TIME_BUDGET       12  /* the method stopped at its own time budget */

/* Log levels for log(). */
#define HOLON_LOG_DEBUG   0
#define HOLON_LOG_INFO    1
#define HOLON_LOG_WARNING 2
#define HOLON_LOG_ERROR   3

/* ---------------------------------------------------------------------------------------------
 * Borrowed data: column tables of doubles
 * ------------------------------------------------------------------------------------------- */

typedef struct holon_column {
    uint32_t struct_size;
    const char *name;      /* NUL-terminated UTF-8, unique within its table: the column's id */
    const double *values;  /* row_count values of the owning table; NaN is a missing value */
    /* Since 1.1 (read them only when HOLON_HAS_FIELD says they are there). Both NUL-terminated
     * UTF-8, NULL (or "") when there is none. `label` is the display name a person reads
     * ("Teacup Temperature"), `units` the units of the values ("Degrees Fahrenheit"). Tables
     * the host lends a plugin (inputs, nested runs) carry them whenever the producer gave them.
     * A C producer zero-initialises its columns ({0} or memset) so that fields it does not set are
     * NULL. */
    const char *label;
    const char *units;
} holon_column_t;

typedef struct holon_table {
    uint32_t struct_size;
    const char *name;               /* NUL-terminated UTF-8, e.g. "series" */
    uint64_t row_count;
    uint32_t column_count;
    const holon_column_t *columns;  /* column_count columns, see HOLON_TABLE_COLUMN */
} holon_table_t;

/* Column `i` of `table`. The columns of one table are an array whose elements are
 * columns[0].struct_size bytes apart (the size their producer was compiled with), so a reader that
 * may see columns of another minor version steps by that size, as this macro does. The host lends
 * each plugin columns of exactly the size that plugin was compiled with (its entry's abi.minor)
 * and reads a plugin's columns with their own size, so plain table->columns[i] stays right for a
 * plugin that only reads the fields of its own version. */
#define HOLON_TABLE_COLUMN(table, i)                                                        \
    ((const holon_column_t *)(const void *)((const char *)(const void *)(table)->columns +  \
                                            (size_t)(i) * (size_t)(*(const uint32_t *)(const void *)(table)->columns)))

/* ---------------------------------------------------------------------------------------------
 * What a run gets
 * ------------------------------------------------------------------------------------------- */

typedef struct holon_run_inputs {
    uint32_t struct_size;
    /* The shared system-of-interest model (holon-model/1 JSON) the run works on. Empty (size 0)
     * for importers and for methods whose descriptor says they need no model. */
    const char *model_json;
    uint64_t model_json_size;
    /* The params object, already validated against the method's params_schema. Never empty:
     * "{}" when the caller gave none. */
    const char *params_json;
    uint64_t params_json_size;
    /* Numeric inputs (data series, earlier results), possibly none. */
    uint32_t table_count;
    const holon_table_t *tables;
    /* For importers: the foreign document (XMILE, .mdl, GraphML, ...) and its original file name
     * (may be "" when it came over HTTP). Empty otherwise. */
    const char *source;
    uint64_t source_size;
    const char *source_name;
    /* A folder the run may read from (the imported file's folder, so that data files next to a
     * model can be found) or "" when there is none. */
    const char *source_dir;
    /* A private, writable folder, empty when the run starts and emptied after it. */
    const char *scratch_dir;
} holon_run_inputs_t;

/* ---------------------------------------------------------------------------------------------
 * The per-run context: the host side of one run.
 *
 * Ownership: the host owns the context and everything it points to; it is valid from the moment
 * run() is entered until run() returns. Do not keep pointers to it or call it afterwards.
 * Threads: every function may be called from any thread while run() has not returned; the host
 * serialises the calls.
 * ------------------------------------------------------------------------------------------- */

typedef struct holon_context holon_context_t;

struct holon_context {
    uint32_t struct_size;

    /* The inputs of this run. Borrowed for the duration of run(). */
    const holon_run_inputs_t *inputs;

    /* Records why the run failed. `message` is one line for a person; `details_json` is NULL or a
     * JSON object with machine-readable details (e.g. {"path": "/variables/3/equation",
     * "line": 4}). Both are copied. Returns `code` so a method can `return ctx->set_error(...)`.
     * The last call wins. */
    int32_t (*set_error)(const holon_context_t *ctx, int32_t code, const char *message,
                         const char *details_json);

    /* Reports progress: `fraction` in [0, 1] (values outside are clamped; NaN is ignored) and a
     * short stage label or NULL. Cheap; the host throttles what it forwards. */
    void (*progress)(const holon_context_t *ctx, double fraction, const char *stage);

    /* Returns 1 when the caller asked to cancel the run, 0 otherwise. Poll it at least every
     * 100 ms of work; on 1, clean up and return HOLON_ERR_CANCELLED. */
    int32_t (*is_cancelled)(const holon_context_t *ctx);

    /* Writes a log line (copied) at one of the HOLON_LOG_* levels. */
    void (*log)(const holon_context_t *ctx, int32_t level, const char *message);

    /* Sets the run's result document: one JSON value (normally an object) of `size` bytes that
     * must validate against the method's result_schema. Copied. A later call replaces an earlier
     * one. Returns HOLON_OK, HOLON_ERR_BAD_ARGUMENT (not valid JSON) or
     * HOLON_ERR_RESULT_TOO_LARGE (over the run's output limit; the run should stop). */
    int32_t (*put_json)(const holon_context_t *ctx, const char *json, uint64_t size);

    /* Adds a result table (copied). A table whose name was already put with the same column names
     * in the same order is appended to, so long results can be streamed in chunks. Returns
     * HOLON_OK, HOLON_ERR_BAD_ARGUMENT (duplicate or missing column names, or a name clash with
     * different columns) or HOLON_ERR_RESULT_TOO_LARGE. */
    int32_t (*put_table)(const holon_context_t *ctx, const holon_table_t *table);

    /* Adds a named artefact that is not JSON: an exported XMILE file, an SVG diagram, a DOT graph.
     * `name` is a file-like name ("model.xmile", "loops.svg"), `media_type` e.g.
     * "image/svg+xml". Copied. A later call with the same name replaces the earlier one. Returns
     * as put_json. */
    int32_t (*put_blob)(const holon_context_t *ctx, const char *name, const char *media_type,
                        const void *data, uint64_t size);

    /* Looks up a host extension by id with revision, e.g. "holon.invoke/1". Returns a pointer to
     * the extension's function table (cast it to the documented struct) or NULL when the host
     * does not offer it. The table is owned by the host and valid until run() returns. */
    const void *(*get_extension)(const holon_context_t *ctx, const char *extension_id);
};

/* ---------------------------------------------------------------------------------------------
 * Methods
 * ------------------------------------------------------------------------------------------- */

/* Method kinds (descriptor field `kind`). */
#define HOLON_METHOD_KIND_ANALYSIS 0 /* reads the model, produces results */
#define HOLON_METHOD_KIND_IMPORTER 1 /* reads inputs->source, puts a holon-model/1 document */
#define HOLON_METHOD_KIND_EXPORTER 2 /* reads the model, puts a blob in a foreign format */

/* Method flags (descriptor field `flags`, OR-ed). */
#define HOLON_METHOD_FLAG_CONCURRENT 0x1u /* run() may be called for several runs at once */
#define HOLON_METHOD_FLAG_NO_MODEL   0x2u /* the method does not read the model */

typedef struct holon_method_descriptor {
    uint32_t struct_size;
    const char *id;            /* "namespace.name", e.g. "sd.simulate"; unique across plugins */
    const char *name;          /* a short human title */
    const char *description;   /* one paragraph for a practitioner */
    const char *params_schema; /* JSON Schema (draft-07) text for the params object */
    const char *result_schema; /* JSON Schema (draft-07) text for the result document */
    int32_t kind;              /* HOLON_METHOD_KIND_* */
    uint32_t flags;            /* HOLON_METHOD_FLAG_* */
    /* Importers and exporters: comma-separated format names this method reads or writes, e.g.
     * "xmile,stmx". "" for analyses. */
    const char *formats;
} holon_method_descriptor_t;

/* Factory "holon.method-factory/1": the list of methods and the way to run them.
 * Ownership: the factory and the descriptors are owned by the plugin and stay valid until
 * deinit(). Threads: count/get from one thread at a time; run as described in rule 6. */
#define HOLON_FACTORY_METHODS "holon.method-factory/1"

typedef struct holon_method_factory_v1 {
    uint32_t struct_size;

    /* The number of methods. */
    uint32_t (*count)(const struct holon_method_factory_v1 *factory);

    /* The descriptor at `index` (0..count-1), or NULL when out of range. */
    const holon_method_descriptor_t *(*get)(const struct holon_method_factory_v1 *factory,
                                            uint32_t index);

    /* Runs method `method_id` with `ctx`. Returns HOLON_OK on success or an error code; on error
     * the method should have called ctx->set_error with a message. The context and everything
     * it points to are borrowed until run returns. Must not throw or longjmp out. */
    int32_t (*run)(const struct holon_method_factory_v1 *factory, const char *method_id,
                   const holon_context_t *ctx);
} holon_method_factory_v1_t;

/* ---------------------------------------------------------------------------------------------
 * The host as the plugin sees it at init()
 * ------------------------------------------------------------------------------------------- */

typedef struct holon_host {
    uint32_t struct_size;
    holon_version_t version;   /* the host's SDK version */
    const char *name;          /* "holon" */
    const char *host_version;  /* the product version, e.g. "0.1.0" */
    /* Looks up a host extension available outside runs (none are defined in v1.0); NULL when
     * absent. Called from the init/deinit thread only. */
    const void *(*get_extension)(const struct holon_host *host, const char *extension_id);
} holon_host_t;

/* ---------------------------------------------------------------------------------------------
 * The plugin entry
 * ------------------------------------------------------------------------------------------- */

typedef struct holon_plugin_entry_info {
    uint32_t struct_size;
    /* The SDK version the plugin was compiled against: set it to
     * {HOLON_ABI_MAJOR, HOLON_ABI_MINOR, HOLON_ABI_PATCH}. */
    holon_version_t abi;
    const char *plugin_id;      /* must equal the manifest's id */
    const char *plugin_version; /* must equal the manifest's version */

    /* Called once after loading, before anything else. `host` is borrowed for the call;
     * `plugin_dir` is the folder holding plugin.json (for data files). Returns HOLON_OK, or an
     * error code and the host unloads the plugin without calling deinit. */
    int32_t (*init)(const holon_host_t *host, const char *plugin_dir);

    /* Called once before unloading, after every run has returned. */
    void (*deinit)(void);

    /* Returns the factory with the given id ("holon.method-factory/1") or NULL. Valid until
     * deinit. Called only between init and deinit. */
    const void *(*get_factory)(const char *factory_id);
} holon_plugin_entry_t;

/* The one exported function. `host_version` is borrowed for the call. Returns a pointer to a
 * static entry struct that lives as long as the library is loaded, or NULL if the plugin refuses
 * to run under this host version. Must be cheap and side-effect free: the host calls it to read
 * metadata before init(). Called from one thread. */
typedef const holon_plugin_entry_t *(*holon_plugin_entry_fn)(const holon_version_t *host_version);

#if defined(_WIN32)
#define HOLON_EXPORT __declspec(dllexport)
#else
#define HOLON_EXPORT __attribute__((visibility("default")))
#endif

/* The prototype every plugin defines (a host looks it up with dlsym instead of calling it). */
HOLON_EXPORT const holon_plugin_entry_t *holon_plugin_entry(const holon_version_t *host_version);

#ifdef __cplusplus
}
#endif

/* Each host extension lives in its own header under holon/ext/, as CLAP keeps its extensions.
 * They are included here so that plugins written against SDK 1.0, when everything was in this
 * file, still compile unchanged. */
#include "holon/ext/invoke.h"

#endif /* HOLON_PLUGIN_H */
