// Runs the real `holon serve` binary on a loopback port with its own data directory, for the
// integration tests: started, stopped with SIGTERM, or killed with SIGKILL.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include <sys/types.h>

namespace holon::test {

inline const std::string admin_secret = "test-admin-secret-0123456789abcdef";

struct ServerOptions {
    std::filesystem::path data_dir;
    std::map<std::string, std::string> env;  // extra HOLON_* settings
    bool set_admin_token = true;              // HOLON_ADMIN_TOKEN = admin_secret
    std::vector<std::string> plugin_dirs;     // default: the echo, segfault and sleep-forever fixtures
    std::vector<std::string> extra_args;      // more `holon serve` arguments, e.g. {"--config", file}
    // `holon serve --store` location; "" = the data folder's SQLite file, or, when the environment
    // variable HOLON_TEST_STORE_POSTGRES names a PostgreSQL server, a fresh database of its own.
    std::string store;
};

// A fresh PostgreSQL database on the server `server_uri` names (postgresql://.../dbname?...),
// dropped (with its connections) when this goes away. Created and dropped with psql.
class PostgresDatabase {
public:
    PostgresDatabase(const std::string& server_uri, const std::string& name_hint);
    ~PostgresDatabase();
    PostgresDatabase(const PostgresDatabase&) = delete;
    PostgresDatabase& operator=(const PostgresDatabase&) = delete;
    const std::string& uri() const { return uri_; }     // the new database
    const std::string& name() const { return name_; }
    // Runs one SQL statement with psql on the new database ("" = on the server's own database);
    // returns psql's output (rows unaligned, no headers); throws when psql fails.
    std::string psql(const std::string& sql, bool on_server_database = false) const;

private:
    std::string server_uri_;
    std::string name_;
    std::string uri_;
};

class ServerProcess {
public:
    explicit ServerProcess(ServerOptions options);
    ~ServerProcess();  // SIGKILL if still running
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    void start();          // returns once the server logs "listening"; throws on failure
    int stop();            // SIGTERM, wait; returns the exit status (or 128+signal)
    void kill_hard();      // SIGKILL, wait
    void signal(int signal_number);  // e.g. SIGHUP (a reload)
    // Waits until the server has logged "listening" `count` times in all (a reload listens again)
    // and returns the port of the latest; throws after 30 s or when the server exits.
    int wait_listening(int count);
    int port() const { return port_; }
    bool running() const { return pid_ > 0; }
    pid_t pid() const { return pid_; }  // part of the job engine's lease owner (host:pid:random)
    const std::string& store() const { return options_.store; }
    std::vector<std::string> log_lines() const;

private:
    void read_output(int fd);
    int wait_exit();

    ServerOptions options_;
    std::unique_ptr<PostgresDatabase> database_;  // HOLON_TEST_STORE_POSTGRES: this server's own
    pid_t pid_ = -1;
    int port_ = 0;
    int listening_ = 0;  // "listening" lines logged so far
    std::thread reader_;
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

// A fresh directory under the test temp dir.
std::filesystem::path fresh_dir(const std::string& name);

}  // namespace holon::test
