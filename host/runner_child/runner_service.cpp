#include "runner_child/runner_service.hpp"

#include "runner/protocol.hpp"
#include "runner_child/sweep_chunk.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <malloc.h>
#include <deque>
#include <map>
#include <mutex>
#include <new>
#include <optional>
#include <set>
#include <thread>
#include <unistd.h>

// The handle behind holon_invoke_result_t: a nested run's outputs, owned by the runner until the
// plugin calls release().
struct holon_invoke_result {
    int32_t status = HOLON_OK;
    std::string message;
    std::string json = "null";
    std::vector<holon::runner::TableData> tables;
    holon::runner::protocol::LentTables views;
};

namespace holon::runner {
namespace {

using protocol::Frame;
using protocol::MessageType;

// Frames from the host may carry a whole model and its tables; RLIMIT_AS is the real bound.
constexpr uint64_t kMaxIncomingFrame = uint64_t{16} << 30;
constexpr auto kProgressInterval = std::chrono::milliseconds(50);

int g_fd = -1;
std::mutex g_write_mutex;

// Every frame goes out whole under one lock, whichever thread sends it. When the host is gone
// there is nobody to report to, so the runner just ends.
void send(MessageType type, std::string_view payload) {
    std::lock_guard lock(g_write_mutex);
    try {
        protocol::write_frame(g_fd, type, payload);
    } catch (const protocol::ProtocolError &) {
        _exit(0);
    }
}

// Requests for the main thread (DESCRIBE, JOB), in arrival order.
class Inbox {
public:
    void push(Frame frame) {
        {
            std::lock_guard lock(mutex_);
            frames_.push_back(std::move(frame));
        }
        cv_.notify_one();
    }
    void close() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        cv_.notify_one();
    }
    std::optional<Frame> pop() {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return closed_ || !frames_.empty(); });
        if (frames_.empty()) return std::nullopt;
        Frame frame = std::move(frames_.front());
        frames_.pop_front();
        return frame;
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Frame> frames_;
    bool closed_ = false;
};

// Nested invokes waiting for the host's INVOKE_RESULT, by request id.
class PendingInvokes {
public:
    uint64_t open() {
        std::lock_guard lock(mutex_);
        uint64_t id = ++next_id_;
        results_[id];
        return id;
    }
    void deliver(protocol::InvokeResultMessage result) {
        {
            std::lock_guard lock(mutex_);
            auto it = results_.find(result.id);
            if (it == results_.end()) return;
            it->second = std::move(result);
        }
        cv_.notify_all();
    }
    protocol::InvokeResultMessage wait(uint64_t id) {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return results_[id].has_value(); });
        protocol::InvokeResultMessage result = std::move(*results_[id]);
        results_.erase(id);
        return result;
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::map<uint64_t, std::optional<protocol::InvokeResultMessage>> results_;
    uint64_t next_id_ = 0;
};

Inbox g_inbox;
PendingInvokes g_invokes;
std::atomic<bool> g_cancelled{false};
// A job is running while fewer jobs finished than arrived.
std::atomic<uint64_t> g_jobs_received{0};
std::atomic<uint64_t> g_jobs_finished{0};

// The state of the job in progress. Guarded by g_job_mutex; g_job is null between jobs so that a
// plugin thread calling its context after run() returned is refused instead of corrupting memory.
struct Job {
    const holon_context_t *ctx = nullptr;
    ChunkCapture *capture = nullptr; // a run of a sweep chunk: tables go here, nothing is sent
    uint32_t plugin_minor = 0; // the SDK minor version the plugin was built against
    uint64_t output_limit = 0;
    uint64_t output_used = 0;
    std::map<std::string, std::vector<std::string>> table_columns;
    bool have_error = false;
    std::string error_message, error_details;
    bool invalid_json = false;
    std::chrono::steady_clock::time_point last_progress{};
    std::string last_stage;
};

std::mutex g_job_mutex;
Job *g_job = nullptr;

Job *current(const holon_context_t *ctx) { return g_job && g_job->ctx == ctx ? g_job : nullptr; }

bool reserve_output(Job &job, uint64_t bytes) {
    if (bytes > job.output_limit || job.output_used > job.output_limit - bytes) return false;
    job.output_used += bytes;
    return true;
}

// ---- holon_context_t --------------------------------------------------------------------------

int32_t ctx_set_error(const holon_context_t *ctx, int32_t code, const char *message, const char *details_json) {
    std::lock_guard lock(g_job_mutex);
    if (Job *job = current(ctx)) {
        job->have_error = true;
        job->error_message = message ? message : "";
        job->error_details = details_json ? details_json : "";
    }
    return code;
}

void ctx_progress(const holon_context_t *ctx, double fraction, const char *stage) {
    if (std::isnan(fraction)) return;
    fraction = std::clamp(fraction, 0.0, 1.0);
    std::lock_guard lock(g_job_mutex);
    Job *job = current(ctx);
    if (!job || job->capture) return; // a chunk's runs are counted by the host, not reported one by one
    std::string stage_text = stage ? stage : "";
    auto now = std::chrono::steady_clock::now();
    bool due = now - job->last_progress >= kProgressInterval || stage_text != job->last_stage || fraction >= 1.0;
    if (!due) return;
    job->last_progress = now;
    job->last_stage = stage_text;
    send(MessageType::Progress, protocol::encode(protocol::ProgressMessage{fraction, stage_text}));
}

int32_t ctx_is_cancelled(const holon_context_t *) { return g_cancelled.load() ? 1 : 0; }

void ctx_log(const holon_context_t *ctx, int32_t level, const char *message) {
    std::lock_guard lock(g_job_mutex);
    if (!current(ctx) || !message || current(ctx)->capture) return; // 10^5 runs' warnings would flood the host
    send(MessageType::Log, protocol::encode(LogLine{level, message}));
}

int32_t ctx_put_json(const holon_context_t *ctx, const char *json, uint64_t size) {
    std::lock_guard lock(g_job_mutex);
    Job *job = current(ctx);
    if (!job || (!json && size > 0)) return HOLON_ERR_BAD_ARGUMENT;
    if (job->capture) return HOLON_OK; // a chunk's runs report outcomes, not result documents
    std::string_view text(json ? json : "", static_cast<size_t>(size));
    if (!nlohmann::json::accept(text)) {
        job->invalid_json = true;
        return HOLON_ERR_BAD_ARGUMENT;
    }
    if (!reserve_output(*job, size)) return HOLON_ERR_RESULT_TOO_LARGE;
    send(MessageType::ResultJson, text);
    return HOLON_OK;
}

bool valid_columns(const holon_table_t &table, std::vector<std::string> &names) {
    if (table.column_count > 0 && !table.columns) return false;
    // Columns are struct_size bytes apart: the size the plugin was built with (1.0 or later).
    if (table.column_count > 0 && table.columns[0].struct_size < offsetof(holon_column_t, label)) return false;
    std::set<std::string_view> seen;
    for (uint32_t c = 0; c < table.column_count; ++c) {
        const holon_column_t &column = *HOLON_TABLE_COLUMN(&table, c);
        if (column.struct_size != table.columns[0].struct_size) return false;
        if (!column.name || !*column.name || (table.row_count > 0 && !column.values)) return false;
        if (!seen.insert(column.name).second) return false;
        names.emplace_back(column.name);
    }
    return true;
}

int32_t ctx_put_table(const holon_context_t *ctx, const holon_table_t *table) {
    std::lock_guard lock(g_job_mutex);
    Job *job = current(ctx);
    if (!job || !table || !table->name || !*table->name) return HOLON_ERR_BAD_ARGUMENT;
    std::vector<std::string> names;
    if (!valid_columns(*table, names)) return HOLON_ERR_BAD_ARGUMENT;
    auto known = job->table_columns.find(table->name);
    if (known != job->table_columns.end() && known->second != names) return HOLON_ERR_BAD_ARGUMENT;
    if (table->column_count > 0 && table->row_count > job->output_limit / sizeof(double) / table->column_count)
        return HOLON_ERR_RESULT_TOO_LARGE;
    if (job->capture) {
        job->table_columns[table->name] = std::move(names);
        job->capture->on_table(*table);
        return HOLON_OK;
    }
    if (!reserve_output(*job, protocol::table_bytes(*table))) return HOLON_ERR_RESULT_TOO_LARGE;
    job->table_columns[table->name] = std::move(names);
    std::lock_guard write_lock(g_write_mutex);
    try {
        protocol::write_table_frame(g_fd, *table);
    } catch (const protocol::ProtocolError &) {
        _exit(0); // the host is gone
    }
    return HOLON_OK;
}

int32_t ctx_put_blob(const holon_context_t *ctx, const char *name, const char *media_type, const void *data,
                     uint64_t size) {
    std::lock_guard lock(g_job_mutex);
    Job *job = current(ctx);
    if (!job || !name || !*name || !media_type || (!data && size > 0)) return HOLON_ERR_BAD_ARGUMENT;
    if (!reserve_output(*job, size)) return HOLON_ERR_RESULT_TOO_LARGE;
    Blob blob{name, media_type, std::string(static_cast<const char *>(data ? data : ""), static_cast<size_t>(size))};
    send(MessageType::ResultBlob, protocol::encode(blob));
    return HOLON_OK;
}

// ---- holon.invoke/1 -----------------------------------------------------------------------------

holon_invoke_result *make_result(int32_t status, std::string message) {
    auto *r = new holon_invoke_result;
    r->status = status;
    r->message = std::move(message);
    return r;
}

void attach_tables(holon_invoke_result &r, std::vector<TableData> tables, uint32_t plugin_minor) {
    r.tables = std::move(tables);
    r.views.lend(r.tables, plugin_minor);
}

std::string bytes_or_empty(const char *data, uint64_t size) {
    return data ? std::string(data, static_cast<size_t>(size)) : std::string();
}

int32_t invoke(const holon_context_t *ctx, const holon_invoke_request_t *request, holon_invoke_result_t **out) {
    holon_invoke_result *result = nullptr;
    try {
        protocol::InvokeRequestMessage message;
        bool valid = false;
        uint32_t plugin_minor = 0;
        {
            std::lock_guard lock(g_job_mutex);
            if (Job *job = current(ctx)) plugin_minor = job->plugin_minor;
            valid = current(ctx) && request && HOLON_HAS_FIELD(request, holon_invoke_request_t, source_name) &&
                    request->method_id;
        }
        if (!valid) {
            result = make_result(HOLON_ERR_BAD_ARGUMENT, "invoke needs the run's context and a request with a method id");
        } else {
            message.request.method_id = request->method_id;
            message.use_callers_model = request->model_json == nullptr;
            message.request.model_json = bytes_or_empty(request->model_json, request->model_json_size);
            message.request.params_json = request->params_json && request->params_json_size > 0
                                              ? bytes_or_empty(request->params_json, request->params_json_size)
                                              : "{}";
            message.request.source = bytes_or_empty(request->source, request->source_size);
            message.request.source_name = request->source_name ? request->source_name : "";
            message.id = g_invokes.open();
            send(MessageType::InvokeRequest, protocol::encode(message));
            protocol::InvokeResultMessage answer = g_invokes.wait(message.id);
            result = make_result(answer.status, std::move(answer.message));
            if (!answer.result_json.empty()) result->json = std::move(answer.result_json);
            attach_tables(*result, std::move(answer.tables), plugin_minor);
        }
    } catch (const std::bad_alloc &) {
        delete result;
        result = nullptr;
        if (out) *out = nullptr;
        return HOLON_ERR_OUT_OF_MEMORY;
    }
    int32_t status = result->status;
    if (out)
        *out = result;
    else
        delete result;
    return status;
}

int32_t invoke_status(const holon_invoke_result_t *r) { return r ? r->status : HOLON_ERR_BAD_ARGUMENT; }
const char *invoke_error_message(const holon_invoke_result_t *r) { return r ? r->message.c_str() : ""; }
const char *invoke_result_json(const holon_invoke_result_t *r, uint64_t *size) {
    if (!r) {
        if (size) *size = 4;
        return "null";
    }
    if (size) *size = r->json.size();
    return r->json.c_str();
}
uint32_t invoke_table_count(const holon_invoke_result_t *r) { return r ? r->views.size() : 0; }
const holon_table_t *invoke_table(const holon_invoke_result_t *r, uint32_t index) {
    return r ? r->views.at(index) : nullptr;
}
void invoke_release(holon_invoke_result_t *r) { delete r; }

const holon_invoke_v1_t g_invoke_api{static_cast<uint32_t>(sizeof(holon_invoke_v1_t)),
                                     &invoke,
                                     &invoke_status,
                                     &invoke_error_message,
                                     &invoke_result_json,
                                     &invoke_table_count,
                                     &invoke_table,
                                     &invoke_release};

const void *ctx_get_extension(const holon_context_t *, const char *extension_id) {
    if (extension_id && std::strcmp(extension_id, HOLON_EXT_INVOKE) == 0) return &g_invoke_api;
    return nullptr;
}

// ---- serving ----------------------------------------------------------------------------------

// One run of the method with these params; `capture` set for the runs of a sweep chunk.
protocol::DoneMessage run_method(const LoadedPlugin &plugin, const protocol::TaskMessage &m, std::string_view params,
                                 ChunkCapture *capture) {
    protocol::LentTables tables;
    tables.lend(m.tables, plugin.description().abi_minor);
    const holon_run_inputs_t inputs{static_cast<uint32_t>(sizeof(holon_run_inputs_t)),
                                    m.model_json.data(),
                                    m.model_json.size(),
                                    params.data(),
                                    params.size(),
                                    tables.size(),
                                    tables.data(),
                                    m.source.data(),
                                    m.source.size(),
                                    m.source_name.c_str(),
                                    m.source_dir.c_str(),
                                    m.scratch_dir.c_str()};
    const holon_context_t ctx{static_cast<uint32_t>(sizeof(holon_context_t)),
                              &inputs,
                              &ctx_set_error,
                              &ctx_progress,
                              &ctx_is_cancelled,
                              &ctx_log,
                              &ctx_put_json,
                              &ctx_put_table,
                              &ctx_put_blob,
                              &ctx_get_extension};
    Job job;
    job.ctx = &ctx;
    job.plugin_minor = plugin.description().abi_minor;
    job.output_limit = m.output_bytes;
    job.capture = capture;
    {
        std::lock_guard lock(g_job_mutex);
        g_job = &job;
    }

    protocol::DoneMessage done;
    if (!m.scratch_dir.empty() && chdir(m.scratch_dir.c_str()) != 0) {
        done.status = HOLON_ERR_FAILED;
        done.message = "runner cannot enter its scratch dir " + m.scratch_dir + ": " + std::strerror(errno);
    } else {
        const holon_method_factory_v1_t &factory = plugin.factory();
        try {
            done.status = factory.run(&factory, m.method_id.c_str(), &ctx);
        } catch (...) {
            done.status = HOLON_ERR_INTERNAL;
            done.message = "an exception escaped the plugin's C boundary";
        }
    }
    {
        std::lock_guard lock(g_job_mutex);
        g_job = nullptr;
    }
    // Leave the scratch dir so that the host deletes a dir that is nobody's cwd; "/" is always
    // enterable, and failing to leave would not change the outcome.
    if (chdir("/") != 0) {
    }

    if (done.status != HOLON_OK && done.message.empty()) {
        done.message = job.have_error ? job.error_message
                                      : "method returned status " + std::to_string(done.status) + " without a message";
        done.details_json = job.have_error ? job.error_details : "";
    }
    if (job.invalid_json) {
        done.problem = "invalid-result";
        if (done.status == HOLON_OK) {
            done.status = HOLON_ERR_FAILED;
            done.message = "the method put a result document that is not valid JSON";
        }
    }
    return done;
}

void run_job(const LoadedPlugin &plugin, const protocol::TaskMessage &m) {
    if (m.point_params.empty()) {
        send(MessageType::Done, protocol::encode(run_method(plugin, m, m.params_json, nullptr)));
        return;
    }
    ChunkHooks hooks;
    hooks.run_one = [&](std::string_view params, ChunkCapture &capture) { return run_method(plugin, m, params, &capture); };
    hooks.cancelled = [] { return g_cancelled.load(); };
    hooks.send = [](MessageType type, std::string_view payload) { send(type, payload); };
    run_sweep_chunk(m, hooks);
}

void read_requests(int fd) {
    try {
        while (auto frame = protocol::read_frame(fd, kMaxIncomingFrame)) {
            switch (frame->type) {
            case MessageType::Job:
                // Reset here, not on the main thread, so a CANCEL that follows the JOB is never lost.
                g_cancelled = false;
                ++g_jobs_received;
                g_inbox.push(std::move(*frame));
                break;
            case MessageType::Describe:
                g_inbox.push(std::move(*frame));
                break;
            case MessageType::Cancel:
                g_cancelled = true;
                break;
            case MessageType::InvokeResult:
                g_invokes.deliver(protocol::decode_invoke_result(frame->payload));
                break;
            default:
                throw protocol::ProtocolError(std::string("unexpected ") + protocol::message_type_name(frame->type) +
                                              " from the host");
            }
        }
    } catch (const std::bad_alloc &) {
        report_fatal(fd, "memory-limit", "the job's inputs do not fit in the runner's memory limit");
        _exit(4);
    } catch (const std::exception &e) {
        report_fatal(fd, "protocol-error", e.what());
        _exit(4);
    }
    // The host closed the socket. A running method may be blocked on the host, so only an idle
    // runner shuts down in order (deinit); a busy one just ends.
    if (g_jobs_received != g_jobs_finished) _exit(0);
    g_inbox.close();
}

} // namespace

void report_fatal(int socket_fd, const std::string &problem, const std::string &message) {
    g_fd = socket_fd;
    protocol::ErrorMessage error;
    error.status = HOLON_ERR_FAILED;
    error.problem = problem;
    error.message = message;
    send(MessageType::Error, protocol::encode(error));
}

int serve(int socket_fd, LoadedPlugin &plugin) {
    g_fd = socket_fd;
    // Runs allocate and free the same large buffers (a simulation's results) over and over, in a
    // sweep chunk thousands of times: keeping them in the heap instead of mmap/munmap and trimming
    // each time saves a page fault per page per run (measured: system time of a 10,000-point SIR
    // sweep 1.0 s -> 0.1 s). RLIMIT_AS still bounds the heap.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    std::thread reader(read_requests, socket_fd);
    while (auto frame = g_inbox.pop()) {
        if (frame->type == MessageType::Describe) {
            send(MessageType::Description, protocol::encode(plugin.description()));
            continue;
        }
        try {
            protocol::TaskMessage job = protocol::decode_task(frame->payload);
            run_job(plugin, job);
        } catch (const protocol::ProtocolError &e) {
            report_fatal(socket_fd, "protocol-error", e.what());
            _exit(4);
        } catch (const std::bad_alloc &) {
            report_fatal(socket_fd, "memory-limit", "the job's inputs do not fit in the runner's memory limit");
            _exit(4);
        }
        ++g_jobs_finished;
    }
    reader.join();
    return 0;
}

} // namespace holon::runner
