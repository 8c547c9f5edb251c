#include "cli/run_output.hpp"

#include "cli/cli_error.hpp"

#include <charconv>
#include <cmath>
#include <fstream>

namespace holon::cli {
namespace {

void write_field(std::ostream &out, const std::string &s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) {
        out << s;
        return;
    }
    out << '"';
    for (char c : s) {
        if (c == '"') out << '"';
        out << c;
    }
    out << '"';
}

void write_number(std::ostream &out, double v) {
    if (std::isnan(v)) {
        out << "NaN";
        return;
    }
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    out.write(buf, res.ptr - buf);
}

} // namespace

void write_csv(std::ostream &out, const runner::TableData &table) {
    for (size_t c = 0; c < table.columns.size(); ++c) {
        if (c) out << ',';
        write_field(out, table.columns[c]);
    }
    out << '\n';
    const size_t rows = table.values.empty() ? 0 : table.values.front().size();
    for (size_t r = 0; r < rows; ++r) {
        for (size_t c = 0; c < table.values.size(); ++c) {
            if (c) out << ',';
            write_number(out, table.values[c][r]);
        }
        out << '\n';
    }
}

std::string safe_file_name(const std::string &name) {
    std::string s;
    for (char c : name) s += (c == '/' || c == '\\' || c == '\0') ? '_' : c;
    while (!s.empty() && s.front() == '.') s.erase(0, 1);
    return s.empty() ? std::string("output") : s;
}

std::vector<std::filesystem::path> write_outputs(const std::filesystem::path &dir, const runner::JobOutcome &outcome) {
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
