#include "batch/warm_gnuplot.hpp"

#include "batch/files.hpp"

#include <cerrno>
#include <fcntl.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace holon::batch {
namespace {

// Draws gnuplot's test card to /dev/null and prints nothing: it only makes gnuplot load cairo,
// pango and the fonts, the slow part of its start. Not a plot: a plot command leaves state behind
// that shows in later SVG output (its group titles); the test card leaves none (the plots tests
// compare the files with those of a fresh gnuplot). `reset` clears every setting.
constexpr const char *kWarmUp = "set terminal pngcairo size 200,100 font 'sans,10'\n"
                                "set output '/dev/null'\n"
                                "test\n"
                                "unset output\n"
                                "reset\n";

bool send_all(int fd, const std::string &text) {
    size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::send(fd, text.data() + done, text.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

int reap(int pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return 127;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace

std::string gnuplot_quoted(const std::string &s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') out += '\'';
        if (c != '\n' && c != '\r') out += c;
    }
    return out + "'";
}

WarmGnuplot::WarmGnuplot(const std::string &program) {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return;
    output_fd_ = ::memfd_create("gnuplot-output", MFD_CLOEXEC);
    if (output_fd_ < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        return;
    }
    std::vector<std::string> argv_strings{program};
    std::vector<char *> argv{argv_strings[0].data(), nullptr};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 0);
    posix_spawn_file_actions_adddup2(&fa, output_fd_, 1);
    posix_spawn_file_actions_adddup2(&fa, output_fd_, 2);
    // Nothing else of ours (in the server: client sockets, the database) goes to gnuplot.
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, program.c_str(), &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(fds[1]);
    input_fd_ = fds[0];
    if (rc != 0) return;
    pid_ = static_cast<int>(pid);
    send_all(input_fd_, kWarmUp);
}

WarmGnuplot::~WarmGnuplot() {
    if (input_fd_ >= 0) ::close(input_fd_);
    if (pid_ > 0) reap(pid_);
    if (output_fd_ >= 0) ::close(output_fd_);
}

int WarmGnuplot::run(const std::filesystem::path &script, const std::filesystem::path &log) {
    if (pid_ <= 0) return 127;
    // In the script's folder: a plot script names its data and pictures relative to it.
    const auto file = std::filesystem::absolute(script);
    send_all(input_fd_, "cd " + gnuplot_quoted(file.parent_path().string()) + "\nload " + gnuplot_quoted(file.string()) + "\n");
    ::close(input_fd_); // end of input: gnuplot exits when the script is done
    input_fd_ = -1;
    const int status = reap(pid_);
    pid_ = -1;
    std::string text;
    char buf[4096];
    for (off_t at = 0;;) {
        const ssize_t n = ::pread(output_fd_, buf, sizeof buf, at);
        if (n <= 0) break;
        text.append(buf, static_cast<size_t>(n));
        at += n;
    }
    std::error_code ec;
    if (!text.empty()) write_file(log, text);
    else std::filesystem::remove(log, ec);
    return status;
}

void GnuplotPool::prestart(size_t count) {
    std::vector<std::unique_ptr<WarmGnuplot>> started;
    for (size_t i = 0; i < count; ++i) started.push_back(std::make_unique<WarmGnuplot>(program_));
    std::lock_guard lock(mutex_);
    for (auto &p : started) warm_.push_back(std::move(p));
}

std::unique_ptr<WarmGnuplot> GnuplotPool::take() {
    {
        std::lock_guard lock(mutex_);
        if (!warm_.empty()) {
            auto p = std::move(warm_.back());
            warm_.pop_back();
            return p;
        }
    }
    return std::make_unique<WarmGnuplot>(program_);
}

} // namespace holon::batch
