// gnuplot processes started before their plots are ready. Starting gnuplot (loading its
// libraries, cairo and the fonts) takes about as long as drawing a plot; a process started when
// the runs begin has done that part by the time the runs are over, while the plots wait for the
// last run whatever happens.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace holon::batch {

// A gnuplot single-quoted string: '' stands for one quote; no escapes are interpreted; line
// breaks are dropped (they would end the command).
std::string gnuplot_quoted(const std::string &s);

// One gnuplot reading its commands from a socket (its stdin), its messages kept in memory until
// a plot names the log file they belong in.
class WarmGnuplot {
public:
    // Starts `program` and has it draw its test card as PNG to /dev/null, so that cairo and the
    // fonts are loaded before any real plot. Never throws: a process that could not be started
    // reports it from run() as status 127.
    explicit WarmGnuplot(const std::string &program);
    ~WarmGnuplot(); // an unused process is sent end-of-input and reaped
    WarmGnuplot(const WarmGnuplot &) = delete;
    WarmGnuplot &operator=(const WarmGnuplot &) = delete;

    // Runs the gnuplot script file in its folder (the names in a plot script are relative to it)
    // and waits for gnuplot to exit; what gnuplot printed goes to `log` (not created when it
    // printed nothing). Returns the exit status as run_program does. Once per process.
    int run(const std::filesystem::path &script, const std::filesystem::path &log);

private:
    int pid_ = -1;
    int input_fd_ = -1; // our end of gnuplot's stdin
    int output_fd_ = -1; // a memory file holding gnuplot's stdout and stderr
};

// The warm processes of one batch. Thread-safe.
class GnuplotPool {
public:
    explicit GnuplotPool(std::string program) : program_(std::move(program)) {}
    // Starts `count` more processes.
    void prestart(size_t count);
    // A warm process if one is left, else a freshly started one.
    std::unique_ptr<WarmGnuplot> take();
    const std::string &program() const { return program_; }

private:
    std::string program_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<WarmGnuplot>> warm_;
};

} // namespace holon::batch
