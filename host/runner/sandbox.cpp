#include "sandbox.hpp"

#include <seccomp.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace holon::runner {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

constexpr uid_t kNobodyUid = 65534;
constexpr gid_t kNobodyGid = 65534;

[[noreturn]] void fail(const std::string &step) {
    throw std::runtime_error(step + ": " + std::strerror(errno));
}

void set_limit(int resource, rlim_t value, const char *name) {
    rlimit limit{value, value};
    if (setrlimit(resource, &limit) != 0) fail(std::string("setrlimit(") + name + ")");
}

// The parent-death signal is cleared when credentials change, so it is set again after dropping
// root; the getppid() check closes the race with a host that died before the prctl.
void die_with_parent(pid_t parent_pid) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail("prctl(PR_SET_PDEATHSIG)");
    if (parent_pid > 0 && getppid() != parent_pid) _exit(0);
}

void close_other_descriptors(int keep) {
    if (keep < 3) throw std::runtime_error("socket descriptor must be above 2");
    if (keep > 3 && close_range(3, static_cast<unsigned>(keep - 1), 0) != 0) fail("close_range");
    if (close_range(static_cast<unsigned>(keep + 1), ~0u, 0) != 0) fail("close_range");
}

void stdin_from_dev_null() {
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail("open(/dev/null)");
    if (dup2(fd, 0) < 0) fail("dup2(/dev/null)");
    close(fd);
}

void drop_root(const SandboxOptions &options) {
    if (setgroups(0, nullptr) != 0) fail("setgroups");
    if (setgid(kNobodyGid) != 0) fail("setgid");
    if (setuid(kNobodyUid) != 0) fail("setuid");
    if (setuid(0) == 0) throw std::runtime_error("regained root after dropping it");
    if (options.processes > 0) set_limit(RLIMIT_NPROC, options.processes, "RLIMIT_NPROC");
}

void add_rule(scmp_filter_ctx ctx, uint32_t action, int syscall) {
    if (seccomp_rule_add(ctx, action, syscall, 0) != 0) throw std::runtime_error("seccomp_rule_add failed");
}

} // namespace

void install_seccomp_filter() {
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx) throw std::runtime_error("seccomp_init failed");
    try {
        for (int syscall : {SCMP_SYS(socket), SCMP_SYS(socketpair), SCMP_SYS(connect), SCMP_SYS(bind),
                            SCMP_SYS(listen), SCMP_SYS(accept), SCMP_SYS(accept4), SCMP_SYS(execve),
                            SCMP_SYS(execveat), SCMP_SYS(ptrace), SCMP_SYS(fork), SCMP_SYS(vfork)})
            add_rule(ctx, SCMP_ACT_KILL_PROCESS, syscall);
        // A new thread passes CLONE_THREAD; anything else is a new process.
        // (An explicit struct: libseccomp's SCMP_A0 macro is a C99 compound literal.)
        const scmp_arg_cmp no_clone_thread{0, SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0};
        if (seccomp_rule_add_array(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(clone), 1, &no_clone_thread) != 0)
            throw std::runtime_error("seccomp_rule_add(clone) failed");
        // clone3 passes its flags in memory, which seccomp cannot read.
        if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0) != 0)
            throw std::runtime_error("seccomp_rule_add(clone3) failed");
        int rc = seccomp_load(ctx);
        if (rc != 0) throw std::runtime_error(std::string("seccomp_load: ") + std::strerror(-rc));
    } catch (...) {
        seccomp_release(ctx);
        throw;
    }
    seccomp_release(ctx);
}

SandboxReport enter_sandbox(const SandboxOptions &options) {
    SandboxReport report;
    if (setpgid(0, 0) != 0 && errno != EPERM) fail("setpgid");
    die_with_parent(options.parent_pid);
    close_other_descriptors(options.socket_fd);
    stdin_from_dev_null();

    if (options.memory_bytes > 0 && !kSanitized) {
        set_limit(RLIMIT_AS, options.memory_bytes, "RLIMIT_AS");
        report.memory_limited = true;
    }
    set_limit(RLIMIT_CORE, 0, "RLIMIT_CORE");
    if (prctl(PR_SET_DUMPABLE, 0) != 0) fail("prctl(PR_SET_DUMPABLE)");
    // Writing past RLIMIT_FSIZE should fail the write with EFBIG, not kill the runner.
    std::signal(SIGXFSZ, SIG_IGN);
    if (options.file_bytes > 0) set_limit(RLIMIT_FSIZE, options.file_bytes, "RLIMIT_FSIZE");
    if (options.open_files > 0) set_limit(RLIMIT_NOFILE, options.open_files, "RLIMIT_NOFILE");
    if (options.cpu_backstop_seconds > 0) set_limit(RLIMIT_CPU, options.cpu_backstop_seconds, "RLIMIT_CPU");

    report.network_isolated = unshare(CLONE_NEWNET) == 0;

    if (geteuid() == 0) {
        drop_root(options);
        report.dropped_privileges = true;
        if (prctl(PR_SET_DUMPABLE, 0) != 0) fail("prctl(PR_SET_DUMPABLE)");
        die_with_parent(options.parent_pid);
    }
    if (!options.scratch_dir.empty() && chdir(options.scratch_dir.c_str()) != 0) fail("chdir(" + options.scratch_dir + ")");
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail("prctl(PR_SET_NO_NEW_PRIVS)");
    install_seccomp_filter();
    return report;
}

} // namespace holon::runner
