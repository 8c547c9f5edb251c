#include "runner_pool.hpp"

#include "protocol.hpp"
#include "runner_process.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <list>
#include <map>
#include <mutex>
#include <sys/socket.h>
#include <sys/uio.h>
#include <optional>
#include <poll.h>
#include <sstream>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace holon::runner {
namespace {

using Clock = std::chrono::steady_clock;
using protocol::Frame;
using protocol::MessageType;

constexpr auto kCancelGrace = std::chrono::seconds(1);
constexpr auto kTick = std::chrono::milliseconds(10);
// How often a running job's CPU time is compared with its limit.
constexpr auto kCpuCheckInterval = std::chrono::milliseconds(50);
// A runner whose socket reached end of stream is exiting; give it this long before SIGKILL.
constexpr auto kExitGrace = std::chrono::milliseconds(2000);
constexpr size_t kMaxLogBytes = size_t{4} << 20;
// Room for non-result frames (an INVOKE_REQUEST carries a model) on top of the output limit.
constexpr uint64_t kFrameSlack = uint64_t{64} << 20;
constexpr size_t kMaxReadPerTick = size_t{8} << 20;

// RLIMIT_CPU of a runner: only a backstop, since the host measures each job's CPU time itself.
uint64_t cpu_backstop_seconds(const Limits &limits) {
    return static_cast<uint64_t>(std::ceil(std::max(limits.cpu_seconds, 0.0) * 2)) + 10;
}

// A reused runner accumulates CPU time; retire it before the backstop could cut a job short.
bool has_cpu_for_another_job(RunnerProcess &runner, const Limits &limits) {
    auto used = runner.cpu_seconds();
    return used && *used + limits.cpu_seconds + 1 < static_cast<double>(cpu_backstop_seconds(limits));
}

// What a runner is bound to at its start: the plugin, its rlimits, the workspace it serves and
// the source folder its mount view shows.
struct RunnerKey {
    const PluginTarget &plugin;
    const Limits &limits;
    const std::string &workspace;
    const std::string &source_dir;
};

std::string pool_key(const RunnerKey &k) {
    const PluginTarget &p = k.plugin;
    const Limits &l = k.limits;
    std::ostringstream key;
    key << p.library_path << '\n' << p.plugin_dir << '\n' << p.plugin_id << '\n' << p.plugin_version << '\n'
        << l.memory_bytes << ' ' << l.file_bytes << ' ' << l.open_files << ' ' << l.processes << ' '
        << cpu_backstop_seconds(l) << '\n' << k.workspace << '\n' << k.source_dir;
    return key.str();
}

// Printable text for a log field: valid UTF-8 is kept, anything else becomes '?'. (JSON escaping
// of quotes, newlines and control characters is the log writer's.)
std::string printable(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (size_t i = 0; i < bytes.size();) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        bool ok = n > 0 && i + n <= bytes.size() && !(c == 0xC0 || c == 0xC1 || c > 0xF4);
        for (size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(bytes[i + k]) >> 6) == 0x2;
        if (ok) {
            out.append(bytes.substr(i, n));
            i += n;
        } else {
            out += '?';
            ++i;
        }
    }
    return out;
}

// Hands what a runner printed to the pool's callback, as printable text.
void relay(const std::function<void(const RunnerOutput &)> &on_output, RunnerOutput output) {
    if (output.bytes == 0 || !on_output) return;
    output.text = printable(output.text);
    try {
        on_output(output);
    } catch (...) {
        // The log is not worth failing a finished job for.
    }
}

// Reads what the runner printed so far: the first kMaxRelayedOutput bytes are kept, the rest only
// counted, so that a plugin flooding stdout neither blocks on a full pipe nor fills the host.
void drain_output(int fd, std::string &kept, uint64_t &total) {
    char buffer[16384];
    while (true) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        total += static_cast<uint64_t>(n);
        if (kept.size() < kMaxRelayedOutput)
            kept.append(buffer, std::min(static_cast<size_t>(n), kMaxRelayedOutput - kept.size()));
    }
}

std::string seconds_text(double s) {
    std::ostringstream out;
    out << s;
    return out.str();
}

int32_t status_for_problem(const std::string &problem) {
    if (problem == "cancelled") return HOLON_ERR_CANCELLED;
    if (problem == "result-too-large") return HOLON_ERR_RESULT_TOO_LARGE;
    if (problem == "memory-limit") return HOLON_ERR_OUT_OF_MEMORY;
    return HOLON_ERR_FAILED;
}

std::string problem_for_status(int32_t status) {
    switch (status) {
    case HOLON_ERR_CANCELLED: return "cancelled";
    case HOLON_ERR_OUT_OF_MEMORY: return "memory-limit";
    case HOLON_ERR_RESULT_TOO_LARGE: return "result-too-large";
    // The plugin refused what it was given (holon::fail_params / fail_model): the same problems
    // as when the host's own checks refuse it, so clients treat both alike.
    case HOLON_ERR_INVALID_PARAMS: return "invalid-params";
    case HOLON_ERR_INVALID_MODEL: return "invalid-model";
    default: return "method-failed";
    }
}

void fail(TaskOutcome &out, const std::string &problem, const std::string &message) {
    out.status = status_for_problem(problem);
    out.problem = problem;
    out.message = message;
}

struct Failure {
    std::string problem, message;
};

// Why a runner ended without finishing its request.
Failure failure_for_exit(const ExitStatus &exit, const std::optional<protocol::ErrorMessage> &error) {
    if (exit.signaled) {
        if (exit.signal == SIGSYS)
            return {"forbidden-syscall", "runner was killed for a forbidden system call (SIGSYS from the seccomp filter)"};
        if (exit.signal == SIGXCPU) return {"cpu-time-limit", "runner exceeded its CPU time backstop (SIGXCPU)"};
        return {"crashed", "runner crashed with signal " + signal_name(exit.signal)};
    }
    if (error) return {error->problem.empty() ? "protocol-error" : error->problem, error->message};
    return {"protocol-error", "runner exited with code " + std::to_string(exit.exit_code) + " before answering"};
}

enum class SendResult { Sent, PeerGone, TimedOut };

SendResult send_bytes(int fd, std::string_view data, Clock::time_point deadline) {
    while (!data.empty()) {
        ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            data.remove_prefix(static_cast<size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
            if (left <= 0) return SendResult::TimedOut;
            pollfd p{fd, POLLOUT, 0};
            poll(&p, 1, static_cast<int>(std::min<long long>(left, 100)));
            continue;
        }
        return SendResult::PeerGone;
    }
    return SendResult::Sent;
}

SendResult send_frame(int fd, MessageType type, std::string_view payload, Clock::time_point deadline) {
    // Header and payload together in one call when the socket takes them (the usual case);
    // whatever is left goes through send_bytes, which waits for room.
    const std::string header = protocol::frame_header(type, payload.size());
    iovec pieces[2] = {{const_cast<char *>(header.data()), header.size()}, {const_cast<char *>(payload.data()), payload.size()}};
    msghdr message{};
    message.msg_iov = pieces;
    message.msg_iovlen = payload.empty() ? 1 : 2;
    ssize_t n = ::sendmsg(fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    while (n < 0 && errno == EINTR) n = ::sendmsg(fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return SendResult::PeerGone;
    size_t sent = n > 0 ? static_cast<size_t>(n) : 0;
    if (sent < header.size()) {
        SendResult r = send_bytes(fd, std::string_view(header).substr(sent), deadline);
        return r == SendResult::Sent ? send_bytes(fd, payload, deadline) : r;
    }
    return send_bytes(fd, payload.substr(sent - header.size()), deadline);
}

// Feeds what the socket has now into the decoder. Returns false at end of stream.
bool read_available(int fd, protocol::FrameDecoder &decoder) {
    char buffer[65536];
    size_t total = 0;
    while (total < kMaxReadPerTick) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) {
            decoder.feed(buffer, static_cast<size_t>(n));
            total += static_cast<size_t>(n);
            continue;
        }
        if (n == 0) return false;
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK;
    }
    return true;
}

int poll_timeout_ms(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return static_cast<int>(std::clamp<long long>(left.count() + 1, 0, kTick.count()));
}

// Supervises one job in one runner: sends it, relays what comes back, enforces the limits.
class JobSupervisor {
public:
    JobSupervisor(RunnerProcess &runner, const TaskRequest &request, const TaskCallbacks &callbacks, TaskOutcome &out,
                  const std::function<void(const RunnerOutput &)> &on_output)
        : runner_(runner), request_(request), callbacks_(callbacks), out_(out),
          decoder_(request.limits.output_bytes + kFrameSlack), on_output_(on_output) {}

    ~JobSupervisor() {
        stop_nested_ = true;
        for (auto &t : invoke_threads_) t.join();
        relay_output();
    }

    // Returns true when the runner finished the job in a state fit for another one.
    bool supervise(const std::string &job_dir);

private:
    void handle(const Frame &frame);
    void add_table(TableData table);
    bool count_output(uint64_t bytes);
    void start_invoke(protocol::InvokeRequestMessage message);
    void send_finished_invokes(Clock::time_point deadline);
    void stop(const std::string &problem, const std::string &message) {
        if (stop_problem_.empty()) {
            stop_problem_ = problem;
            stop_message_ = message;
        }
    }

    void relay_output() {
        drain_output(runner_.output_fd(), output_, output_bytes_);
        relay(on_output_, {request_.plugin.plugin_id, request_.method_id, request_.workspace, output_, output_bytes_});
    }

    RunnerProcess &runner_;
    const TaskRequest &request_;
    const TaskCallbacks &callbacks_;
    TaskOutcome &out_;
    protocol::FrameDecoder decoder_;
    const std::function<void(const RunnerOutput &)> &on_output_;
    std::string output_;
    uint64_t output_bytes_ = 0;
    std::optional<protocol::DoneMessage> done_;
    std::optional<protocol::ErrorMessage> error_;
    std::string stop_problem_, stop_message_;
    uint64_t output_used_ = 0;
    size_t log_bytes_ = 0;

    std::atomic<bool> stop_nested_{false};
    std::mutex invoke_mutex_;
    std::deque<protocol::InvokeResultMessage> finished_invokes_;
    std::list<std::thread> invoke_threads_;
};

bool JobSupervisor::supervise(const std::string &job_dir) {
    const Limits &limits = request_.limits;
    const auto start = Clock::now();
    const auto wall_deadline = start + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(limits.wall_seconds));
    const double cpu_start = runner_.cpu_seconds().value_or(0);
    double cpu_now = cpu_start;
    auto next_cpu_check = start + kCpuCheckInterval;

    protocol::TaskMessage job;
    job.method_id = request_.method_id;
    job.model_json = request_.model_json;
    job.params_json = request_.params_json.empty() ? "{}" : request_.params_json;
    job.source = request_.source;
    job.source_name = request_.source_name;
    job.source_dir = request_.source_dir;
    job.scratch_dir = job_dir;
    job.output_bytes = limits.output_bytes;
    job.tables = request_.tables;
    job.point_params = request_.point_params;
    job.outcomes_json = request_.outcomes_json;
    // A runner that is already gone still has its last words (an ERROR frame) in the socket.
    if (send_frame(runner_.fd(), MessageType::Job, protocol::encode(job), wall_deadline) == SendResult::TimedOut)
        stop("wall-clock-limit", "the runner did not accept the job within the wall-clock limit of " +
                                     seconds_text(limits.wall_seconds) + " s");

    bool cancel_sent = false;
    Clock::time_point cancel_deadline{};
    bool eof = false;
    while (!done_ && stop_problem_.empty() && !eof) {
        auto now = Clock::now();
        if (callbacks_.cancel && callbacks_.cancel->load() && !cancel_sent) {
            cancel_sent = true;
            stop_nested_ = true;
            cancel_deadline = now + kCancelGrace;
            send_frame(runner_.fd(), MessageType::Cancel, {}, cancel_deadline);
        }
        if (cancel_sent && now >= cancel_deadline) {
            stop("cancelled", "job cancelled; the runner did not stop within 1 s and was killed");
            break;
        }
        if (now >= wall_deadline) {
            stop("wall-clock-limit", "job exceeded its wall-clock limit of " + seconds_text(limits.wall_seconds) + " s");
            break;
        }
        // Reading the runner's CPU time is a system call: once per interval, not per message.
        if (now >= next_cpu_check) {
            next_cpu_check = now + kCpuCheckInterval;
            if (auto cpu = runner_.cpu_seconds()) cpu_now = *cpu;
        }
        if (cpu_now - cpu_start > limits.cpu_seconds) {
            stop("cpu-time-limit", "job exceeded its CPU time limit of " + seconds_text(limits.cpu_seconds) + " s");
            break;
        }
        send_finished_invokes(wall_deadline);

        pollfd p[2] = {{runner_.fd(), POLLIN, 0}, {runner_.output_fd(), POLLIN, 0}};
        if (poll(p, 2, poll_timeout_ms(std::min(wall_deadline, cancel_sent ? cancel_deadline : wall_deadline))) <= 0)
            continue;
        if (p[1].revents) drain_output(runner_.output_fd(), output_, output_bytes_);
        if (!p[0].revents) continue;
        eof = !read_available(runner_.fd(), decoder_);
        try {
            while (!done_ && stop_problem_.empty()) {
                auto frame = decoder_.next();
                if (!frame) break;
                handle(*frame);
            }
        } catch (const std::exception &e) {
            stop("protocol-error", std::string("runner sent a malformed message: ") + e.what());
        }
    }
    stop_nested_ = true;
    out_.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (auto cpu = runner_.cpu_seconds()) cpu_now = *cpu;
    out_.cpu_seconds = std::max(0.0, cpu_now - cpu_start);

    if (!stop_problem_.empty()) {
        runner_.kill();
        ExitStatus exit = runner_.wait_exit(std::chrono::milliseconds(0));
        out_.term_signal = exit.signaled ? exit.signal : 0;
        // A runner that died on its own just before the host stopped it keeps its own diagnosis.
        if (exit.signaled && exit.signal != SIGKILL) {
            Failure f = failure_for_exit(exit, error_);
            fail(out_, f.problem, f.message);
        } else {
            fail(out_, stop_problem_, stop_message_);
        }
        return false;
    }
    if (done_) {
        out_.status = done_->status;
        out_.details_json = done_->details_json;
        if (done_->status != HOLON_OK || !done_->problem.empty()) {
            out_.problem = done_->problem.empty() ? problem_for_status(done_->status) : done_->problem;
            out_.message = done_->message;
        }
        return out_.problem.empty() || out_.problem == "method-failed" || out_.problem == "invalid-result" ||
               out_.problem == "invalid-params" || out_.problem == "invalid-model";
    }
    ExitStatus exit = runner_.wait_exit(kExitGrace);
    out_.term_signal = exit.signaled ? exit.signal : 0;
    Failure f = failure_for_exit(exit, error_);
    fail(out_, f.problem, f.message);
    return false;
}

bool JobSupervisor::count_output(uint64_t bytes) {
    output_used_ += bytes;
    if (output_used_ <= request_.limits.output_bytes) return true;
    stop("result-too-large", "job results exceeded the output limit of " + std::to_string(request_.limits.output_bytes) +
                                 " bytes");
    return false;
}

void JobSupervisor::add_table(TableData table) {
    for (auto &existing : out_.tables) {
        if (existing.name != table.name) continue;
        if (existing.columns != table.columns) {
            stop("protocol-error", "runner appended to table '" + table.name + "' with different columns");
            return;
        }
        for (size_t c = 0; c < existing.values.size(); ++c)
            existing.values[c].insert(existing.values[c].end(), table.values[c].begin(), table.values[c].end());
        return;
    }
    out_.tables.push_back(std::move(table));
}

void JobSupervisor::handle(const Frame &frame) {
    switch (frame.type) {
    case MessageType::Progress: {
        auto p = protocol::decode_progress(frame.payload);
        if (callbacks_.on_progress) callbacks_.on_progress(p.fraction, p.stage);
        break;
    }
    case MessageType::Log: {
        LogLine line = protocol::decode_log(frame.payload);
        if (callbacks_.on_log) callbacks_.on_log(line);
        if (log_bytes_ < kMaxLogBytes) {
            log_bytes_ += line.message.size();
            out_.logs.push_back(std::move(line));
        }
        break;
    }
    case MessageType::Error:
        error_ = protocol::decode_error(frame.payload);
        break;
    case MessageType::ResultJson:
        if (count_output(frame.payload.size())) out_.result_json = frame.payload;
        break;
    case MessageType::ResultTable: {
        TableData table = protocol::decode_table(frame.payload);
        if (count_output(protocol::table_bytes(table))) add_table(std::move(table));
        break;
    }
    case MessageType::ResultBlob: {
        Blob blob = protocol::decode_blob(frame.payload);
        if (!count_output(blob.data.size())) break;
        auto same = std::find_if(out_.blobs.begin(), out_.blobs.end(), [&](const Blob &b) { return b.name == blob.name; });
        if (same != out_.blobs.end())
            *same = std::move(blob);
        else
            out_.blobs.push_back(std::move(blob));
        break;
    }
    case MessageType::InvokeRequest:
        start_invoke(protocol::decode_invoke_request(frame.payload));
        break;
    case MessageType::Done:
        done_ = protocol::decode_done(frame.payload);
        break;
    default:
        stop("protocol-error", std::string("runner sent an unexpected ") + protocol::message_type_name(frame.type));
    }
}

void JobSupervisor::start_invoke(protocol::InvokeRequestMessage message) {
    if (!callbacks_.on_invoke) {
        std::lock_guard lock(invoke_mutex_);
        finished_invokes_.push_back({message.id, HOLON_ERR_UNSUPPORTED, "this host does not run nested methods", "", {}});
        return;
    }
    if (message.use_callers_model) message.request.model_json = request_.model_json;
    message.request.cancel = &stop_nested_;
    // On its own thread, so that the calling job stays supervised while the nested one runs.
    invoke_threads_.emplace_back([this, message = std::move(message)] {
        protocol::InvokeResultMessage result;
        result.id = message.id;
        try {
            TaskOutcome nested = callbacks_.on_invoke(message.request);
            result.status = nested.ok() ? HOLON_OK : (nested.status == HOLON_OK ? HOLON_ERR_FAILED : nested.status);
            result.message = nested.message;
            result.result_json = std::move(nested.result_json);
            result.tables = std::move(nested.tables);
        } catch (const std::exception &e) {
            result.status = HOLON_ERR_INVOKE;
            result.message = std::string("nested run failed: ") + e.what();
        }
        std::lock_guard lock(invoke_mutex_);
        finished_invokes_.push_back(std::move(result));
    });
}

void JobSupervisor::send_finished_invokes(Clock::time_point deadline) {
    std::deque<protocol::InvokeResultMessage> ready;
    {
        std::lock_guard lock(invoke_mutex_);
        ready.swap(finished_invokes_);
    }
    for (const auto &result : ready)
        if (send_frame(runner_.fd(), MessageType::InvokeResult, protocol::encode(result), deadline) ==
            SendResult::TimedOut)
            stop("wall-clock-limit", "the runner did not accept a nested result within the wall-clock limit");
}

std::string default_scratch_root() {
    const char *tmp = std::getenv("TMPDIR");
    return std::string(tmp && *tmp ? tmp : "/tmp") + "/holon-scratch-" + std::to_string(geteuid());
}

} // namespace

struct RunnerPool::Impl {
    PoolOptions options;
    mutable std::mutex mutex;
    struct Idle {
        std::unique_ptr<RunnerProcess> runner;
        uint64_t since = 0; // order of becoming idle, for evicting the longest idle first
    };
    std::map<std::string, std::vector<Idle>> idle;
    std::map<std::string, size_t> starting; // prestarted runners not yet idle, per key
    size_t spawned = 0;
    size_t idle_total = 0;
    uint64_t idle_counter = 0;
    UidRange uids;
    std::optional<Isolation> isolation; // of the last runner started
    // Last, so that it is destroyed first: prestart tasks still queued finish while the members
    // they use are alive.
    SpawnThread spawner;

    SpawnSpec spawn_spec(const RunnerKey &key, uint64_t number) const;
    std::unique_ptr<RunnerProcess> acquire(const RunnerKey &key);
    void release(std::unique_ptr<RunnerProcess> runner, const RunnerKey &key);
    // Under the lock: keeps `runner` idle under `key` unless that key has max_idle_per_plugin
    // already. Keys include the workspace, so the total is capped too (max_idle): the runner idle
    // the longest, of any key, makes room. Returns the runner to kill, if any, for the caller to
    // destroy outside the lock.
    std::unique_ptr<RunnerProcess> add_idle(const std::string &key, std::unique_ptr<RunnerProcess> runner) {
        auto &runners = idle[key];
        if (runners.size() >= options.max_idle_per_plugin) {
            if (runners.empty()) idle.erase(key);
            return runner;
        }
        runners.push_back({std::move(runner), ++idle_counter});
        ++idle_total;
        if (idle_total <= options.max_idle) return nullptr;
        auto oldest = idle.end();
        for (auto it = idle.begin(); it != idle.end(); ++it)
            if (!it->second.empty() && (oldest == idle.end() || it->second.front().since < oldest->second.front().since))
                oldest = it;
        std::unique_ptr<RunnerProcess> evicted = std::move(oldest->second.front().runner);
        oldest->second.erase(oldest->second.begin());
        if (oldest->second.empty()) idle.erase(oldest);
        --idle_total;
        return evicted;
    }
    // Under the lock: the most recently idle runner of `key`, or null.
    std::unique_ptr<RunnerProcess> take_idle(const std::string &key) {
        auto it = idle.find(key);
        if (it == idle.end()) return nullptr;
        std::unique_ptr<RunnerProcess> runner = std::move(it->second.back().runner);
        it->second.pop_back();
        --idle_total;
        if (it->second.empty()) idle.erase(it);
        return runner;
    }
    void started(const RunnerProcess &runner) {
        std::lock_guard lock(mutex);
        isolation = runner.isolation();
    }
};

SpawnSpec RunnerPool::Impl::spawn_spec(const RunnerKey &key, uint64_t number) const {
    SpawnSpec spec;
    spec.runner_executable = options.runner_executable;
    spec.plugin = key.plugin;
    spec.limits = key.limits;
    spec.cpu_backstop_seconds = cpu_backstop_seconds(key.limits);
    spec.isolation = geteuid() == 0 ? Isolation::RootUids : Isolation::UserNamespace;
    spec.uids = uids;
    auto add_readonly = [&spec](const std::string &path) {
        if (path.empty()) return;
        std::error_code ec;
        std::string absolute = std::filesystem::absolute(path, ec).lexically_normal().string();
        while (absolute.size() > 1 && absolute.back() == '/') absolute.pop_back();
        if (!ec && std::find(spec.readonly_paths.begin(), spec.readonly_paths.end(), absolute) == spec.readonly_paths.end())
            spec.readonly_paths.push_back(absolute);
    };
    add_readonly(key.plugin.plugin_dir);
    add_readonly(std::filesystem::path(key.plugin.library_path).parent_path().string());
    add_readonly(key.source_dir);
    spec.scratch_dir = options.scratch_root + "/runner-" + std::to_string(getpid()) + "-" +
                       std::to_string(reinterpret_cast<uintptr_t>(this)) + "-" + std::to_string(number);
    return spec;
}

std::unique_ptr<RunnerProcess> RunnerPool::Impl::acquire(const RunnerKey &runner_key) {
    const std::string key = pool_key(runner_key);
    std::vector<std::unique_ptr<RunnerProcess>> dead; // destroyed (reaped) outside the lock
    uint64_t number = 0;
    {
        std::lock_guard lock(mutex);
        while (std::unique_ptr<RunnerProcess> runner = take_idle(key)) {
            if (!runner->has_exited()) return runner;
            dead.push_back(std::move(runner));
        }
        number = ++spawned;
    }
    const SpawnSpec spec = spawn_spec(runner_key, number);
    std::unique_ptr<RunnerProcess> runner;
    try {
        spawner.run([&] { runner = RunnerProcess::spawn(spec); });
    } catch (const std::exception &e) {
        throw RunnerError("runner-unavailable", std::string("cannot start a runner: ") + e.what());
    }
    started(*runner);
    return runner;
}

void RunnerPool::Impl::release(std::unique_ptr<RunnerProcess> runner, const RunnerKey &key) {
    if (runner->has_exited() || !has_cpu_for_another_job(*runner, key.limits)) return;
    std::unique_ptr<RunnerProcess> surplus;
    {
        std::lock_guard lock(mutex);
        surplus = add_idle(pool_key(key), std::move(runner));
    }
    // Over a cap: that runner is killed and reaped here, outside the lock.
}

namespace {

// Runner folders are named "runner-<host pid>-…". A host killed with SIGKILL cannot remove its
// runners' folders; the next pool on the same root removes those whose host process is gone, so
// they do not pile up (a live pid that was reused keeps its folders: harmless, never wrong).
void remove_folders_of_dead_hosts(const std::string &scratch_root) {
    std::error_code ec;
    for (std::filesystem::directory_iterator it(scratch_root, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.rfind("runner-", 0) != 0) continue;
        const std::size_t dash = name.find('-', 7);
        const std::string pid_text = name.substr(7, dash == std::string::npos ? std::string::npos : dash - 7);
        if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos || pid_text.size() > 9)
            continue;
        const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
        if (pid == getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;
        std::error_code ignored;
        std::filesystem::remove_all(it->path(), ignored);
    }
}

} // namespace

RunnerPool::RunnerPool(PoolOptions options) : impl_(std::make_unique<Impl>()) {
    if (options.runner_executable.empty()) options.runner_executable = default_runner_executable();
    if (options.scratch_root.empty()) options.scratch_root = default_scratch_root();
    impl_->uids = options.runner_uids ? *options.runner_uids : uid_range_from_environment();
    impl_->options = std::move(options);
    try {
        // Traversable but not listable by the runner users, each of whom owns only its own folder
        // inside (and, in a mount view, sees nothing of the others).
        make_runner_dir(impl_->options.scratch_root, 0711);
        remove_folders_of_dead_hosts(impl_->options.scratch_root);
    } catch (const std::exception &) {
        // Reported by the first spawn, which needs the folder.
    }
}

RunnerPool::~RunnerPool() {
    std::lock_guard lock(impl_->mutex);
    impl_->idle.clear();
    impl_->idle_total = 0;
}

TaskOutcome RunnerPool::run(const TaskRequest &request, const TaskCallbacks &callbacks) {
    TaskOutcome out;
    std::unique_ptr<RunnerProcess> runner;
    const RunnerKey key{request.plugin, request.limits, request.workspace, request.source_dir};
    try {
        runner = impl_->acquire(key);
    } catch (const RunnerError &e) {
        fail(out, e.problem(), e.what());
        return out;
    }
    bool reusable = false;
    {
        JobSupervisor supervisor(*runner, request, callbacks, out, impl_->options.on_output);
        reusable = supervisor.supervise(runner->scratch_dir());
    }
    if (reusable && runner->empty_scratch_dir()) impl_->release(std::move(runner), key);
    return out;
}

PluginDescription RunnerPool::describe(const PluginTarget &plugin, const Limits &limits) {
    const std::string none;
    const RunnerKey key{plugin, limits, none, none};
    std::unique_ptr<RunnerProcess> runner = impl_->acquire(key);
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(limits.wall_seconds));
    protocol::FrameDecoder decoder(kFrameSlack);
    std::optional<protocol::ErrorMessage> error;
    // What the plugin prints while it loads is relayed too, and read meanwhile so that it cannot
    // block the runner on a full pipe.
    struct Relay {
        const std::function<void(const RunnerOutput &)> &on_output;
        RunnerOutput output;
        ~Relay() { relay(on_output, std::move(output)); }
    } relayed{impl_->options.on_output, {plugin.plugin_id, "", "", "", 0}};
    const int output_fd = runner->output_fd();
    if (send_frame(runner->fd(), MessageType::Describe, {}, deadline) == SendResult::TimedOut)
        throw RunnerError("wall-clock-limit", "the runner did not accept DESCRIBE in time");
    bool eof = false;
    while (!eof) {
        if (Clock::now() >= deadline)
            throw RunnerError("wall-clock-limit", "the runner did not describe the plugin within " +
                                                      seconds_text(limits.wall_seconds) + " s");
        pollfd p[2] = {{runner->fd(), POLLIN, 0}, {output_fd, POLLIN, 0}};
        if (poll(p, 2, poll_timeout_ms(deadline)) <= 0) continue;
        if (p[1].revents) drain_output(output_fd, relayed.output.text, relayed.output.bytes);
        if (!p[0].revents) continue;
        eof = !read_available(runner->fd(), decoder);
        try {
            while (auto frame = decoder.next()) {
                if (frame->type == MessageType::Description) {
                    PluginDescription description = protocol::decode_description(frame->payload);
                    impl_->release(std::move(runner), key);
                    return description;
                }
                if (frame->type == MessageType::Error)
                    error = protocol::decode_error(frame->payload);
                else if (frame->type != MessageType::Log)
                    throw protocol::ProtocolError(std::string("unexpected ") +
                                                  protocol::message_type_name(frame->type));
            }
        } catch (const protocol::ProtocolError &e) {
            throw RunnerError("protocol-error", std::string("runner answered DESCRIBE with a malformed message: ") + e.what());
        }
    }
    Failure f = failure_for_exit(runner->wait_exit(kExitGrace), error);
    throw RunnerError(f.problem, f.message);
}

void RunnerPool::prestart(const PluginTarget &plugin, const Limits &limits, size_t count, const std::string &workspace) {
    const std::string none;
    const RunnerKey runner_key{plugin, limits, workspace, none};
    const std::string key = pool_key(runner_key);
    count = std::min(count, impl_->options.max_idle_per_plugin);
    std::vector<SpawnSpec> specs;
    {
        std::lock_guard lock(impl_->mutex);
        const auto idle = impl_->idle.find(key);
        const size_t have = (idle == impl_->idle.end() ? 0 : idle->second.size()) + impl_->starting[key];
        for (size_t i = have; i < count; ++i) specs.push_back(impl_->spawn_spec(runner_key, ++impl_->spawned));
        impl_->starting[key] += specs.size();
    }
    for (auto &spec : specs) {
        impl_->spawner.post([impl = impl_.get(), spec = std::move(spec), key] {
            std::unique_ptr<RunnerProcess> runner;
            try {
                runner = RunnerProcess::spawn(spec);
            } catch (const std::exception &) {
                // Nothing is lost: a job that needs a runner starts its own and reports why not.
            }
            std::unique_ptr<RunnerProcess> surplus;
            std::lock_guard lock(impl->mutex);
            if (runner) impl->isolation = runner->isolation();
            if (--impl->starting[key] == 0) impl->starting.erase(key);
            if (runner) surplus = impl->add_idle(key, std::move(runner));
            // A surplus runner is killed and reaped here (over a cap or the pool is closing).
        });
    }
}

size_t RunnerPool::idle_count() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->idle_total;
}

std::string RunnerPool::isolation() const {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->isolation) return "not known yet (no runner started)";
    switch (*impl_->isolation) {
    case Isolation::RootUids: return "one uid per runner, private mount, pid, network and IPC namespaces";
    case Isolation::UserNamespace: return "user namespaces: private mount, pid, network and IPC namespaces";
    case Isolation::None: break;
    }
    return geteuid() == 0 ? "one uid per runner, no namespaces (not permitted here): the host's file system is visible"
                          : "none beyond rlimits and seccomp: user namespaces are not permitted, so runners can read "
                            "what the host's user can read";
}

size_t RunnerPool::spawned_count() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->spawned;
}

std::string default_runner_executable() {
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        // The build tree keeps it beside `holon`; an installation in the package's private folder
        // (/usr/bin/holon + /usr/lib/holon/holon-runner), as Debian policy wants helper programs.
        for (const auto &candidate : {self.parent_path() / "holon-runner",
                                      self.parent_path().parent_path() / "lib" / "holon" / "holon-runner"})
            if (std::filesystem::exists(candidate, ec)) return candidate.string();
    }
    if (const char *env = std::getenv("HOLON_RUNNER"); env && *env) return env;
    return "holon-runner";
}

} // namespace holon::runner
