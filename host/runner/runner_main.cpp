// holon-runner: the process in which untrusted plugin code runs. The host starts it as
//   holon-runner --fd 3 --plugin /path/x.so --plugin-dir /path [--plugin-id ID] [--plugin-version V]
//                [--parent-pid PID] [--scratch DIR] [--memory-bytes N] [--file-bytes N]
//                [--open-files N] [--processes N] [--cpu-seconds N]
// It confines itself (see sandbox.hpp), loads the plugin and serves requests on the socket.
#include "plugin_loader.hpp"
#include "runner_service.hpp"
#include "sandbox.hpp"

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <unistd.h>

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
        args.values[flag.substr(2)] = argv[i + 1];
    }
    if (args.text("fd").empty() || args.text("plugin").empty())
        throw std::invalid_argument("--fd and --plugin are required");
    return args;
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
        enter_sandbox(sandbox);
        // From here on everything worth knowing travels over the socket; a plugin's or the C++
        // runtime's own stderr chatter must not reach the user's terminal, where the host
        // promises one-line messages. HOLON_RUNNER_STDERR=1 keeps it, for debugging plugins.
        const char *keep = std::getenv("HOLON_RUNNER_STDERR");
        if (!(keep && std::string(keep) == "1")) {
            int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
            if (null_fd >= 0) {
                dup2(null_fd, 2);
                close(null_fd);
            }
        }
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
