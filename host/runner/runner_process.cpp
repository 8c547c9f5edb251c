#include "runner_process.hpp"

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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace holon::runner {
namespace {

constexpr uid_t kRunnerUid = 65534;
constexpr gid_t kRunnerGid = 65534;
constexpr int kRunnerSocketFd = 3;

std::runtime_error system_error(const std::string &what) {
    return std::runtime_error(what + ": " + std::strerror(errno));
}

} // namespace

std::string signal_name(int signal) {
    if (const char *abbrev = sigabbrev_np(signal)) return std::string("SIG") + abbrev;
    return "signal " + std::to_string(signal);
}

void make_runner_dir(const std::string &path, unsigned mode, bool owned_by_runner) {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    if (mkdir(path.c_str(), static_cast<mode_t>(mode)) != 0 && errno != EEXIST)
        throw system_error("cannot create " + path);
    if (chmod(path.c_str(), static_cast<mode_t>(mode)) != 0) throw system_error("cannot chmod " + path);
    if (owned_by_runner && chown(path.c_str(), kRunnerUid, kRunnerGid) != 0) throw system_error("cannot chown " + path);
}

std::unique_ptr<RunnerProcess> RunnerProcess::spawn(const SpawnSpec &spec) {
    make_runner_dir(spec.scratch_dir, 0700, geteuid() == 0);

    // Everything the child needs is prepared before fork: after fork in a threaded process only
    // async-signal-safe calls are allowed.
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
                                     "--cpu-seconds", std::to_string(spec.cpu_backstop_seconds)};
    std::vector<char *> argv;
    for (auto &a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    int fds[2];
    auto give_up = [&](const std::string &what) {
        auto error = system_error(what);
        std::error_code ec;
        std::filesystem::remove_all(spec.scratch_dir, ec);
        return error;
    };
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) throw give_up("socketpair");
    int host_fd = fds[0], child_fd = fds[1];

    pid_t pid = fork();
    if (pid < 0) {
        int saved = errno;
        close(host_fd);
        close(child_fd);
        errno = saved;
        throw give_up("fork");
    }
    if (pid == 0) {
        // dup2 onto the same number would keep FD_CLOEXEC, so clear it explicitly in that case.
        if (child_fd == kRunnerSocketFd) {
            if (fcntl(child_fd, F_SETFD, 0) != 0) _exit(126);
        } else if (dup2(child_fd, kRunnerSocketFd) < 0) {
            _exit(126);
        }
        execve(argv[0], argv.data(), environ);
        _exit(127);
    }
    close(child_fd);
    // Owned from here on, so that any failure below still kills and reaps the child.
    std::unique_ptr<RunnerProcess> runner(new RunnerProcess(pid, host_fd, spec.scratch_dir));
    int flags = fcntl(host_fd, F_GETFL);
    if (flags < 0 || fcntl(host_fd, F_SETFL, flags | O_NONBLOCK) != 0) throw system_error("fcntl(O_NONBLOCK)");
    return runner;
}

RunnerProcess::RunnerProcess(pid_t pid, int fd, std::string scratch_dir)
    : pid_(pid), fd_(fd), scratch_dir_(std::move(scratch_dir)) {
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
