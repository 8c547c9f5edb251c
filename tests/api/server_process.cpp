#include "server_process.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace holon::test {

ServerProcess::ServerProcess(ServerOptions options) : options_(std::move(options)) {
    if (options_.plugin_dirs.empty())
        options_.plugin_dirs = {HOLON_TEST_PLUGINS "/echo", HOLON_TEST_PLUGINS "/segfault",
                                HOLON_TEST_PLUGINS "/sleep_forever"};
}

ServerProcess::~ServerProcess() {
    if (pid_ > 0) kill_hard();
    if (reader_.joinable()) reader_.join();
}

std::filesystem::path fresh_dir(const std::string& name) {
    const char* base = std::getenv("TMPDIR");
    auto dir = std::filesystem::path(base ? base : "/tmp") /
               ("holon-api-test-" + std::to_string(getpid()) + "-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

void ServerProcess::start() {
    if (reader_.joinable()) reader_.join();
    {
        std::lock_guard lock(mutex_);
        lines_.clear();
    }
    port_ = 0;
    listening_ = 0;
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    std::vector<std::string> args = {HOLON_BINARY, "serve", "--listen", "127.0.0.1:0", "--data",
                                     options_.data_dir.string()};
    for (const auto& p : options_.plugin_dirs) {
        args.push_back("--plugin-path");
        args.push_back(p);
    }
    for (const auto& a : options_.extra_args) args.push_back(a);
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e)
        if (std::string(*e).rfind("HOLON_", 0) != 0) env_strings.emplace_back(*e);
    env_strings.push_back("HOLON_DRAIN_SECONDS=3");
    if (options_.set_admin_token) env_strings.push_back("HOLON_ADMIN_TOKEN=" + admin_secret);
    for (const auto& [k, v] : options_.env) env_strings.push_back(k + "=" + v);
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        dup2(out[1], STDOUT_FILENO);
        dup2(out[1], STDERR_FILENO);
        std::vector<char*> argv, envp;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        for (auto& e : env_strings) envp.push_back(e.data());
        envp.push_back(nullptr);
        execve(argv[0], argv.data(), envp.data());
        _exit(127);
    }
    close(out[1]);
    reader_ = std::thread([this, fd = out[0]] { read_output(fd); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        {
            std::lock_guard lock(mutex_);
            if (port_ > 0) return;
        }
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            std::string text;
            for (const auto& l : log_lines()) text += l + "\n";
            throw std::runtime_error("holon serve exited during startup:\n" + text);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    throw std::runtime_error("holon serve did not start listening within 30 s");
}

void ServerProcess::read_output(int fd) {
    std::string pending;
    char buf[4096];
    for (;;) {
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) break;
        pending.append(buf, static_cast<std::size_t>(n));
        std::size_t nl;
        while ((nl = pending.find('\n')) != std::string::npos) {
            std::string line = pending.substr(0, nl);
            pending.erase(0, nl + 1);
            auto doc = nlohmann::json::parse(line, nullptr, false);
            std::lock_guard lock(mutex_);
            if (doc.is_object() && doc.value("msg", "") == "listening") {
                port_ = doc.value("port", 0);
                ++listening_;
            }
            lines_.push_back(std::move(line));
        }
    }
    close(fd);
}

std::vector<std::string> ServerProcess::log_lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
}

int ServerProcess::wait_exit() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    if (reader_.joinable()) reader_.join();
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}

int ServerProcess::stop() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    return wait_exit();
}

void ServerProcess::signal(int signal_number) {
    if (pid_ > 0) ::kill(pid_, signal_number);
}

int ServerProcess::wait_listening(int count) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        {
            std::lock_guard lock(mutex_);
            if (listening_ >= count) return port_;
        }
        int status = 0;
        if (pid_ > 0 && waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("holon serve exited while waiting for it to listen");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    throw std::runtime_error("holon serve did not listen again within 30 s");
}

void ServerProcess::kill_hard() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    wait_exit();
}

}  // namespace holon::test
