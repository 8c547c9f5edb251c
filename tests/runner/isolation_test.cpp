// What a plugin run cannot reach (issue 14): the database file, host files outside its mount view,
// another run's scratch folder, a sibling runner, io_uring, the host's log, a warm runner's memory
// of another workspace. Each test runs fixture.intruder, which reports how its attempt went.
#include "runner_pool.hpp"
#include "store/store.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <grp.h>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace holon::runner {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

TaskRequest intruder(const json &params, const std::string &workspace = "") {
    TaskRequest request;
    request.plugin = test::fixture(HOLON_FIXTURE_INTRUDER);
    request.plugin.plugin_id = "fixture.intruder";
    request.method_id = "fixture.intruder.run";
    request.params_json = params.dump();
    request.limits = test::small_limits();
    request.limits.wall_seconds = 20;
    request.workspace = workspace;
    return request;
}

json result_of(const TaskOutcome &out) {
    EXPECT_TRUE(out.ok()) << out.problem << ": " << out.message;
    return out.ok() ? json::parse(out.result_json) : json::object();
}

bool refused(int error) { return error == EACCES || error == ENOENT || error == EPERM; }

class Isolation : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() / ("holon-isolation-" + std::to_string(getpid()));
        fs::remove_all(root_);
        fs::create_directories(root_);
        ::chmod(root_.c_str(), 0755);
        options_ = test::pool_options();
        options_.scratch_root = (root_ / "scratch").string();
    }
    void TearDown() override { fs::remove_all(root_); }

    // Runs one harmless job so that the pool knows how it isolates runners on this machine.
    std::string isolation(RunnerPool &pool) {
        result_of(pool.run(intruder(json::object())));
        return pool.isolation();
    }
    static bool has_namespaces(const std::string &isolation) { return isolation.find("namespaces") != std::string::npos; }

    // The scratch folder of the runner whose job wrote `marker`, once it exists.
    std::string folder_with(const std::string &marker) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < deadline) {
            std::error_code ec;
            for (fs::directory_iterator it(options_.scratch_root, ec), end; !ec && it != end; it.increment(ec))
                if (fs::exists(it->path() / marker, ec)) return it->path().string();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return "";
    }

    // The pid of the runner whose command line names `scratch`.
    static pid_t runner_pid(const std::string &scratch) {
        for (const auto &entry : fs::directory_iterator("/proc")) {
            const std::string name = entry.path().filename().string();
            if (name.find_first_not_of("0123456789") != std::string::npos) continue;
            std::ifstream in(entry.path() / "cmdline", std::ios::binary);
            std::stringstream text;
            text << in.rdbuf();
            std::string cmdline = text.str();
            for (char &c : cmdline)
                if (c == '\0') c = ' ';
            if (cmdline.find("holon-runner") != std::string::npos && cmdline.find(" " + scratch + " ") != std::string::npos)
                return static_cast<pid_t>(std::stol(name));
        }
        return 0;
    }

    fs::path root_;
    PoolOptions options_;
};

TEST_F(Isolation, APluginCannotReadTheDatabaseFile) {
    const fs::path data = root_ / "data";
    auto store = store::open_sqlite_store(data, {});
    store->create_workspace("another-tenant");
    RunnerPool pool(options_);
    if (geteuid() != 0 && !has_namespaces(isolation(pool)))
        GTEST_SKIP() << "runners of a non-root host without user namespaces are the host's user: " << pool.isolation();
    const json r = result_of(pool.run(intruder({{"read", (data / "holon.db").string()}, {"list", data.string()}})));
    EXPECT_EQ(r["read_bytes"], -1) << "the plugin read the database: " << r["read_text"];
    EXPECT_TRUE(refused(r["read_errno"].get<int>())) << r["read_errno"];
    EXPECT_EQ(r["list_count"], -1);
}

TEST_F(Isolation, HostFilesOutsideTheMountViewAreAbsent) {
    RunnerPool pool(options_);
    const std::string how = isolation(pool);
    if (!has_namespaces(how)) GTEST_SKIP() << "no mount namespace on this machine: " << how;
    const fs::path public_file = root_ / "world-readable.txt";
    std::ofstream(public_file) << "anyone on the machine may read this, a plugin may not";
    ::chmod(public_file.c_str(), 0644);
    const json r = result_of(pool.run(intruder({{"read", public_file.string()}, {"list", "/home"}})));
    EXPECT_EQ(r["read_bytes"], -1);
    EXPECT_EQ(r["read_errno"], ENOENT) << "not refused but absent: the file is not in the runner's view";
    EXPECT_EQ(r["list_count"], -1) << "/home is not in the view";
    const json etc = result_of(pool.run(intruder({{"read", "/etc/hostname"}, {"list", "/etc"}})));
    EXPECT_EQ(etc["read_errno"], ENOENT);
    EXPECT_LE(etc["list_count"].get<long>(), 3) << "only fonts, ld.so.cache and localtime of /etc";
    // What plugins need is there: fonts (fontconfig, librsvg) and the system libraries.
    const json fonts = result_of(pool.run(intruder({{"list", "/usr/share/fonts"}})));
    const json etc_fonts = result_of(pool.run(intruder({{"read", "/etc/fonts/fonts.conf"}})));
    if (fs::exists("/usr/share/fonts")) {
        EXPECT_GT(fonts["list_count"].get<long>(), 0);
    }
    if (fs::exists("/etc/fonts/fonts.conf")) {
        EXPECT_GT(etc_fonts["read_bytes"].get<long>(), 0);
    }
}

TEST_F(Isolation, APluginCannotReadAnotherRunsScratchFolder) {
    RunnerPool pool(options_);
    std::atomic<bool> stop{false};
    TaskCallbacks callbacks;
    callbacks.cancel = &stop;
    TaskOutcome victim;
    std::thread other([&] { victim = pool.run(intruder({{"write", "secret.txt"}, {"sleep_ms", 15000}}, "a"), callbacks); });
    const std::string folder = folder_with("secret.txt");
    ASSERT_FALSE(folder.empty()) << "the victim's job never wrote its file";
    const json r = result_of(pool.run(intruder({{"read", folder + "/secret.txt"}, {"list", options_.scratch_root}}, "b")));
    stop = true;
    other.join();
    EXPECT_EQ(r["read_bytes"], -1) << "read another run's file: " << r["read_text"];
    EXPECT_TRUE(refused(r["read_errno"].get<int>())) << r["read_errno"];
    EXPECT_LE(r["list_count"].get<long>(), 1) << "sees other runners' folders";
}

TEST_F(Isolation, APluginCannotKillASiblingRunner) {
    RunnerPool pool(options_);
    TaskOutcome victim;
    std::thread other([&] { victim = pool.run(intruder({{"write", "alive"}, {"sleep_ms", 1500}}, "a")); });
    const std::string folder = folder_with("alive");
    ASSERT_FALSE(folder.empty());
    const pid_t pid = runner_pid(folder);
    ASSERT_GT(pid, 0) << "no runner process for " << folder;
    const json r = result_of(pool.run(intruder({{"kill", pid}}, "b")));
    other.join();
    EXPECT_EQ(r["kill_result"], -1);
    EXPECT_TRUE(r["kill_errno"] == EPERM || r["kill_errno"] == ESRCH) << r["kill_errno"];
    EXPECT_TRUE(victim.ok()) << "the sibling's job: " << victim.problem << ": " << victim.message;
}

// An importer run from the CLI sees the folder of the file it imports. Even when that folder holds
// the scratch root (a model in /tmp), the other runners' folders stay out of view.
TEST_F(Isolation, AnImportersSourceFolderIsReadOnlyAndShowsNoOtherScratchFolder) {
    RunnerPool pool(options_);
    const std::string how = isolation(pool);
    if (!has_namespaces(how)) GTEST_SKIP() << "no mount namespace on this machine: " << how;
    std::atomic<bool> stop{false};
    TaskCallbacks callbacks;
    callbacks.cancel = &stop;
    TaskOutcome victim;
    std::thread other([&] { victim = pool.run(intruder({{"write", "secret.txt"}, {"sleep_ms", 15000}}, "a"), callbacks); });
    const std::string folder = folder_with("secret.txt");
    ASSERT_FALSE(folder.empty());
    const fs::path data_file = root_ / "model-data.csv";
    std::ofstream(data_file) << "time,value\n0,1\n";
    TaskRequest importer = intruder({{"read", data_file.string()}, {"list", options_.scratch_root}});
    importer.source_dir = root_.string(); // holds the scratch root
    const json seen = result_of(pool.run(importer));
    importer.params_json = json{{"read", folder + "/secret.txt"}}.dump();
    const json other_scratch = result_of(pool.run(importer));
    importer.params_json = json{{"write", "../escape.txt"}}.dump();
    const TaskOutcome escape = pool.run(importer);
    stop = true;
    other.join();
    EXPECT_GT(seen["read_bytes"].get<long>(), 0) << "the source folder's files are readable";
    EXPECT_EQ(seen["list_count"], 1) << "only its own folder is in the scratch root";
    EXPECT_EQ(other_scratch["read_bytes"], -1) << "read another run's file: " << other_scratch["read_text"];
    EXPECT_FALSE(escape.ok()) << "wrote next to its scratch folder";
    EXPECT_FALSE(fs::exists(fs::path(options_.scratch_root) / "escape.txt"));
}

TEST_F(Isolation, IoUringIsRefused) {
    RunnerPool pool(options_);
    const json r = result_of(pool.run(intruder({{"io_uring", true}})));
    EXPECT_EQ(r["io_uring_fd"], -1) << "io_uring would run socket/connect operations past the seccomp filter";
    EXPECT_EQ(r["io_uring_errno"], ENOSYS);
}

TEST_F(Isolation, StdoutAndStderrReachTheLogOnlyAsOneEscapedField) {
    const std::string forged = R"({"ts":"2026-01-01T00:00:00Z","level":"info","msg":"request","method":"DELETE",)"
                               R"("path":"/v1/workspaces/acme","token":"admin","event":"deleteWorkspace"})"
                               "\n";
    // The host's own stdout and stderr, where the server writes its log, go to a file meanwhile.
    const fs::path captured = root_ / "host-output.txt";
    std::fflush(stdout);
    std::fflush(stderr);
    const int saved_out = ::dup(1), saved_err = ::dup(2);
    const int file = ::open(captured.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ASSERT_GE(file, 0);
    ::dup2(file, 1);
    ::dup2(file, 2);
    std::vector<RunnerOutput> relayed;
    TaskOutcome printed, flooded;
    {
        PoolOptions options = options_;
        options.on_output = [&](const RunnerOutput &o) { relayed.push_back(o); };
        RunnerPool pool(options);
        printed = pool.run(intruder({{"print", forged}}, "acme"));
        flooded = pool.run(intruder({{"print_bytes", 1 << 20}}, "acme"));
    }
    ::dup2(saved_out, 1);
    ::dup2(saved_err, 2);
    ::close(saved_out);
    ::close(saved_err);
    ::close(file);

    std::stringstream host_output;
    host_output << std::ifstream(captured).rdbuf();
    EXPECT_EQ(host_output.str().find("deleteWorkspace"), std::string::npos) << "a plugin wrote into the host's log";
    ASSERT_TRUE(printed.ok()) << printed.message;
    ASSERT_TRUE(flooded.ok()) << "a flood of output must not block or fail the job: " << flooded.message;
    ASSERT_EQ(relayed.size(), 2u);
    EXPECT_EQ(relayed[0].text, forged + forged) << "stdout and stderr, whole";
    EXPECT_EQ(relayed[0].bytes, 2 * forged.size());
    EXPECT_EQ(relayed[0].plugin_id, "fixture.intruder");
    EXPECT_EQ(relayed[0].method_id, "fixture.intruder.run");
    EXPECT_EQ(relayed[0].workspace, "acme");
    EXPECT_EQ(relayed[1].bytes, uint64_t{1} << 20);
    EXPECT_EQ(relayed[1].text.size(), kMaxRelayedOutput);
    EXPECT_TRUE(relayed[1].truncated());
    // The server logs it as one field of its own line: one line, the plugin's text a string in it.
    const std::string line = json{{"level", "warning"}, {"msg", "runner output"}, {"output", relayed[0].text}}.dump();
    EXPECT_EQ(line.find('\n'), std::string::npos);
    EXPECT_EQ(json::parse(line)["msg"], "runner output");
    EXPECT_EQ(json::parse(line)["output"], forged + forged);
}

TEST_F(Isolation, AWarmRunnerServesOneWorkspaceOnly) {
    RunnerPool pool(options_);
    EXPECT_EQ(result_of(pool.run(intruder({{"remember", "tenant a's params"}}, "a")))["remembered"], "");
    EXPECT_EQ(result_of(pool.run(intruder(json::object(), "b")))["remembered"], "")
        << "a runner warm from workspace a served workspace b";
    EXPECT_EQ(pool.spawned_count(), 2u);
    EXPECT_EQ(result_of(pool.run(intruder(json::object(), "a")))["remembered"], "tenant a's params")
        << "the same workspace reuses its warm runner";
    EXPECT_EQ(pool.spawned_count(), 2u);
}

TEST_F(Isolation, EachRunnerOfARootHostHasItsOwnUid) {
    if (geteuid() != 0) GTEST_SKIP() << "per-runner uids are for root hosts; a non-root host uses user namespaces";
    RunnerPool pool(options_);
    const UidRange range = uid_range_from_environment();
    // Two runners at once (each job waits, so the second cannot reuse the first).
    TaskRequest echo = intruder(json::object());
    echo.plugin = test::fixture(HOLON_FIXTURE_ECHO);
    echo.method_id = "fixture.echo.run";
    echo.params_json = R"({"sleep_ms":400})";
    TaskOutcome c, d;
    std::thread third([&] { c = pool.run(echo); });
    d = pool.run(echo);
    third.join();
    const uid_t uc = result_of(c)["uid"], ud = result_of(d)["uid"];
    EXPECT_NE(uc, ud) << "two runners at once shared a uid";
    for (uid_t uid : {uc, ud}) {
        EXPECT_GE(uid, range.first);
        EXPECT_LT(uid, range.first + range.count);
    }
}

// Issue 14, finding 12: after a root host left its scratch folder, a non-root host must still
// run plugins. Run as root, the test plays both users; the second also exercises the non-root
// isolation (user namespaces) end to end.
TEST(ScratchFolders, ANonRootHostAfterARootHostRunsPlugins) {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to act as a root host and then as another user";
    TaskRequest echo;
    echo.plugin = test::fixture(HOLON_FIXTURE_ECHO);
    echo.method_id = "fixture.echo.run";
    echo.limits = test::small_limits();
    {
        RunnerPool pool(test::pool_options()); // the default scratch root, as a real host
        ASSERT_TRUE(pool.run(echo).ok());
    }
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        if (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0) _exit(10);
        int code = 0;
        {
            RunnerPool pool(test::pool_options());
            TaskOutcome out = pool.run(echo);
            if (!out.ok()) {
                std::fprintf(stderr, "non-root run failed: %s: %s\n", out.problem.c_str(), out.message.c_str());
                code = 1;
            } else if (!json::parse(out.result_json)["cwd_is_scratch"].get<bool>()) {
                code = 2;
            }
            std::fprintf(stderr, "non-root isolation: %s\n", pool.isolation().c_str());
        }
        _exit(code);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status)) << "the non-root host died";
    EXPECT_EQ(WEXITSTATUS(status), 0) << "a non-root host could not run a plugin after a root host (see stderr)";
}

} // namespace
} // namespace holon::runner
