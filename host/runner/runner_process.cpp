#include "runner_process.hpp"

#include <atomic>
#include <cerrno>
#include <cmath>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <fcntl.h>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace holon::runner {
namespace {

constexpr uid_t kNobodyUid = 65534;
constexpr int kRunnerSocketFd = 3;

// Cleared at the first spawn that finds namespaces refused (a non-root host where user namespaces
// are disabled, a root host in a container without CAP_SYS_ADMIN); later runners skip the attempt.
std::atomic<bool> g_namespaces_work{true};

std::runtime_error system_error(const std::string &what) {
    return std::runtime_error(what + ": " + std::strerror(errno));
}

// A fork that puts the child into new namespaces (SIGCHLD and no stack: fork semantics). Raw,
// because glibc has no fork with namespace flags; the child only calls async-signal-safe functions.
pid_t clone_process(unsigned long flags) {
    return static_cast<pid_t>(syscall(SYS_clone, flags | SIGCHLD, nullptr, nullptr, nullptr, nullptr));
}

// In the child of a CLONE_NEWUSER clone, before exec: maps uid and gid 0 of the new namespace to
// the host's user, so that the runner keeps its capabilities across exec (only inside its own
// namespaces) to build its mount view. Async-signal-safe: the texts are prepared before the fork.
bool write_proc_file(const char *path, const std::string &text) {
    const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    return ok;
}

std::string isolation_argument(Isolation isolation) {
    switch (isolation) {
    case Isolation::RootUids: return "namespaces";
    case Isolation::UserNamespace: return "userns";
    case Isolation::None: break;
    }
    return "none";
}

} // namespace

std::string signal_name(int signal) {
    if (const char *abbrev = sigabbrev_np(signal)) return std::string("SIG") + abbrev;
    return "signal " + std::to_string(signal);
}

void make_runner_dir(const std::string &path, unsigned mode, long owner) {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    if (mkdir(path.c_str(), static_cast<mode_t>(mode)) != 0) {
        if (errno != EEXIST) throw system_error("cannot create " + path);
        struct stat st{};
        if (lstat(path.c_str(), &st) != 0) throw system_error("cannot inspect " + path);
        if (!S_ISDIR(st.st_mode)) throw std::runtime_error(path + " is not a folder");
        if (st.st_uid != geteuid() && (owner < 0 || st.st_uid != static_cast<uid_t>(owner)))
            throw std::runtime_error(path + " belongs to uid " + std::to_string(st.st_uid) + ", not to this user (uid " +
                                     std::to_string(geteuid()) + "); remove it or set TMPDIR to another folder");
    }
    if (chmod(path.c_str(), static_cast<mode_t>(mode)) != 0) throw system_error("cannot chmod " + path);
    if (owner >= 0 && chown(path.c_str(), static_cast<uid_t>(owner), static_cast<gid_t>(owner)) != 0)
        throw system_error("cannot chown " + path);
}

std::unique_ptr<RunnerProcess> RunnerProcess::spawn(const SpawnSpec &spec) {
    const bool root = geteuid() == 0;
    Isolation isolation = spec.isolation;
    if (!g_namespaces_work) isolation = Isolation::None;
    // As root every runner gets its own uid, namespaces or not.
    std::unique_ptr<RunnerUid> uid;
    if (root && spec.isolation == Isolation::RootUids) uid = RunnerUid::claim(spec.uids);
    const long owner = uid ? static_cast<long>(uid->uid()) : (root ? static_cast<long>(kNobodyUid) : -1);
    make_runner_dir(spec.scratch_dir, 0700, owner);

    // Everything the child needs is prepared before fork: after fork in a threaded process only
    // async-signal-safe calls are allowed.
    auto arguments = [&](Isolation mode) {
        std::vector<std::string> args = {spec.runner_executable,
                                         "--fd", std::to_string(kRunnerSocketFd),
                                         "--plugin", spec.plugin.library_path,
                                         "--plugin-dir", spec.plugin.plugin_dir,
                                         "--plugin-id", spec.plugin.plugin_id,
                                         "--plugin-version", spec.plugin.plugin_version,
                                         "--parent-pid", std::to_string(getpid()),
                                         "--scratch", spec.scratch_dir,
                                         "--memory-bytes", std::to_string(spec.limits.memory_bytes),
                                         "--file-bytes", std::to_string(spec.limits.file_bytes),
                                         "--open-files", std::to_string(spec.limits.open_files),
                                         "--processes", std::to_string(spec.limits.processes),
                                         "--cpu-seconds", std::to_string(spec.cpu_backstop_seconds),
                                         "--isolation", isolation_argument(mode)};
        if (owner >= 0) args.insert(args.end(), {"--uid", std::to_string(owner)});
        for (const auto &path : spec.readonly_paths) args.insert(args.end(), {"--ro", path});
        return args;
    };
    std::vector<std::string> args = arguments(isolation), plain_args = arguments(Isolation::None);
    auto argv_of = [](std::vector<std::string> &strings) {
        std::vector<char *> argv;
        for (auto &a : strings) argv.push_back(a.data());
        argv.push_back(nullptr);
        return argv;
    };
    std::vector<char *> argv = argv_of(args), plain_argv = argv_of(plain_args);
    const std::string uid_map = "0 " + std::to_string(geteuid()) + " 1\n";
    const std::string gid_map = "0 " + std::to_string(getegid()) + " 1\n";

    int fds[2] = {-1, -1}, out[2] = {-1, -1};
    auto give_up = [&](const std::string &what) {
        auto error = system_error(what);
        for (int fd : {fds[0], fds[1], out[0], out[1]})
            if (fd >= 0) close(fd);
        std::error_code ec;
        std::filesystem::remove_all(spec.scratch_dir, ec);
        return error;
    };
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) throw give_up("socketpair");
    if (pipe2(out, O_CLOEXEC) != 0) throw give_up("pipe2");
    int host_fd = fds[0], child_fd = fds[1];

    unsigned long flags = 0;
    if (isolation == Isolation::RootUids) flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC;
    if (isolation == Isolation::UserNamespace)
        flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC;
    pid_t pid = flags ? clone_process(flags) : fork();
    if (pid < 0 && flags && (errno == EPERM || errno == EINVAL || errno == ENOSPC || errno == EUSERS)) {
        g_namespaces_work = false;
        isolation = Isolation::None;
        flags = 0;
        argv = plain_argv;
        pid = fork();
    }
    if (pid < 0) throw give_up("fork");
    if (pid == 0) {
        char **exec_argv = argv.data();
        if (flags & CLONE_NEWUSER) {
            // A host that changed its credentials is not dumpable, which makes /proc/self/*_map
            // root's; the runner makes itself undumpable again once confined.
            prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
            // Refused (an LSM that restricts user namespaces): run on as a plain runner.
            if (!write_proc_file("/proc/self/setgroups", "deny") || !write_proc_file("/proc/self/uid_map", uid_map) ||
                !write_proc_file("/proc/self/gid_map", gid_map))
                exec_argv = plain_argv.data();
        }
        // stdout and stderr are the output pipe, relayed by the host; never the host's own.
        if (dup2(out[1], 1) < 0 || dup2(out[1], 2) < 0) _exit(126);
        // dup2 onto the same number would keep FD_CLOEXEC, so clear it explicitly in that case.
        if (child_fd == kRunnerSocketFd) {
            if (fcntl(child_fd, F_SETFD, 0) != 0) _exit(126);
        } else if (dup2(child_fd, kRunnerSocketFd) < 0) {
            _exit(126);
        }
        execve(exec_argv[0], exec_argv, environ);
        _exit(127);
    }
    close(child_fd);
    close(out[1]);
    // Owned from here on, so that any failure below still kills and reaps the child.
    std::unique_ptr<RunnerProcess> runner(new RunnerProcess(pid, host_fd, out[0], spec.scratch_dir));
    runner->isolation_ = isolation;
    runner->uid_ = std::move(uid);
    for (int fd : {host_fd, out[0]}) {
        int fl = fcntl(fd, F_GETFL);
        if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0) throw system_error("fcntl(O_NONBLOCK)");
    }
    return runner;
}

RunnerProcess::RunnerProcess(pid_t pid, int fd, int output_fd, std::string scratch_dir)
    : pid_(pid), fd_(fd), output_fd_(output_fd), scratch_dir_(std::move(scratch_dir)) {
    // Opened while the child cannot have been reaped, so the file is this process's; when it
    // is gone, reads fail instead of describing another process that reused the pid.
    stat_fd_ = ::open(("/proc/" + std::to_string(pid_) + "/stat").c_str(), O_RDONLY | O_CLOEXEC);
}

RunnerProcess::~RunnerProcess() {
    if (!reaped_) {
        kill();
        wait_exit(std::chrono::milliseconds(0));
    }
    if (fd_ >= 0) close(fd_);
    if (output_fd_ >= 0) close(output_fd_);
    if (stat_fd_ >= 0) close(stat_fd_);
    std::error_code ec;
    std::filesystem::remove_all(scratch_dir_, ec);
}

std::optional<double> RunnerProcess::cpu_seconds() const {
    if (reaped_ || stat_fd_ < 0) return std::nullopt;
    char buf[1024];
    const ssize_t n = ::pread(stat_fd_, buf, sizeof buf - 1, 0);
    if (n <= 0) return std::nullopt;
    buf[n] = '\0';
    // The command name may contain spaces and parentheses; the fields after the last ')' do not.
    const char *p = std::strrchr(buf, ')');
    if (!p) return std::nullopt;
    ++p;
    // After the name: state (3), ppid, pgrp, session, tty_nr, tpgid, flags, minflt, cminflt,
    // majflt, cmajflt, utime (14), stime (15).
    unsigned long long utime = 0, stime = 0;
    for (int index = 3; index <= 15; ++index) {
        while (*p == ' ') ++p;
        if (!*p) return std::nullopt;
        if (index == 14) utime = std::strtoull(p, nullptr, 10);
        else if (index == 15) stime = std::strtoull(p, nullptr, 10);
        while (*p && *p != ' ') ++p;
    }
    static const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    return static_cast<double>(utime + stime) / ticks;
}

void RunnerProcess::kill() {
    if (reaped_) return;
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
}

ExitStatus RunnerProcess::wait_exit(std::chrono::milliseconds grace) {
    if (reaped_) return exit_;
    auto deadline = std::chrono::steady_clock::now() + grace;
    int status = 0;
    while (true) {
        pid_t r = waitpid(pid_, &status, WNOHANG);
        if (r == pid_) break;
        if (r < 0 && errno != EINTR) { // not our child any more: nothing left to reap
            reaped_ = true;
            return exit_;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            kill();
            while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
            }
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    reaped_ = true;
    if (WIFSIGNALED(status)) {
        exit_.signaled = true;
        exit_.signal = WTERMSIG(status);
    } else if (WIFEXITED(status)) {
        exit_.exit_code = WEXITSTATUS(status);
    }
    return exit_;
}

bool RunnerProcess::has_exited() {
    if (reaped_) return true;
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == 0) return false;
    reaped_ = true;
    return true;
}

bool RunnerProcess::empty_scratch_dir() {
    std::error_code ec;
    std::filesystem::directory_iterator it(scratch_dir_, ec), end;
    if (ec) return false;
    for (; it != end; it.increment(ec)) {
        if (ec) return false;
        std::error_code removed;
        std::filesystem::remove_all(it->path(), removed);
        if (removed) return false;
    }
    return !ec;
}

// ---- SpawnThread ------------------------------------------------------------------------------

struct SpawnThread::State {
    std::mutex mutex;
    std::condition_variable cv;
    std::deque<std::function<void()>> tasks;
    bool stopping = false;
    std::thread thread;
};

SpawnThread::SpawnThread() : state_(std::make_unique<State>()) {
    state_->thread = std::thread([s = state_.get()] {
        std::unique_lock lock(s->mutex);
        while (true) {
            s->cv.wait(lock, [&] { return s->stopping || !s->tasks.empty(); });
            if (s->tasks.empty()) return;
            auto task = std::move(s->tasks.front());
            s->tasks.pop_front();
            lock.unlock();
            task();
            lock.lock();
        }
    });
}

SpawnThread::~SpawnThread() {
    {
        std::lock_guard lock(state_->mutex);
        state_->stopping = true;
    }
    state_->cv.notify_all();
    state_->thread.join();
}

void SpawnThread::post(std::function<void()> task) {
    {
        std::lock_guard lock(state_->mutex);
        state_->tasks.push_back(std::move(task));
    }
    state_->cv.notify_one();
}

void SpawnThread::run(const std::function<void()> &task) {
    std::mutex done_mutex;
    std::condition_variable done_cv;
    bool done = false;
    std::exception_ptr error;
    {
        std::lock_guard lock(state_->mutex);
        state_->tasks.push_back([&] {
            try {
                task();
            } catch (...) {
                error = std::current_exception();
            }
            std::lock_guard done_lock(done_mutex);
            done = true;
            done_cv.notify_one();
        });
    }
    state_->cv.notify_one();
    std::unique_lock lock(done_mutex);
    done_cv.wait(lock, [&] { return done; });
    if (error) std::rethrow_exception(error);
}

} // namespace holon::runner
