#include "cli/run_output.hpp"

#include "cli/cli_error.hpp"
#include "tables/csv.hpp"

#include <fstream>

namespace holon::cli {

void write_csv(std::ostream &out, const runner::TableData &table) { out << tables::csv(table.columns, table.values); }

std::string safe_file_name(const std::string &name) {
    std::string s;
    for (char c : name) s += (c == '/' || c == '\\' || c == '\0') ? '_' : c;
    while (!s.empty() && s.front() == '.') s.erase(0, 1);
    return s.empty() ? std::string("output") : s;
}

std::vector<std::filesystem::path> write_outputs(const std::filesystem::path &dir, const runner::TaskOutcome &outcome) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw bad_input(dir.string() + ": cannot create folder (" + ec.message() + ")");
    std::vector<std::filesystem::path> written;
    auto open = [&](const std::filesystem::path &p) {
        std::ofstream f(p, std::ios::binary | std::ios::trunc);
        if (!f) throw CliError(exit_method_failed, p.string() + ": cannot be written");
        written.push_back(p);
        return f;
    };
    {
        auto f = open(dir / "result.json");
        f << (outcome.result_json.empty() ? std::string("null") : outcome.result_json) << '\n';
    }
    for (const auto &t : outcome.tables) {
        auto f = open(dir / (safe_file_name(t.name) + ".csv"));
        write_csv(f, t);
    }
    for (const auto &b : outcome.blobs) {
        auto f = open(dir / safe_file_name(b.name));
        f.write(b.data.data(), static_cast<std::streamsize>(b.data.size()));
    }
    return written;
}

} // namespace holon::cli
