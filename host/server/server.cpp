#include "server/server.hpp"

#include "api/api.hpp"
#include "batch_runs/batch_runs.hpp"
#include "batch_runs/child_runs.hpp"
#include "execution/executor.hpp"
#include "jobs/job_engine.hpp"
#include "registry/registry.hpp"
#include "runner/runner_pool.hpp"
#include "api/usage.hpp"
#include "server/admin_token.hpp"
#include "server/batch_quota.hpp"
#include "server/http_frontend.hpp"
#include "server/json_log.hpp"
#include "store/queue_listener.hpp"
#include "store/store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>
#include <optional>
#include <iostream>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

namespace holon::server {

namespace {

// SIGHUP is `systemctl reload`: re-read the configuration and serve with it.
sigset_t stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    return set;
}

const char* signal_name(int signal_number) {
    switch (signal_number) {
    case SIGTERM: return "SIGTERM";
    case SIGINT: return "SIGINT";
    case SIGHUP: return "SIGHUP";
    default: return "signal";
    }
}

// A PostgreSQL location for the log, without its password.
std::string redacted_location(const std::string& location) {
    const auto scheme = location.find("://");
    const auto at = location.find('@');
    if (scheme == std::string::npos || at == std::string::npos) return location;
    const auto colon = location.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at) return location;
    return location.substr(0, colon) + ":***" + location.substr(at);
}

// Every `every`, returns the runs whose lease expired (their host died or hung) to the queue.
class Reaper {
public:
    Reaper(store::Store& store, JsonLog& log, std::chrono::milliseconds every)
        : store_(store), log_(log), every_(every), thread_([this] { loop(); }) {}
    ~Reaper() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }

private:
    void loop() {
        std::unique_lock lock(mutex_);
        while (!wake_.wait_for(lock, every_, [this] { return stop_; })) {
            lock.unlock();
            try {
                const auto r = store_.recover_after_crash(store::RecoveryScope::expired_leases);
                if (!r.requeued.empty() || !r.failed.empty() || !r.cancelled.empty())
                    log_.warning("rescued runs whose lease expired",
                                 {{"requeued", r.requeued}, {"failed", r.failed}, {"cancelled", r.cancelled}});
            } catch (const std::exception& e) {
                log_.error("reaper", {{"error", e.what()}});
            }
            lock.lock();
        }
    }

    store::Store& store_;
    JsonLog& log_;
    std::chrono::milliseconds every_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread thread_;
};

// What one serving period ended with: stop the process, or serve again with `next`.
struct Ending {
    bool reload = false;
    ServerConfig next;
};

execution::ExecutorOptions executor_options(const ServerConfig& config) {
    execution::ExecutorOptions o;
    const auto seconds = config.limits.run_seconds;
    const auto memory = static_cast<std::uint64_t>(config.limits.run_memory_mb * 1024.0 * 1024.0);
    o.maxima.wall_seconds = seconds;
    o.maxima.cpu_seconds = seconds;
    o.maxima.memory_bytes = memory;
    o.defaults.wall_seconds = std::min(o.defaults.wall_seconds, seconds);
    o.defaults.cpu_seconds = std::min(o.defaults.cpu_seconds, seconds);
    o.defaults.memory_bytes = std::min(o.defaults.memory_bytes, memory);
    return o;
}

}  // namespace

void block_stop_signals() {
    const sigset_t set = stop_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

namespace {

// One serving period: everything the server holds is built from `config` here and torn down
// before it returns, so a reload starts from a clean slate (plugins re-discovered, store re-opened)
// instead of patching live objects that many threads read. Returns nullopt when it could not
// start (the port is taken, say).
std::optional<Ending> serve_once(const ServerConfig& config, const std::string& admin_token, JsonLog& log,
                                 const ConfigLoader& reload) {
    const std::filesystem::path data_dir(config.data);

    // The port first: a second server on a taken port stops here, before it touches the data.
    FrontendOptions frontend_options;
    frontend_options.host = config.host();
    frontend_options.port = config.port();
    frontend_options.threads = config.http_threads;
    frontend_options.queue = config.http_queue;
    frontend_options.max_body_bytes = static_cast<std::size_t>(config.limits.body_bytes);
    frontend_options.log_requests = config.log_requests;
    frontend_options.header_seconds = config.http_header_seconds;
    frontend_options.body_seconds = config.http_body_seconds;
    frontend_options.keep_alive_seconds = config.http_keep_alive_seconds;
    frontend_options.connections_per_client = config.http_connections_per_client;
    frontend_options.tls_certificate = config.tls.certificate;
    frontend_options.tls_key = config.tls.key;
    HttpFrontend frontend(log, frontend_options);
    try {
        frontend.listen();
    } catch (const std::exception& e) {
        log.error("cannot start", {{"error", e.what()}});
        std::cerr << "holon serve: " << e.what() << '\n';
        return std::nullopt;
    }

    store::StoreOptions store_options;
    store_options.max_page_size = static_cast<std::size_t>(config.limits.max_page_size);
    store_options.auth_cache_ms = static_cast<store::Millis>(config.auth_cache_seconds * 1000);
    const bool shared_store = store::is_postgres_location(config.store);
    std::unique_ptr<store::Store> store;
    try {
        store = store::open_store(config.store, data_dir, store_options);
    } catch (const store::Unavailable& e) {
        log.error("cannot start", {{"error", e.what()}});
        std::cerr << "holon serve: " << e.what() << '\n';
        return std::nullopt;
    }
    log.info("store opened", {{"database", shared_store ? redacted_location(config.store)
                                                        : store::database_path(data_dir).string()},
                              {"schema_version", store->schema_version()}});

    const auto admin = ensure_admin_token(*store, data_dir, admin_token);
    log.info("admin token", {{"source", admin.origin}, {"created", admin.created}});

    runner::PoolOptions pool_options;
    pool_options.runner_executable = runner::default_runner_executable();
    // What a plugin prints is one escaped field of the server's own line, never a raw line.
    pool_options.on_output = [&log](const runner::RunnerOutput& o) {
        log.warning("runner output", {{"plugin", o.plugin_id}, {"method", o.method_id}, {"workspace", o.workspace},
                                      {"bytes", o.bytes}, {"truncated", o.truncated()}, {"output", o.text}});
    };
    runner::RunnerPool pool(pool_options);
    registry::SearchOptions search;
    for (const auto& p : config.plugin_paths) search.explicit_paths.emplace_back(p);
    const auto registry = registry::Registry::discover(search, pool);
    for (const auto& p : registry.plugins()) {
        if (p->usable())
            log.info("plugin", {{"plugin", p->manifest.id}, {"version", p->manifest.version}});
        else
            log.warning("plugin unusable", {{"dir", p->manifest.dir.string()}, {"error", p->error}});
    }
    log.info("runner isolation", {{"isolation", pool.isolation()}});
    execution::Executor executor(registry, pool, executor_options(config));

    jobs::EngineOptions engine_options;
    engine_options.workers = static_cast<std::size_t>(config.workers);
    engine_options.lease_ms = static_cast<std::int64_t>(config.lease_seconds * 1000);
    engine_options.on_error = [&log](const std::string& run, const std::string& message) {
        log.error("job engine", {{"run", run}, {"error", message}});
    };
    engine_options.on_finished = [&log](const store::Run& run, store::RunState state, const std::string& problem) {
        nlohmann::json fields{{"run", run.id}, {"workspace", run.workspace_id}, {"method", run.method},
                              {"state", std::string(store::to_string(state))}};
        if (!problem.empty()) fields["problem"] = problem;
        log.info("run finished", fields);
    };
    // The job engine's lease owner, also the owner of the batch points this host runs itself.
    engine_options.owner = jobs::default_owner();
    batch_runs::BatchServiceOptions batch_options;
    batch_options.root = config.batches.empty() ? data_dir / "batches" : std::filesystem::path(config.batches);
    batch_options.jobs = static_cast<unsigned>(config.batch_jobs);
    batch_options.share_points = shared_store;
    batch_options.owner = engine_options.owner;
    batch_options.lease_ms = engine_options.lease_ms;
    if (shared_store) {
        engine_options.host_methods[batch_runs::chunk_method] = batch_runs::make_child_method(*store, executor);
        engine_options.host_methods[batch_runs::point_method] = batch_runs::make_child_method(*store, executor);
        if (config.batches.empty())
            log.warning("batch outputs are in this host's data folder",
                        {{"folder", batch_options.root.string()},
                         {"why", "hosts sharing a database should set batches to a folder they all mount, so that a "
                                 "batch another host resumes or serves finds its files"}});
    }
    api::ApiServices usage_services;  // what the quota watcher needs to measure a workspace
    usage_services.store = store.get();
    usage_services.batch_root = batch_options.root;
    engine_options.host_methods[batch_runs::batch_method] = with_storage_quota(
        batch_runs::make_batch_method(*store, executor, batch_options), config.limits.workspace_bytes,
        [usage_services](const std::string& ws) { return api::workspace_usage(usage_services, ws); },
        batch_options.root);
    jobs::JobEngine engine(*store, executor, engine_options);
    // On a shared database other live hosts hold leases: only expired ones are orphans.
    const auto recovered = engine.recover(shared_store ? store::RecoveryScope::expired_leases
                                                       : store::RecoveryScope::all_running);
    if (!recovered.requeued.empty() || !recovered.failed.empty() || !recovered.cancelled.empty())
        log.warning("recovered runs left running by a stopped server",
                    {{"requeued", recovered.requeued}, {"failed", recovered.failed},
                     {"cancelled", recovered.cancelled}});
    engine.start();
    // Shared database: wake at once when any host queues a run, and return the runs of hosts that
    // died to the queue even when no host happens to claim (the reaper; each rescue is a run event
    // and counted in /metrics as holon_runs_rescued_total).
    std::unique_ptr<store::QueueListener> listener;
    std::unique_ptr<Reaper> reaper;
    if (shared_store) {
        listener = std::make_unique<store::QueueListener>(config.store, [&engine] { engine.notify_queued(); });
        reaper = std::make_unique<Reaper>(*store, log, std::chrono::milliseconds(static_cast<long>(
                                                           std::max(1.0, config.lease_seconds / 2) * 1000)));
    }

    std::atomic<bool> stopping{false};
    api::Metrics metrics;
    api::ApiServices services;
    services.store = store.get();
    services.executor = &executor;
    services.jobs = &engine;
    services.metrics = &metrics;
    services.batch_root = batch_options.root;
    services.stopping = &stopping;
    services.limits.max_body_bytes = static_cast<std::size_t>(config.limits.body_bytes);
    services.limits.max_model_bytes = static_cast<std::size_t>(config.limits.model_bytes);
    services.limits.max_runs_in_flight = config.limits.runs_in_flight;
    services.limits.default_page_size = static_cast<std::size_t>(config.limits.page_size);
    services.limits.max_page_size = static_cast<std::size_t>(config.limits.max_page_size);
    services.limits.max_wait_seconds = config.limits.max_wait_seconds;
    services.limits.heavy_requests = static_cast<int>(config.limits.heavy_requests);
    services.limits.workspace_bytes = config.limits.workspace_bytes;
    const std::string runner_executable = pool_options.runner_executable;
    services.readiness = [&store, &stopping, runner_executable]() -> std::string {
        if (stopping) return "the server is stopping";
        try {
            store->schema_version();
        } catch (const std::exception& e) {
            return std::string("store unreachable: ") + e.what();
        }
        if (::access(runner_executable.c_str(), X_OK) != 0) return "runner executable " + runner_executable + " is missing";
        return "";
    };
    api::Api api(services);

    frontend.start(api);
    log.info("listening", {{"url", std::string(frontend.tls() ? "https" : "http") + "://" + config.host() + ":" +
                                       std::to_string(frontend.port())},
                           {"port", frontend.port()},
                           {"admin_token", admin.origin}});

    Ending ending;
    const sigset_t set = stop_signals();
    for (;;) {
        int signal_number = 0;
        sigwait(&set, &signal_number);
        if (signal_number != SIGHUP) {
            log.info("stopping", {{"signal", signal_name(signal_number)}});
            break;
        }
        if (!reload) {
            log.warning("reload ignored", {{"reason", "this server was started without a configuration to re-read"}});
            continue;
        }
        try {
            ending.next = reload();
        } catch (const std::exception& e) {
            // A typo in the file must not take a running server down: keep serving as before.
            log.error("reload refused, still serving with the previous settings", {{"error", e.what()}});
            continue;
        }
        ending.reload = true;
        log.info("reloading", {{"signal", "SIGHUP"}});
        break;
    }
    stopping = true;
    reaper.reset();
    listener.reset();
    frontend.stop(config.drain_seconds);
    engine.stop(std::chrono::milliseconds(static_cast<long>(config.drain_seconds * 1000)));
    log.info("stopped", nlohmann::json::object());
    return ending;
}

}  // namespace

int run_server(const ServerConfig& config, const std::string& admin_token, std::ostream& log_out,
               const ConfigLoader& reload) {
    block_stop_signals();
    ::umask(077);  // everything the server creates (database, batch outputs, backups) is its user's only
    JsonLog log(log_out);
    ServerConfig current = config;
    std::optional<ServerConfig> previous;  // what served before the last reload
    for (;;) {
        std::optional<Ending> ending;
        try {
            ending = serve_once(current, admin_token, log, reload);
        } catch (const std::exception& e) {
            // Reloaded settings that parse but cannot start (a data folder that cannot be created,
            // a store that fails to open) must not take the server down: systemd would restart it
            // with the same file, again and again. Serve with the previous settings instead.
            if (!previous) throw;
            log.error("cannot start with the reloaded settings", {{"error", e.what()}});
        }
        if (!ending) {
            if (!previous) return 1;
            log.error("the reloaded settings cannot start; serving with the previous ones", nlohmann::json::object());
            current = *previous;
            previous.reset();
            continue;
        }
        if (!ending->reload) return 0;
        previous = current;
        current = std::move(ending->next);
    }
}

}  // namespace holon::server
