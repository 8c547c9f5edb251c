#include "cli/run_output.hpp"

#include "cli/cli_error.hpp"
#include "tables/csv.hpp"
#include "tables/xlsx.hpp"

#include <ctime>
#include <fstream>

namespace holon::cli {

namespace {

std::ofstream open_file(const std::filesystem::path &p, std::vector<std::filesystem::path> &written) {
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    if (!f) throw CliError(exit_method_failed, p.string() + ": cannot be written");
    written.push_back(p);
    return f;
}

void write_workbook(const std::filesystem::path &p, const std::vector<runner::TableData> &all,
                    std::vector<std::filesystem::path> &written) {
    std::vector<tables::TableRef> refs;
    for (const auto &t : all) refs.push_back(tables::table_ref(t));
    std::string bytes;
    try {
        bytes = tables::xlsx(refs, std::time(nullptr));
    } catch (const tables::XlsxError &e) {
        throw CliError(exit_method_failed, p.string() + ": " + e.what());
    }
    auto f = open_file(p, written);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f.flush()) throw CliError(exit_method_failed, p.string() + ": write failed");
}

} // namespace

void write_csv(std::ostream &out, const runner::TableData &table) { out << tables::csv(tables::table_ref(table)); }

std::vector<std::filesystem::path> write_table_file(const std::filesystem::path &file, const runner::TableData &table) {
    std::vector<std::filesystem::path> written;
    if (file.extension() == ".xlsx") {
        write_workbook(file, {table}, written);
        return written;
    }
    {
        auto f = open_file(file, written);
        write_csv(f, table);
        if (!f.flush()) throw CliError(exit_method_failed, file.string() + ": write failed");
    }
    const auto ref = tables::table_ref(table);
    if (ref.has_metadata()) {
        std::filesystem::path columns = file;
        columns.replace_extension(".columns.csv");
        auto f = open_file(columns, written);
        f << tables::columns_csv(ref);
    }
    return written;
}

std::string safe_file_name(const std::string &name) {
    std::string s;
    for (char c : name) s += (c == '/' || c == '\\' || c == '\0') ? '_' : c;
    while (!s.empty() && s.front() == '.') s.erase(0, 1);
    return s.empty() ? std::string("output") : s;
}

std::vector<std::filesystem::path> write_outputs(const std::filesystem::path &dir, const runner::TaskOutcome &outcome,
                                                 bool xlsx) {
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
        const auto ref = tables::table_ref(t);
        if (ref.has_metadata()) open(dir / (safe_file_name(t.name) + ".columns.csv")) << tables::columns_csv(ref);
    }
    if (xlsx && !outcome.tables.empty()) write_workbook(dir / "tables.xlsx", outcome.tables, written);
    for (const auto &b : outcome.blobs) {
        auto f = open(dir / safe_file_name(b.name));
        f.write(b.data.data(), static_cast<std::streamsize>(b.data.size()));
    }
    return written;
}

} // namespace holon::cli
