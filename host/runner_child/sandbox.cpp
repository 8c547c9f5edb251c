#include "runner_child/sandbox.hpp"

#include "runner_child/mount_view.hpp"

#include <seccomp.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
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

constexpr long kNobody = 65534;

[[noreturn]] void fail(const std::string &step) {
    throw std::runtime_error(step + ": " + std::strerror(errno));
}

void set_limit(int resource, rlim_t value, const char *name) {
    rlimit limit{value, value};
    if (setrlimit(resource, &limit) != 0) fail(std::string("setrlimit(") + name + ")");
}

// The parent-death signal is cleared when credentials change, so it is set again after dropping
// root. The checks close the race with a host that died before the prctl: its end of the socket is
// then closed, and outside a pid namespace the parent changed (inside one getppid() is 0).
void die_with_parent(pid_t parent_pid, int socket_fd) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail("prctl(PR_SET_PDEATHSIG)");
    const pid_t parent = getppid();
    if (parent_pid > 0 && parent != 0 && parent != parent_pid) _exit(0);
    pollfd p{socket_fd, POLLRDHUP, 0};
    if (socket_fd >= 0 && poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLRDHUP))) _exit(0);
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
    const long id = options.uid >= 0 ? options.uid : kNobody;
    if (setgroups(0, nullptr) != 0) fail("setgroups");
    if (setresgid(static_cast<gid_t>(id), static_cast<gid_t>(id), static_cast<gid_t>(id)) != 0) fail("setresgid");
    if (setresuid(static_cast<uid_t>(id), static_cast<uid_t>(id), static_cast<uid_t>(id)) != 0) fail("setresuid");
    if (setuid(0) == 0) throw std::runtime_error("regained root after dropping it");
    if (options.processes > 0) set_limit(RLIMIT_NPROC, options.processes, "RLIMIT_NPROC");
}

// In a user namespace the runner is uid 0 of it with every capability (over its own namespaces
// only); after building its view it keeps none, in any set.
void drop_capabilities() {
    for (int cap = 0; cap <= 63; ++cap) prctl(PR_CAPBSET_DROP, cap, 0, 0, 0); // past the last: EINVAL, ignored
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    if (syscall(SYS_capset, &header, data) != 0) fail("capset");
}

void add_rule(scmp_filter_ctx ctx, uint32_t action, int syscall) {
    if (seccomp_rule_add(ctx, action, syscall, 0) != 0) throw std::runtime_error("seccomp_rule_add failed");
}

} // namespace

void install_seccomp_filter() {
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx) throw std::runtime_error("seccomp_init failed");
    const auto self = static_cast<scmp_datum_t>(getpid());
    try {
        // io_uring runs socket and connect operations without those system calls.
        for (int syscall : {SCMP_SYS(io_uring_setup), SCMP_SYS(io_uring_enter), SCMP_SYS(io_uring_register)})
            add_rule(ctx, SCMP_ACT_ERRNO(ENOSYS), syscall);
        // Signals only to the runner itself: raise() and pthread_kill() use tgkill(own pid, tid).
        for (int syscall : {SCMP_SYS(kill), SCMP_SYS(tkill), SCMP_SYS(pidfd_open), SCMP_SYS(pidfd_send_signal),
                            SCMP_SYS(pidfd_getfd), SCMP_SYS(process_vm_readv), SCMP_SYS(process_vm_writev),
                            SCMP_SYS(unshare), SCMP_SYS(setns), SCMP_SYS(mount), SCMP_SYS(umount2),
                            SCMP_SYS(pivot_root), SCMP_SYS(open_tree), SCMP_SYS(move_mount), SCMP_SYS(fsopen),
                            SCMP_SYS(fsconfig), SCMP_SYS(fsmount), SCMP_SYS(fspick), SCMP_SYS(mount_setattr),
                            SCMP_SYS(bpf), SCMP_SYS(perf_event_open), SCMP_SYS(userfaultfd), SCMP_SYS(keyctl),
                            SCMP_SYS(add_key), SCMP_SYS(request_key)})
            add_rule(ctx, SCMP_ACT_ERRNO(EPERM), syscall);
        const scmp_arg_cmp not_self{0, SCMP_CMP_NE, self, 0};
        for (int syscall : {SCMP_SYS(tgkill), SCMP_SYS(rt_sigqueueinfo), SCMP_SYS(rt_tgsigqueueinfo)})
            if (seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(EPERM), syscall, 1, &not_self) != 0)
                throw std::runtime_error("seccomp_rule_add(signals) failed");
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
    const bool namespaces = options.isolation == "namespaces" || options.isolation == "userns";
    if (setpgid(0, 0) != 0 && errno != EPERM) fail("setpgid");
    die_with_parent(options.parent_pid, options.socket_fd);
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

    if (namespaces) {
        MountViewOptions view;
        view.scratch_dir = options.scratch_dir;
        view.readonly_paths = options.readonly_paths;
        view.user_namespace = options.isolation == "userns";
        // Without its view the runner still has its own uid (root host) or user namespace, and the
        // data folder is 0700: a host where mounting is refused (a container's seccomp or LSM)
        // runs plugins instead of failing every run, and says why in the relayed output.
        try {
            build_mount_view(view);
            report.mount_view = true;
        } catch (const std::exception &e) {
            std::fprintf(stderr, "holon-runner: running without a private mount view: %s\n", e.what());
        }
        report.network_isolated = true; // the host cloned it into a new network namespace
    } else {
        report.network_isolated = unshare(CLONE_NEWNET) == 0;
    }

    if (options.isolation == "userns") {
        drop_capabilities();
        report.dropped_privileges = true;
    } else if (geteuid() == 0) {
        drop_root(options);
        report.dropped_privileges = true;
    }
    if (report.dropped_privileges) {
        if (prctl(PR_SET_DUMPABLE, 0) != 0) fail("prctl(PR_SET_DUMPABLE)");
        die_with_parent(options.parent_pid, options.socket_fd);
    }
    if (!options.scratch_dir.empty() && chdir(options.scratch_dir.c_str()) != 0) fail("chdir(" + options.scratch_dir + ")");
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail("prctl(PR_SET_NO_NEW_PRIVS)");
    install_seccomp_filter();
    return report;
}

} // namespace holon::runner
