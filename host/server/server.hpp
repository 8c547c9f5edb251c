// `holon serve`: opens the store, bootstraps the admin token, discovers plugins, recovers runs a
// crashed server left behind, starts the job engine and the HTTP frontend, and on SIGTERM or
// SIGINT drains in-flight requests and runs and stops. SIGHUP (`systemctl reload holon`) re-reads
// the configuration and, when it is valid, drains and serves again with it.
#pragma once

#include "server/config.hpp"

#include <functional>
#include <ostream>

namespace holon::server {

// Reads the configuration again (file, environment, command-line overrides); throws on bad
// settings, which leaves the server serving with the previous ones.
using ConfigLoader = std::function<ServerConfig()>;

// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread (inherited by every thread started after it),
// so that only run_server's sigwait sees them. Call before any thread is created.
void block_stop_signals();

// Runs until SIGTERM/SIGINT. Logs JSON lines to `log_out`. Returns the process exit code.
// `admin_token` is HOLON_ADMIN_TOKEN's value ("" when unset). Without `reload`, SIGHUP is logged
// and ignored. A reload drains like a stop (runs still going after drain_seconds are requeued and
// start again from the beginning) and listens again, possibly on another address; when the new settings cannot start
// (the new port is taken), the previous ones serve again.
int run_server(const ServerConfig& config, const std::string& admin_token, std::ostream& log_out,
               const ConfigLoader& reload = {});

}  // namespace holon::server
