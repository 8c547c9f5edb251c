#include "tables/xlsx.hpp"

#include <xlsxwriter.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <unistd.h>

namespace holon::tables {

namespace {

constexpr std::size_t kMaxSheetName = 31; // Excel's limit, in characters

// Cuts at a character boundary: a sheet name is counted in characters, not UTF-8 bytes.
std::string cut_utf8(const std::string &text, std::size_t max_chars) {
    std::size_t chars = 0, i = 0;
    for (; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if ((byte & 0xC0) != 0x80) {
            if (chars == max_chars) break;
            ++chars;
        }
    }
    return text.substr(0, i);
}

std::string sheet_base(const std::string &name) {
    std::string out;
    for (char ch : name) out += std::string("[]:*?/\\").find(ch) == std::string::npos ? ch : '_';
    while (!out.empty() && out.front() == '\'') out.erase(0, 1);
    while (!out.empty() && out.back() == '\'') out.pop_back();
    return out.empty() ? "table" : out;
}

// Excel compares sheet names case-insensitively (ASCII is enough for uniqueness here).
std::string folded(const std::string &name) {
    std::string out = name;
    for (char &ch : out)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    return out;
}

std::string unique_sheet(const std::string &wanted, std::set<std::string> &taken) {
    std::string base = cut_utf8(wanted, kMaxSheetName);
    for (int k = 2; !taken.insert(folded(base)).second; ++k) {
        const std::string suffix = " (" + std::to_string(k) + ")";
        base = cut_utf8(wanted, kMaxSheetName - suffix.size()) + suffix;
    }
    return base;
}

// A temporary file that is removed when this goes out of scope.
class TempFile {
public:
    TempFile() {
        std::string pattern = (std::filesystem::temp_directory_path() / "holon-xlsx-XXXXXX").string();
        const int fd = mkstemp(pattern.data());
        if (fd < 0) throw XlsxError("cannot create a temporary file for the workbook");
        close(fd);
        path_ = pattern;
    }
    TempFile(const TempFile &) = delete;
    TempFile &operator=(const TempFile &) = delete;
    ~TempFile() {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
    const std::string &path() const { return path_; }

private:
    std::string path_;
};

void check(lxw_error rc, const char *what) {
    if (rc != LXW_NO_ERROR) throw XlsxError(std::string(what) + ": " + lxw_strerror(rc));
}

void write_table(lxw_worksheet *sheet, const TableRef &t, lxw_format *bold, lxw_format *italic) {
    if (t.columns.size() > LXW_COL_MAX) throw XlsxError("table '" + std::string(t.name) + "' has more columns than a sheet holds");
    // Row by row: in constant-memory mode a row is final once a later one is written.
    for (std::size_t c = 0; c < t.columns.size(); ++c)
        check(worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), t.display_name(c).c_str(), bold), "header");
    for (std::size_t c = 0; c < t.columns.size(); ++c)
        if (!t.units_of(c).empty())
            check(worksheet_write_string(sheet, 1, static_cast<lxw_col_t>(c), t.units_of(c).c_str(), italic), "units");
    std::size_t rows = 0;
    for (const auto &column : t.values) rows = std::max(rows, column.size());
    if (rows + 2 > LXW_ROW_MAX) throw XlsxError("table '" + std::string(t.name) + "' has more rows than a sheet holds");
    for (std::size_t r = 0; r < rows; ++r) {
        const auto row = static_cast<lxw_row_t>(r + 2);
        for (std::size_t c = 0; c < t.values.size(); ++c) {
            if (r >= t.values[c].size()) continue;
            const double v = t.values[c][r];
            const auto col = static_cast<lxw_col_t>(c);
            if (std::isnan(v)) continue; // a missing value is an empty cell
            if (std::isinf(v))
                check(worksheet_write_string(sheet, row, col, v > 0 ? "Infinity" : "-Infinity", nullptr), "cell");
            else
                check(worksheet_write_number(sheet, row, col, v, nullptr), "cell");
        }
    }
    worksheet_freeze_panes(sheet, 2, 0);
}

} // namespace

bool fits_xlsx(const TableRef &t) {
    std::size_t rows = 0;
    for (const auto &column : t.values) rows = std::max(rows, column.size());
    return rows + 2 <= LXW_ROW_MAX && t.columns.size() <= LXW_COL_MAX;
}

std::vector<std::string> xlsx_sheet_names(const std::vector<std::string> &table_names) {
    std::set<std::string> taken;
    std::vector<std::string> out;
    for (const auto &name : table_names) out.push_back(unique_sheet(sheet_base(name), taken));
    out.push_back(unique_sheet("columns", taken));
    return out;
}

std::string xlsx(const std::vector<TableRef> &tables, std::time_t created) {
    std::vector<std::string> names;
    for (const auto &t : tables) names.emplace_back(t.name);
    const auto sheets = xlsx_sheet_names(names);

    TempFile file;
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE; // rows go out as they are written: big tables stay cheap
    lxw_workbook *book = workbook_new_opt(file.path().c_str(), &options);
    if (!book) throw XlsxError("cannot start a workbook");
    lxw_doc_properties properties{};
    properties.created = created;
    std::string comments = "Written by Holon";
    properties.comments = comments.data();
    workbook_set_properties(book, &properties);
    lxw_format *bold = workbook_add_format(book);
    format_set_bold(bold);
    lxw_format *italic = workbook_add_format(book);
    format_set_italic(italic);
    try {
        for (std::size_t i = 0; i < tables.size(); ++i) {
            lxw_worksheet *sheet = workbook_add_worksheet(book, sheets[i].c_str());
            if (!sheet) throw XlsxError("cannot add sheet '" + sheets[i] + "'");
            write_table(sheet, tables[i], bold, italic);
        }
        lxw_worksheet *about = workbook_add_worksheet(book, sheets.back().c_str());
        if (!about) throw XlsxError("cannot add the columns sheet");
        const char *head[] = {"table", "column", "label", "units"};
        for (lxw_col_t c = 0; c < 4; ++c) check(worksheet_write_string(about, 0, c, head[c], bold), "header");
        lxw_row_t row = 1;
        for (std::size_t i = 0; i < tables.size(); ++i) {
            const TableRef &t = tables[i];
            for (std::size_t c = 0; c < t.columns.size(); ++c, ++row) {
                const std::string label = c < t.labels.size() ? t.labels[c] : std::string();
                check(worksheet_write_string(about, row, 0, sheets[i].c_str(), nullptr), "columns sheet");
                check(worksheet_write_string(about, row, 1, t.columns[c].c_str(), nullptr), "columns sheet");
                if (!label.empty()) check(worksheet_write_string(about, row, 2, label.c_str(), nullptr), "columns sheet");
                if (!t.units_of(c).empty())
                    check(worksheet_write_string(about, row, 3, t.units_of(c).c_str(), nullptr), "columns sheet");
            }
        }
        worksheet_freeze_panes(about, 1, 0);
    } catch (...) {
        workbook_close(book);
        throw;
    }
    check(workbook_close(book), "cannot write the workbook");
    std::ifstream in(file.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) throw XlsxError("cannot read the workbook back");
    return bytes;
}

} // namespace holon::tables
