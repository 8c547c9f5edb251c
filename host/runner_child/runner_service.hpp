// The runner side of the protocol: serves DESCRIBE and JOB requests for one loaded plugin and
// implements holon_context_t for the job in progress.
#pragma once

#include "runner_child/plugin_loader.hpp"

namespace holon::runner {

// Serves requests on `socket_fd` until the host closes it. A reader thread receives frames so
// that CANCEL and INVOKE_RESULT arrive while a method runs on the calling thread. Returns the
// process exit code.
int serve(int socket_fd, LoadedPlugin &plugin);

// Reports a failure that prevents serving (sandbox or plugin load) to the host.
void report_fatal(int socket_fd, const std::string &problem, const std::string &message);

} // namespace holon::runner
