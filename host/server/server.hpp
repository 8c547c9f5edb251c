// `holon serve`: opens the store, bootstraps the admin token, discovers plugins, recovers runs a
// crashed server left behind, starts the job engine and the HTTP frontend, and on SIGTERM or
// SIGINT drains in-flight requests and runs and stops.
#pragma once

#include "server/config.hpp"

#include <ostream>

namespace holon::server {

// Blocks SIGTERM and SIGINT in the calling thread (inherited by every thread started after it),
// so that only run_server's sigwait sees them. Call before any thread is created.
void block_stop_signals();

// Runs until SIGTERM/SIGINT. Logs JSON lines to `log_out`. Returns the process exit code.
// `admin_token` is HOLON_ADMIN_TOKEN's value ("" when unset).
int run_server(const ServerConfig& config, const std::string& admin_token, std::ostream& log_out);

}  // namespace holon::server
