#include "server_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <csignal>
#include <fcntl.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace holon::test {

namespace {

// gtest reports every test of a suite whose SetUpTestSuite failed (say, its server did not start)
// as skipped, and CTest then counts them as skipped, not failed. A failure outside any test stops
// the binary at once with exit status 1 instead, before a "[  SKIPPED ]" line is printed.
// The listener tracks "inside a test" itself: asking UnitTest::current_test_info() here would
// deadlock, since gtest holds its own mutex while it reports a part result.
class SuiteSetUpFailure : public ::testing::EmptyTestEventListener {
    bool in_test_ = false;
    void OnTestStart(const ::testing::TestInfo&) override { in_test_ = true; }
    void OnTestEnd(const ::testing::TestInfo&) override { in_test_ = false; }
    void OnTestPartResult(const ::testing::TestPartResult& result) override {
        if (!result.failed() || in_test_) return;
        std::fprintf(stderr, "FAILED outside a test (a suite's set-up or tear-down), %s:%d: %s\n",
                     result.file_name() ? result.file_name() : "?", result.line_number(), result.message());
        std::fflush(nullptr);
        std::_Exit(1);
    }
};

const bool suite_set_up_failures_fail = [] {
    ::testing::UnitTest::GetInstance()->listeners().Append(new SuiteSetUpFailure);
    return true;
}();

}  // namespace

namespace {

// `uri` with its database name replaced: postgresql://authority/dbname?query.
std::string with_database(const std::string& uri, const std::string& database) {
    const auto scheme = uri.find("://");
    if (scheme == std::string::npos) throw std::runtime_error("not a postgresql:// URI: " + uri);
    const auto slash = uri.find('/', scheme + 3);
    const auto query = uri.find('?', scheme + 3);
    const std::string authority = uri.substr(0, std::min(slash, query));
    const std::string rest = query == std::string::npos ? "" : uri.substr(query);
    return authority + "/" + database + rest;
}

std::string run_psql(const std::string& uri, const std::string& sql) {
    // Single quotes in the arguments are closed, escaped and reopened for the shell.
    auto quote = [](const std::string& s) {
        std::string q = "'";
        for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
        return q + "'";
    };
    const std::string command = "psql -X -q -tA -v ON_ERROR_STOP=1 " + quote(uri) + " -c " + quote(sql) + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot run psql");
    std::string out;
    std::array<char, 4096> buf{};
    while (std::size_t n = fread(buf.data(), 1, buf.size(), pipe)) out.append(buf.data(), n);
    if (pclose(pipe) != 0) throw std::runtime_error("psql failed on '" + sql + "': " + out);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

}  // namespace

PostgresDatabase::PostgresDatabase(const std::string& server_uri, const std::string& name_hint)
    : server_uri_(server_uri) {
    static std::atomic<int> counter{0};
    name_ = "holon_t_" + std::to_string(getpid()) + "_" + std::to_string(++counter) + "_" + name_hint;
    for (char& c : name_)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    if (name_.size() > 60) name_.resize(60);
    run_psql(server_uri_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    run_psql(server_uri_, "CREATE DATABASE " + name_);
    uri_ = with_database(server_uri_, name_);
}

PostgresDatabase::~PostgresDatabase() {
    try {
        run_psql(server_uri_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception&) {
        // a test that fails leaves the database behind: better than throwing from a destructor
    }
}

std::string PostgresDatabase::psql(const std::string& sql, bool on_server_database) const {
    return run_psql(on_server_database ? server_uri_ : uri_, sql);
}

ServerProcess::ServerProcess(ServerOptions options) : options_(std::move(options)) {
    if (options_.plugin_dirs.empty())
        options_.plugin_dirs = {HOLON_TEST_PLUGINS "/echo", HOLON_TEST_PLUGINS "/segfault",
                                HOLON_TEST_PLUGINS "/sleep_forever"};
    // HOLON_TEST_STORE_POSTGRES=1 (CTest's *_pg registrations): every server on a fresh database
    // of the PostgreSQL server HOLON_TEST_POSTGRES names (.ci/postgres.sh prints one).
    const char* wanted = std::getenv("HOLON_TEST_STORE_POSTGRES");
    if (options_.store.empty() && wanted && std::string(wanted) == "1") {
        const char* server = std::getenv("HOLON_TEST_POSTGRES");
        if (!server || !*server)
            throw std::runtime_error("HOLON_TEST_STORE_POSTGRES=1 but HOLON_TEST_POSTGRES is not set "
                                     "(bash .ci/postgres.sh starts a server and prints it)");
        database_ = std::make_unique<PostgresDatabase>(server, options_.data_dir.filename().string());
        options_.store = database_->uri();
    }
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
    if (!options_.store.empty()) {
        args.push_back("--store");
        args.push_back(options_.store);
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
