// holon-runner: the process in which untrusted plugin code runs. The host starts it as
//   holon-runner --fd 3 --plugin /path/x.so --plugin-dir /path [--plugin-id ID] [--plugin-version V]
//                [--parent-pid PID] [--scratch DIR] [--memory-bytes N] [--file-bytes N]
//                [--open-files N] [--processes N] [--cpu-seconds N]
//                [--isolation namespaces|userns|none] [--uid N] [--ro PATH]...
// It confines itself (see sandbox.hpp), loads the plugin and serves requests on the socket. Its
// stdout and stderr are a pipe that the host relays into its own log.
#include "runner/protocol.hpp"
#include "runner_child/plugin_loader.hpp"
#include "runner_child/runner_service.hpp"
#include "runner_child/sandbox.hpp"

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
// Sanitizer builds of the runner must keep the host's diagnoses meaningful under seccomp:
// LeakSanitizer stops the world with ptrace and a cloned process, and symbolizing forks
// llvm-symbolizer, both of which the filter kills; ASan's own SIGSEGV handler would turn a plugin's
// crash into exit code 1 instead of the signal. Errors abort, so they show up as "crashed".
extern "C" const char *__asan_default_options() {
    return "detect_leaks=0:handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:symbolize=0:abort_on_error=1";
}
#endif
#endif

namespace {

struct Arguments {
    std::map<std::string, std::string> values;
    std::vector<std::string> readonly_paths; // every --ro

    std::string text(const std::string &name, const std::string &fallback = "") const {
        auto it = values.find(name);
        return it == values.end() ? fallback : it->second;
    }
    uint64_t number(const std::string &name) const {
        std::string v = text(name, "0");
        char *end = nullptr;
        unsigned long long n = std::strtoull(v.c_str(), &end, 10);
        if (v.empty() || *end != '\0') throw std::invalid_argument("--" + name + " needs a number, got '" + v + "'");
        return n;
    }
};

Arguments parse(int argc, char **argv) {
    Arguments args;
    for (int i = 1; i < argc; i += 2) {
        std::string flag = argv[i];
        if (flag.rfind("--", 0) != 0 || i + 1 >= argc) throw std::invalid_argument("bad argument '" + flag + "'");
        if (flag == "--ro")
            args.readonly_paths.emplace_back(argv[i + 1]);
        else
            args.values[flag.substr(2)] = argv[i + 1];
    }
    if (args.text("fd").empty() || args.text("plugin").empty())
        throw std::invalid_argument("--fd and --plugin are required");
    return args;
}

// In its own pid namespace the runner is that namespace's init, and the kernel ignores a signal an
// init sends itself without a handler: abort() would end as SIGSEGV (its last resort) instead of
// SIGABRT. So SIGABRT gets a handler that tells the host, with a frame built in advance (nothing
// else is safe in a handler), and ends the runner.
int g_abort_fd = -1;
std::string g_abort_frame;

extern "C" void report_abort(int) {
    if (g_abort_fd >= 0) {
        [[maybe_unused]] ssize_t n = ::write(g_abort_fd, g_abort_frame.data(), g_abort_frame.size());
    }
    _exit(128 + SIGABRT);
}

void handle_abort_as_init(int fd) {
    if (getpid() != 1) return;
    holon::runner::protocol::ErrorMessage error;
    error.status = HOLON_ERR_FAILED;
    error.problem = "crashed";
    error.message = "runner crashed with signal SIGABRT";
    const std::string payload = holon::runner::protocol::encode(error);
    g_abort_frame = holon::runner::protocol::frame_header(holon::runner::protocol::MessageType::Error, payload.size()) + payload;
    g_abort_fd = fd;
    std::signal(SIGABRT, report_abort);
}

} // namespace

int main(int argc, char **argv) {
    using namespace holon::runner;
    std::signal(SIGPIPE, SIG_IGN);
    Arguments args;
    int fd = -1;
    try {
        args = parse(argc, argv);
        fd = static_cast<int>(args.number("fd"));
    } catch (const std::exception &e) {
        std::fprintf(stderr, "holon-runner: %s\n", e.what());
        return 2;
    }

    try {
        SandboxOptions sandbox;
        sandbox.socket_fd = fd;
        sandbox.parent_pid = static_cast<pid_t>(args.number("parent-pid"));
        sandbox.memory_bytes = args.number("memory-bytes");
        sandbox.file_bytes = args.number("file-bytes");
        sandbox.open_files = static_cast<uint32_t>(args.number("open-files"));
        sandbox.processes = static_cast<uint32_t>(args.number("processes"));
        sandbox.cpu_backstop_seconds = args.number("cpu-seconds");
        sandbox.scratch_dir = args.text("scratch");
        sandbox.isolation = args.text("isolation", "none");
        sandbox.uid = args.values.count("uid") ? static_cast<long>(args.number("uid")) : -1;
        sandbox.readonly_paths = args.readonly_paths;
        enter_sandbox(sandbox);
        handle_abort_as_init(fd);
        // Temporary files belong in the scratch folder, the only writable one.
        if (!sandbox.scratch_dir.empty()) setenv("TMPDIR", sandbox.scratch_dir.c_str(), 1);
    } catch (const std::exception &e) {
        report_fatal(fd, "plugin-load-failed", std::string("runner could not confine itself: ") + e.what());
        return 3;
    }

    // Loaded only now, under the seccomp filter: dlopen needs nothing the filter forbids, and the
    // plugin's constructors run already confined.
    std::unique_ptr<LoadedPlugin> plugin;
    try {
        plugin = std::make_unique<LoadedPlugin>(args.text("plugin"), args.text("plugin-dir"), args.text("plugin-id"),
                                                args.text("plugin-version"));
    } catch (const LoadError &e) {
        report_fatal(fd, e.problem(), e.what());
        return 3;
    } catch (const std::exception &e) {
        report_fatal(fd, "plugin-load-failed", e.what());
        return 3;
    }
    int rc = serve(fd, *plugin);
    plugin.reset();
    return rc;
}
