// `holon serve` settings. Defaults, then a YAML config file, then HOLON_* environment variables,
// then command-line flags. Every key has an environment variable: the key path upper-cased with
// dots turned into underscores (limits.body_bytes -> HOLON_LIMITS_BODY_BYTES).
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace holon::server {

class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ServerConfig {
    std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free port
    std::string data = "./var";
    // "" for the embedded SQLite database in `data`; a postgresql:// URI for a PostgreSQL database
    // that several hosts share (docs/operations.md). The admin token file stays in `data`.
    std::string store;
    // The folder of batch outputs; "" for DATA/batches. Hosts sharing a PostgreSQL database set it
    // to a folder they all mount, so that any host serves and resumes any batch.
    std::string batches;
    std::vector<std::string> plugin_paths;  // extra plugin folders (HOLON_PLUGIN_PATHS, ':'-separated)
    int http_threads = 128;                 // connections served at once (keep-alive holds a thread)
    int http_queue = 256;                   // accepted connections waiting for a thread
    int workers = 2;                        // runs executed at once
    // How long an authenticated token is remembered by this server (0: not at all). Revocations
    // through this server apply at once; made by another host sharing the database, within this.
    double auth_cache_seconds = 5;
    int batch_jobs = 0;                     // points one batch runs at once; 0 = the number of cores
    double lease_seconds = 30;
    double drain_seconds = 10;              // SIGTERM: how long in-flight requests and runs may finish
    bool log_requests = true;
    double http_header_seconds = 10;        // a request head must be complete within this
    double http_body_seconds = 60;          // a request body must be read within this
    double http_keep_alive_seconds = 15;    // idle connections are closed after this
    int http_connections_per_client = 256;  // open connections of one client address (raise behind a proxy)

    struct Tls {
        std::string certificate;  // PEM certificate (chain) file; with key: serve HTTPS only
        std::string key;          // PEM private key file (unencrypted)
    } tls;

    struct Limits {
        std::int64_t body_bytes = std::int64_t{32} << 20;
        std::int64_t model_bytes = std::int64_t{16} << 20;
        std::int64_t runs_in_flight = 16;  // per workspace
        double run_seconds = 300;          // wall-clock and CPU time of one run
        double run_memory_mb = 2048;
        std::int64_t page_size = 50;       // default `limit`
        std::int64_t max_page_size = 1000;
        double max_wait_seconds = 60;
        std::int64_t heavy_requests = 4;   // model uploads and batch documents validated at once
        std::int64_t workspace_bytes = 0;  // storage quota per workspace; 0 = none
    } limits;

    std::string host() const;
    int port() const;
};

// Reads `file` (YAML; "" for none), then the environment, over the defaults. Unknown keys and
// malformed values throw ConfigError naming the key and where it came from.
ServerConfig load_config(const std::string& file, const std::map<std::string, std::string>& environment);

// The environment of this process as a map (only HOLON_* names).
std::map<std::string, std::string> holon_environment();

// The effective settings as YAML, one key per line (what --print-config prints).
std::string to_yaml(const ServerConfig& config);

}  // namespace holon::server
