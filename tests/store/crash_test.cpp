// Durability: a child process writes models and acknowledges each one on a pipe after the store
// call returned; the parent SIGKILLs it at a random moment, reopens the database and checks that
// every acknowledged write is there and the database is intact. The child opens its store after
// fork, as the server must.
#include "store_fixture.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <map>
#include <random>
#include <sstream>
#include <thread>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace holon::store::testing {
namespace {

void write_line(int fd, const std::string& line) {
    const std::string text = line + "\n";
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n <= 0) _exit(3);
        written += static_cast<std::size_t>(n);
    }
}

// Runs in the child until killed: a run left running (for recovery), then models without end.
[[noreturn]] void write_until_killed(const std::filesystem::path& data_dir, int ack_fd, int round) {
    try {
        auto store = open_sqlite_store(data_dir);
        const std::string workspace = store->create_workspace("round " + std::to_string(round)).id;
        write_line(ack_fd, "ws " + workspace);
        const std::string run = store->create_run(workspace, {"sd.simulate", std::nullopt, std::nullopt, "{}", "{}", 2}).id;
        if (!store->claim("child-host", 3'600'000)) _exit(4);
        write_line(ack_fd, "run " + run);
        for (int i = 0;; ++i) {
            const std::string body = R"({"round":)" + std::to_string(round) + R"(,"i":)" + std::to_string(i) + "}";
            const ModelRef ref = store->create_model(workspace, {"m" + std::to_string(i), "holon-model/1", body});
            write_line(ack_fd, "model " + ref.id + " " + body);
        }
    } catch (...) {
        _exit(2);
    }
}

struct Acknowledged {
    std::string workspace;
    std::string run;
    std::map<std::string, std::string> models;  // id -> body
};

// Only complete lines count: a line cut by the kill was never acknowledged.
Acknowledged parse_acks(const std::string& text) {
    Acknowledged acks;
    std::size_t start = 0;
    for (std::size_t end = text.find('\n'); end != std::string::npos; start = end + 1, end = text.find('\n', start)) {
        std::istringstream line(text.substr(start, end - start));
        std::string kind, id, body;
        line >> kind >> id >> body;
        if (kind == "ws") acks.workspace = id;
        else if (kind == "run") acks.run = id;
        else if (kind == "model") acks.models[id] = body;
    }
    return acks;
}

TEST(CrashTest, AcknowledgedWritesSurviveSigkill) {
    TempDir dir;
    const std::filesystem::path data_dir = dir.path() / "data";
    std::random_device device;
    const unsigned seed = device();
    std::mt19937 random(seed);
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::size_t total_models = 0;
    std::vector<Acknowledged> rounds;

    for (int round = 0; round < 5; ++round) {
        int fds[2];
        ASSERT_EQ(::pipe(fds), 0);
        const pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            ::close(fds[0]);
            write_until_killed(data_dir, fds[1], round);
        }
        ::close(fds[1]);
        ::fcntl(fds[0], F_SETFL, O_NONBLOCK);

        // Read acknowledgements while the child writes; once it has acknowledged a random number
        // of models, kill it after a further random delay. Counting acknowledgements rather than
        // time keeps the test meaningful on a loaded machine, where opening may take long.
        const std::size_t wanted = std::uniform_int_distribution<std::size_t>(0, 80)(random);
        const auto extra = std::chrono::microseconds(std::uniform_int_distribution<int>(0, 20'000)(random));
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
        std::string received;
        char buffer[4096];
        auto acknowledged_models = [&] {
            std::size_t count = 0;
            for (std::size_t at = received.find("\nmodel "); at != std::string::npos; at = received.find("\nmodel ", at + 1))
                ++count;
            return count;
        };
        while (acknowledged_models() < wanted && std::chrono::steady_clock::now() < give_up) {
            const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
            if (n > 0) received.append(buffer, static_cast<std::size_t>(n));
            else if (n == 0) break;  // the child is gone: waitpid below reports how
            else std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        std::this_thread::sleep_for(extra);
        ::kill(child, SIGKILL);
        int status = 0;
        ASSERT_EQ(::waitpid(child, &status, 0), child);
        ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early with status " << WEXITSTATUS(status);
        for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) received.append(buffer, static_cast<std::size_t>(n));
        ::close(fds[0]);

        rounds.push_back(parse_acks(received));
        total_models += rounds.back().models.size();

        // A restarted host: every acknowledged write of every round is there, the file is intact,
        // and the run the dead child held is re-queued rather than left running.
        auto store = open_sqlite_store(data_dir);
        EXPECT_EQ(store->integrity_check(), "ok");
        const RecoveryReport report = store->recover_after_crash(RecoveryScope::all_running);
        if (!rounds.back().run.empty()) {
            const auto& requeued = report.requeued;
            EXPECT_NE(std::find(requeued.begin(), requeued.end(), rounds.back().run), requeued.end());
            EXPECT_EQ(store->get_run(rounds.back().workspace, rounds.back().run).state, RunState::queued);
        }
        // Nothing is left running; queued runs are cancelled so that the next child claims its own.
        for (const Workspace& workspace : store->list_workspaces({1000, ""}).items) {
            EXPECT_TRUE(store->list_runs(workspace.id, {}, RunState::running).items.empty());
            for (const auto& run : store->list_runs(workspace.id, {1000, ""}, RunState::queued).items)
                store->request_cancel(workspace.id, run.id);
        }
        for (const Acknowledged& acks : rounds) {
            for (const auto& [id, body] : acks.models) {
                ModelRevision model;
                ASSERT_NO_THROW(model = store->get_model(acks.workspace, id)) << "lost acknowledged model " << id;
                EXPECT_EQ(model.body, body);
            }
        }
    }
    RecordProperty("acknowledged_models", static_cast<int>(total_models));
    EXPECT_GT(total_models, 0u);
}

TEST(CrashTest, AStoreRefusesToWorkInAForkedChild) {
    TempDir dir;
    auto store = open_sqlite_store(dir.path() / "data");
    const std::string workspace = store->create_workspace("w").id;
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // _exit: the inherited connections must not even be closed here.
        try {
            store->get_workspace(workspace);
            _exit(1);
        } catch (const StoreError&) {
            _exit(0);
        }
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "the child used the parent's connections";
    EXPECT_EQ(store->get_workspace(workspace).name, "w");
}

}  // namespace
}  // namespace holon::store::testing
