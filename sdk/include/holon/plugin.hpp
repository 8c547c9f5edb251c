// Holon plugin SDK — the header-only C++ layer over holon_plugin.h.
//
// A method is a small class:
//
//     struct Hello {
//         static holon::MethodInfo info() {
//             return {"example.hello", "Hello", "Greets the model.", R"({"type":"object"})",
//                     R"({"type":"object"})"};
//         }
//         void run(holon::Context& ctx) { ctx.put_json(R"({"greeting":"hello"})"); }
//     };
//     HOLON_PLUGIN("example", "1.0.0", Hello)
//
// One instance of the class is made per run, so members are per-run state. Every exception is
// caught at the C boundary and becomes a status code plus message: holon::Error carries its own
// code, std::bad_alloc becomes HOLON_ERR_OUT_OF_MEMORY, anything else HOLON_ERR_INTERNAL.
//
// This header needs C++17 and only the standard library.
#ifndef HOLON_PLUGIN_HPP
#define HOLON_PLUGIN_HPP

#include "holon/holon_plugin.h"

#include <cstdint>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace holon {

// An error a method throws to fail its run with a specific status code.
class Error : public std::runtime_error {
public:
    Error(int32_t code, const std::string &message, std::string details_json = {})
        : std::runtime_error(message), code_(code), details_(std::move(details_json)) {}
    int32_t code() const noexcept { return code_; }
    // A JSON object with machine-readable details, or empty.
    const std::string &details_json() const noexcept { return details_; }

private:
    int32_t code_;
    std::string details_;
};

// What the host shows about a method. The strings must outlive the plugin (string literals or
// static storage): the descriptor points at them.
struct MethodInfo {
    const char *id;
    const char *name;
    const char *description;
    const char *params_schema;
    const char *result_schema;
    int32_t kind = HOLON_METHOD_KIND_ANALYSIS;
    uint32_t flags = 0;
    const char *formats = "";
};

// An owning column table, convenient for building results. A column has an id (column_names,
// unique in the table, what callers look columns up by), and optionally a display name (label) and
// units: CSV, JSON and XLSX downloads show them.
struct Table {
    std::string name;
    std::vector<std::string> column_names;
    std::vector<std::vector<double>> columns; // columns[i] has one value per row
    std::vector<std::string> column_labels = {}; // "" or missing: no display name (since SDK 1.1)
    std::vector<std::string> column_units = {};  // "" or missing: no units (since SDK 1.1)

    void add_column(std::string column_name, std::vector<double> values, std::string label = {},
                    std::string units = {}) {
        column_labels.resize(column_names.size());
        column_units.resize(column_names.size());
        column_names.push_back(std::move(column_name));
        columns.push_back(std::move(values));
        column_labels.push_back(std::move(label));
        column_units.push_back(std::move(units));
    }
    uint64_t row_count() const { return columns.empty() ? 0 : columns.front().size(); }
};

// A borrowed view of a table (an input, or a nested run's output). Valid as long as its source.
class TableView {
public:
    explicit TableView(const holon_table_t *t) : t_(t) {}
    std::string_view name() const { return t_->name ? t_->name : ""; }
    uint64_t row_count() const { return t_->row_count; }
    uint32_t column_count() const { return t_->column_count; }
    std::string_view column_name(uint32_t i) const { return at(i)->name; }
    const double *column(uint32_t i) const { return at(i)->values; }
    // The column's display name and units, "" when the producer gave none (or predates SDK 1.1).
    std::string_view column_label(uint32_t i) const {
        const holon_column_t *c = at(i);
        return HOLON_HAS_FIELD(c, holon_column_t, label) && c->label ? c->label : "";
    }
    std::string_view column_units(uint32_t i) const {
        const holon_column_t *c = at(i);
        return HOLON_HAS_FIELD(c, holon_column_t, units) && c->units ? c->units : "";
    }
    // Index of the named column, or -1.
    int64_t find(std::string_view column_name) const {
        for (uint32_t i = 0; i < t_->column_count; ++i)
            if (column_name == at(i)->name) return static_cast<int64_t>(i);
        return -1;
    }
    const holon_table_t *raw() const { return t_; }

private:
    const holon_column_t *at(uint32_t i) const { return HOLON_TABLE_COLUMN(t_, i); }
    const holon_table_t *t_;
};

// The outputs of a nested run started with Context::invoke. Releases the host's handle when
// destroyed; tables and JSON obtained from it are valid until then.
class InvokeResult {
public:
    InvokeResult(const holon_invoke_v1_t *api, holon_invoke_result_t *r) : api_(api), r_(r) {}
    InvokeResult(const InvokeResult &) = delete;
    InvokeResult &operator=(const InvokeResult &) = delete;
    InvokeResult(InvokeResult &&o) noexcept : api_(o.api_), r_(std::exchange(o.r_, nullptr)) {}
    InvokeResult &operator=(InvokeResult &&o) noexcept {
        if (this != &o) {
            reset();
            api_ = o.api_;
            r_ = std::exchange(o.r_, nullptr);
        }
        return *this;
    }
    ~InvokeResult() { reset(); }

    int32_t status() const { return r_ ? api_->status(r_) : HOLON_ERR_INVOKE; }
    bool ok() const { return status() == HOLON_OK; }
    // Fails the calling run when the nested one failed: with the nested status where it means the
    // same to the caller (cancelled, invalid model or params, unsupported), else HOLON_ERR_INVOKE;
    // the message is "<what> failed: <nested message>".
    void throw_if_failed(std::string_view what) const {
        if (ok()) return;
        const int32_t s = status();
        const bool passes_through = s == HOLON_ERR_CANCELLED || s == HOLON_ERR_INVALID_MODEL ||
                                    s == HOLON_ERR_INVALID_PARAMS || s == HOLON_ERR_UNSUPPORTED;
        throw Error(passes_through ? s : HOLON_ERR_INVOKE,
                    std::string(what) + " failed: " + std::string(error_message()));
    }
    std::string_view error_message() const { return r_ ? api_->error_message(r_) : "no result"; }
    std::string_view json() const {
        if (!r_) return "null";
        uint64_t size = 0;
        const char *data = api_->result_json(r_, &size);
        return {data, static_cast<size_t>(size)};
    }
    uint32_t table_count() const { return r_ ? api_->table_count(r_) : 0; }
    TableView table(uint32_t i) const {
        const holon_table_t *t = r_ ? api_->table(r_, i) : nullptr;
        if (!t) throw Error(HOLON_ERR_INVOKE, "nested run has no table #" + std::to_string(i));
        return TableView(t);
    }
    // The table with the given name; throws holon::Error when missing.
    TableView table(std::string_view name) const {
        for (uint32_t i = 0; i < table_count(); ++i) {
            TableView t = table(i);
            if (t.name() == name) return t;
        }
        throw Error(HOLON_ERR_INVOKE, "nested run has no table '" + std::string(name) + "'");
    }

private:
    void reset() {
        if (r_) api_->release(r_);
        r_ = nullptr;
    }
    const holon_invoke_v1_t *api_;
    holon_invoke_result_t *r_;
};

// The C++ face of holon_context_t. Borrowed for the duration of run().
class Context {
public:
    explicit Context(const holon_context_t *c) : c_(c) {}

    std::string_view model_json() const { return view(c_->inputs->model_json, c_->inputs->model_json_size); }
    std::string_view params_json() const { return view(c_->inputs->params_json, c_->inputs->params_json_size); }
    std::string_view source() const { return view(c_->inputs->source, c_->inputs->source_size); }
    std::string_view source_name() const { return cstr(c_->inputs->source_name); }
    std::string_view source_dir() const { return cstr(c_->inputs->source_dir); }
    std::string_view scratch_dir() const { return cstr(c_->inputs->scratch_dir); }
    uint32_t table_count() const { return c_->inputs->table_count; }
    TableView table(uint32_t i) const { return TableView(&c_->inputs->tables[i]); }

    void progress(double fraction, const char *stage = nullptr) const { c_->progress(c_, fraction, stage); }
    bool cancelled() const { return c_->is_cancelled(c_) != 0; }
    // Throws Error(HOLON_ERR_CANCELLED) when the run was cancelled: call it in long loops.
    void check_cancelled() const {
        if (cancelled()) throw Error(HOLON_ERR_CANCELLED, "run cancelled");
    }
    void log(int32_t level, const std::string &message) const { c_->log(c_, level, message.c_str()); }
    void info(const std::string &message) const { log(HOLON_LOG_INFO, message); }
    void warn(const std::string &message) const { log(HOLON_LOG_WARNING, message); }

    void put_json(std::string_view json) const {
        check(c_->put_json(c_, json.data(), json.size()), "put_json");
    }
    void put_table(const Table &table) const {
        std::vector<holon_column_t> cols(table.columns.size());
        for (size_t i = 0; i < cols.size(); ++i) {
            if (table.columns[i].size() != table.row_count())
                throw Error(HOLON_ERR_INTERNAL, "table '" + table.name + "' has columns of different lengths");
            cols[i] = holon_column_t{static_cast<uint32_t>(sizeof(holon_column_t)), table.column_names[i].c_str(),
                                     table.columns[i].data(), text_or_null(table.column_labels, i),
                                     text_or_null(table.column_units, i)};
        }
        holon_table_t t{static_cast<uint32_t>(sizeof(holon_table_t)), table.name.c_str(), table.row_count(),
                        static_cast<uint32_t>(cols.size()), cols.data()};
        check(c_->put_table(c_, &t), "put_table");
    }
    void put_blob(const std::string &name, const std::string &media_type, std::string_view data) const {
        check(c_->put_blob(c_, name.c_str(), media_type.c_str(), data.data(), data.size()), "put_blob");
    }

    // Runs another method through the host ("holon.invoke/1"). An empty model_json means "this
    // run's model". Returns the outputs whatever the nested status; check ok().
    InvokeResult invoke(const std::string &method_id, std::string_view params_json = "{}",
                        std::string_view model_json = {}) const {
        auto api = static_cast<const holon_invoke_v1_t *>(c_->get_extension(c_, HOLON_EXT_INVOKE));
        if (!api) throw Error(HOLON_ERR_UNSUPPORTED, "this host does not offer holon.invoke/1");
        holon_invoke_request_t req{};
        req.struct_size = sizeof(req);
        req.method_id = method_id.c_str();
        req.model_json = model_json.empty() ? nullptr : model_json.data();
        req.model_json_size = model_json.size();
        req.params_json = params_json.data();
        req.params_json_size = params_json.size();
        holon_invoke_result_t *r = nullptr;
        api->invoke(c_, &req, &r);
        return InvokeResult(api, r);
    }

    const holon_context_t *raw() const { return c_; }

private:
    static std::string_view view(const char *p, uint64_t n) { return p ? std::string_view(p, static_cast<size_t>(n)) : std::string_view(); }
    static std::string_view cstr(const char *p) { return p ? std::string_view(p) : std::string_view(); }
    static const char *text_or_null(const std::vector<std::string> &texts, size_t i) {
        return i < texts.size() && !texts[i].empty() ? texts[i].c_str() : nullptr;
    }
    static void check(int32_t rc, const char *what) {
        if (rc == HOLON_OK) return;
        if (rc == HOLON_ERR_RESULT_TOO_LARGE) throw Error(rc, std::string(what) + ": result exceeds the run's output limit");
        throw Error(rc, std::string(what) + " was refused by the host");
    }
    const holon_context_t *c_;
};

namespace detail {

// Runs one method instance and turns every exception into a status code.
template <class M>
int32_t run_method(const holon_context_t *raw) noexcept {
    try {
        Context ctx(raw);
        M method;
        method.run(ctx);
        return HOLON_OK;
    } catch (const Error &e) {
        return raw->set_error(raw, e.code(), e.what(), e.details_json().empty() ? nullptr : e.details_json().c_str());
    } catch (const std::bad_alloc &) {
        return raw->set_error(raw, HOLON_ERR_OUT_OF_MEMORY, "out of memory", nullptr);
    } catch (const std::exception &e) {
        std::string msg = std::string("unhandled exception: ") + e.what();
        return raw->set_error(raw, HOLON_ERR_INTERNAL, msg.c_str(), nullptr);
    } catch (...) {
        return raw->set_error(raw, HOLON_ERR_INTERNAL, "unhandled exception of unknown type", nullptr);
    }
}

template <class... Methods>
struct Plugin {
    using RunFn = int32_t (*)(const holon_context_t *) noexcept;
    static constexpr size_t count = sizeof...(Methods);

    static holon_method_descriptor_t *descriptors() {
        static holon_method_descriptor_t d[count] = {make_descriptor(Methods::info())...};
        return d;
    }
    static RunFn *runners() {
        static RunFn r[count] = {&run_method<Methods>...};
        return r;
    }
    static holon_method_descriptor_t make_descriptor(const MethodInfo &i) {
        holon_method_descriptor_t d{};
        d.struct_size = sizeof(d);
        d.id = i.id;
        d.name = i.name;
        d.description = i.description;
        d.params_schema = i.params_schema;
        d.result_schema = i.result_schema;
        d.kind = i.kind;
        d.flags = i.flags;
        d.formats = i.formats ? i.formats : "";
        return d;
    }
    static uint32_t f_count(const holon_method_factory_v1_t *) { return static_cast<uint32_t>(count); }
    static const holon_method_descriptor_t *f_get(const holon_method_factory_v1_t *, uint32_t index) {
        return index < count ? &descriptors()[index] : nullptr;
    }
    static int32_t f_run(const holon_method_factory_v1_t *, const char *method_id, const holon_context_t *ctx) {
        if (!method_id || !ctx) return HOLON_ERR_BAD_ARGUMENT;
        for (size_t i = 0; i < count; ++i)
            if (std::string_view(descriptors()[i].id) == method_id) return runners()[i](ctx);
        return ctx->set_error(ctx, HOLON_ERR_NOT_FOUND, "no such method in this plugin", nullptr);
    }
    static const holon_method_factory_v1_t *factory() {
        static const holon_method_factory_v1_t f{static_cast<uint32_t>(sizeof(holon_method_factory_v1_t)), &f_count,
                                                 &f_get, &f_run};
        return &f;
    }
    static int32_t init(const holon_host_t *, const char *) noexcept {
        try {
            (void)descriptors();
            return HOLON_OK;
        } catch (...) {
            return HOLON_ERR_INTERNAL;
        }
    }
    static void deinit() noexcept {}
    static const void *get_factory(const char *id) noexcept {
        if (id && std::string_view(id) == HOLON_FACTORY_METHODS) return factory();
        return nullptr;
    }
};

} // namespace detail
} // namespace holon

// Emits the plugin's single exported entry point for the listed method classes.
#define HOLON_PLUGIN(PLUGIN_ID, PLUGIN_VERSION, ...)                                                      \
    extern "C" HOLON_EXPORT const holon_plugin_entry_t *holon_plugin_entry(const holon_version_t *host) { \
        using holon_plugin_impl_ = ::holon::detail::Plugin<__VA_ARGS__>;                                  \
        static const holon_plugin_entry_t entry{static_cast<uint32_t>(sizeof(holon_plugin_entry_t)),      \
                                                {HOLON_ABI_MAJOR, HOLON_ABI_MINOR, HOLON_ABI_PATCH},       \
                                                PLUGIN_ID,                                                 \
                                                PLUGIN_VERSION,                                            \
                                                &holon_plugin_impl_::init,                                 \
                                                &holon_plugin_impl_::deinit,                               \
                                                &holon_plugin_impl_::get_factory};                         \
        if (!host || host->major != HOLON_ABI_MAJOR) return nullptr;                                       \
        return &entry;                                                                                     \
    }

#endif // HOLON_PLUGIN_HPP
