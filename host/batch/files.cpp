#include "batch/files.hpp"
#include "tables/csv.hpp"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <cmath>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace holon::batch {

void write_file_atomically(const std::filesystem::path &file, const std::string &content) {
    const auto temp = file.parent_path() / ("." + file.filename().string() + ".tmp" + std::to_string(::getpid()) + "-" +
                                            std::to_string(std::hash<std::string>{}(file.string()) & 0xffff));
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error(temp.string() + ": cannot be written");
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.flush();
        if (!out) throw std::runtime_error(temp.string() + ": write failed");
    }
    std::error_code ec;
    std::filesystem::rename(temp, file, ec);
    if (ec) {
        std::filesystem::remove(temp, ec);
        throw std::runtime_error(file.string() + ": cannot be written (" + ec.message() + ")");
    }
}

void write_file(const std::filesystem::path &file, const std::string &content) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error(file.string() + ": cannot be written (" + std::strerror(errno) + ")");
    size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int error = errno;
            ::close(fd);
            throw std::runtime_error(file.string() + ": write failed (" + std::strerror(error) + ")");
        }
        done += static_cast<size_t>(n);
    }
    if (::close(fd) != 0) throw std::runtime_error(file.string() + ": write failed (" + std::strerror(errno) + ")");
}

std::string csv_field(const std::string &text) { return tables::csv_field(text); }

std::string number_text(double value, bool empty_for_nan) {
    if (empty_for_nan && std::isnan(value)) return std::string();
    return tables::number_text(value);
}

std::string table_csv(const runner::TableData &table) { return tables::csv(table.columns, table.values); }

std::string table_columns_csv(const runner::TableData &table) {
    const auto ref = tables::table_ref(table);
    return ref.has_metadata() ? tables::columns_csv(ref) : std::string();
}

namespace {

std::vector<std::string> split_csv_line(const std::string &line) {
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.push_back(std::move(field));
            field.clear();
        } else if (c != '\r') {
            field += c;
        }
    }
    fields.push_back(std::move(field));
    return fields;
}

double parse_number(const std::string &s) {
    if (s.empty()) return std::numeric_limits<double>::quiet_NaN();
    const std::optional<double> value = tables::parse_number(s);
    if (!value) throw std::runtime_error("'" + s + "' is not a number");
    return *value;
}

} // namespace

runner::TableData read_table_csv(const std::filesystem::path &file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error(file.string() + ": cannot be read");
    runner::TableData table;
    table.name = file.stem().string();
    std::string line;
    if (!std::getline(in, line)) throw std::runtime_error(file.string() + ": empty");
    table.columns = split_csv_line(line);
    table.values.assign(table.columns.size(), {});
    size_t row = 1;
    while (std::getline(in, line)) {
        ++row;
        if (line.empty()) continue;
        auto fields = split_csv_line(line);
        if (fields.size() != table.columns.size())
            throw std::runtime_error(file.string() + ": row " + std::to_string(row) + " has " + std::to_string(fields.size()) +
                                     " fields, not " + std::to_string(table.columns.size()));
        try {
            for (size_t c = 0; c < fields.size(); ++c) table.values[c].push_back(parse_number(fields[c]));
        } catch (const std::runtime_error &e) {
            throw std::runtime_error(file.string() + ": row " + std::to_string(row) + ": " + e.what());
        }
    }
    return table;
}

std::string file_stem(const std::string &name) {
    std::string s;
    for (unsigned char c : name) s += (std::isalnum(c) || c == '-' || c == '_' || c == '.') ? static_cast<char>(c) : '_';
    while (!s.empty() && s.front() == '.') s.erase(0, 1);
    return s.empty() ? std::string("output") : s;
}

} // namespace holon::batch
