#include "mdl/data_files.hpp"

#include "ir/error.hpp"
#include "ir/names.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/Exception.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>
#include <freexl.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>

namespace holon_sd::mdl {

namespace {

constexpr size_t max_cells = 50'000'000;
constexpr size_t max_entry = 256u << 20;

std::string lower(std::string s) {
    for (char &c : s) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    return s;
}

void put(Sheet &s, size_t row, size_t col, std::string value, size_t &count) {
    if (row > 1'000'000 || col > 20'000) throw ModelError("a spreadsheet cell beyond row 1000000 or column 20000");
    if (++count > max_cells) throw ModelError("a spreadsheet with more than 50 million cells");
    if (s.cells.size() <= row) s.cells.resize(row + 1);
    if (s.cells[row].size() <= col) s.cells[row].resize(col + 1);
    s.cells[row][col] = std::move(value);
}

Sheet read_delimited(const std::string &path, char delimiter) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ModelError("cannot open data file '" + path + "'");
    Sheet s;
    std::string line;
    size_t row = 0, count = 0;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        size_t col = 0;
        std::string cell;
        bool quoted = false;
        for (char c : line) {
            if (c == '"') quoted = !quoted;
            else if (c == delimiter && !quoted) {
                put(s, row, col++, cell, count);
                cell.clear();
            } else cell += c;
        }
        put(s, row, col, cell, count);
        ++row;
    }
    return s;
}

std::string zip_entry(const std::string &path, const std::string &name, bool required) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ModelError("cannot open data file '" + path + "'");
    Poco::Zip::ZipArchive archive(in);
    auto it = archive.findHeader(name);
    if (it == archive.headerEnd()) {
        if (required) throw ModelError("'" + path + "' is not an .xlsx workbook (no " + name + ")");
        return {};
    }
    if (it->second.getUncompressedSize() > max_entry) throw ModelError("'" + path + "': " + name + " is larger than 256 MiB");
    in.clear();
    Poco::Zip::ZipInputStream zin(in, it->second);
    return std::string(std::istreambuf_iterator<char>(zin), std::istreambuf_iterator<char>());
}

Poco::AutoPtr<Poco::XML::Document> parse_xml(const std::string &text) {
    Poco::XML::DOMParser parser;
    parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, false);
    return parser.parseString(text);
}

// "AB12" -> (row 11, column 27); false if not a cell reference.
bool cell_address(std::string ref, size_t &row, size_t &col) {
    std::string r;
    for (char c : ref)
        if (c != '$') r += c;
    size_t i = 0;
    size_t c = 0;
    while (i < r.size() && std::isalpha(static_cast<unsigned char>(r[i]))) {
        c = c * 26 + static_cast<size_t>(std::toupper(static_cast<unsigned char>(r[i])) - 'A' + 1);
        if (++i > 3) return false;
    }
    if (i == 0 || i == r.size()) return false;
    size_t n = 0;
    for (size_t j = i; j < r.size(); ++j) {
        if (!std::isdigit(static_cast<unsigned char>(r[j])) || j - i > 7) return false;
        n = n * 10 + static_cast<size_t>(r[j] - '0');
    }
    if (n == 0) return false;
    row = n - 1;
    col = c - 1;
    return true;
}

double to_number(const std::string &text, const std::string &where) {
    char *end = nullptr;
    std::string t = text;
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
    double v = std::strtod(t.c_str(), &end);
    if (t.empty() || end != t.c_str() + t.size()) throw ModelError("the cell " + where + " holds '" + text + "', not a number");
    return v;
}

// Vensim reads a cell that holds text where a number belongs ("n/a", "-", a note) as missing data
// rather than refusing the file: false for such a cell.
bool is_number(const std::string &text) {
    char *end = nullptr;
    std::string t = text;
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
    std::strtod(t.c_str(), &end);
    return !t.empty() && end == t.c_str() + t.size();
}

std::string column_name(size_t col) {
    std::string s;
    ++col;
    while (col > 0) {
        s.insert(s.begin(), static_cast<char>('A' + (col - 1) % 26));
        col = (col - 1) / 26;
    }
    return s;
}

std::string where(size_t row, size_t col) { return column_name(col) + std::to_string(row + 1); }

const std::string &string_arg(const VExpr &call, size_t i) {
    if (i >= call.args.size() || call.args[i]->kind != VKind::string)
        throw ModelError("argument " + std::to_string(i + 1) + " of " + call.name + " must be a quoted text");
    return call.args[i]->name;
}

} // namespace

const DataFiles::Workbook &DataFiles::workbook(const std::string &file) {
    auto it = books_.find(file);
    if (it != books_.end()) return it->second;
    // Only files in or below the model's folder: a model must not read anything else of the host.
    std::filesystem::path rel(file);
    bool outside = rel.is_absolute() || file.empty();
    for (const auto &part : rel) outside = outside || part == "..";
    if (outside) throw ModelError("data file '" + file + "' is outside the model's folder");
    if (dir_.empty()) throw ModelError("data file '" + file + "' cannot be read: the model's folder is not known");
    std::string path = (std::filesystem::path(dir_) / file).string();
    std::string ext = lower(std::filesystem::path(file).extension().string());
    Workbook book;
    try {
        if (ext == ".csv") book.sheets[""] = read_delimited(path, ',');
        else if (ext == ".tab" || ext == ".txt") book.sheets[""] = read_delimited(path, '\t');
        else if (ext == ".xlsx") {
            auto wb = parse_xml(zip_entry(path, "xl/workbook.xml", true));
            auto rels = parse_xml(zip_entry(path, "xl/_rels/workbook.xml.rels", true));
            std::map<std::string, std::string> targets;
            Poco::AutoPtr<Poco::XML::NodeList> rl = rels->getElementsByTagName("Relationship");
            for (unsigned long i = 0; i < rl->length(); ++i) {
                auto *e = static_cast<Poco::XML::Element *>(rl->item(i));
                targets[e->getAttribute("Id")] = e->getAttribute("Target");
            }
            std::vector<std::string> shared;
            std::string ss_text = zip_entry(path, "xl/sharedStrings.xml", false);
            if (!ss_text.empty()) {
                auto ss = parse_xml(ss_text);
                Poco::AutoPtr<Poco::XML::NodeList> items = ss->getElementsByTagName("si");
                for (unsigned long i = 0; i < items->length(); ++i) shared.push_back(items->item(i)->innerText());
            }
            Poco::AutoPtr<Poco::XML::NodeList> dn = wb->getElementsByTagName("definedName");
            for (unsigned long i = 0; i < dn->length(); ++i) {
                auto *e = static_cast<Poco::XML::Element *>(dn->item(i));
                book.defined_names[lower(e->getAttribute("name"))] = e->innerText();
            }
            Poco::AutoPtr<Poco::XML::NodeList> sl = wb->getElementsByTagName("sheet");
            for (unsigned long i = 0; i < sl->length(); ++i) {
                auto *e = static_cast<Poco::XML::Element *>(sl->item(i));
                std::string target = targets[e->getAttribute("r:id")];
                if (target.rfind("/xl/", 0) == 0) target = target.substr(4);
                auto doc = parse_xml(zip_entry(path, "xl/" + target, true));
                Sheet s;
                size_t count = 0;
                Poco::AutoPtr<Poco::XML::NodeList> cells = doc->getElementsByTagName("c");
                for (unsigned long k = 0; k < cells->length(); ++k) {
                    auto *c = static_cast<Poco::XML::Element *>(cells->item(k));
                    size_t row = 0, col = 0;
                    if (!cell_address(c->getAttribute("r"), row, col)) continue;
                    Poco::XML::Element *v = c->getChildElement("v");
                    std::string value = v ? v->innerText() : c->innerText();
                    if (c->getAttribute("t") == "s") {
                        size_t idx = static_cast<size_t>(std::strtoul(value.c_str(), nullptr, 10));
                        value = idx < shared.size() ? shared[idx] : std::string();
                    }
                    put(s, row, col, value, count);
                }
                book.sheets[lower(e->getAttribute("name"))] = std::move(s);
            }
        } else if (ext == ".xls") {
            const void *handle = nullptr;
            if (freexl_open(path.c_str(), &handle) != FREEXL_OK) throw ModelError("cannot read '" + path + "' as an .xls workbook");
            struct Closer {
                const void *h;
                ~Closer() { freexl_close(h); }
            } closer{handle};
            unsigned int count_sheets = 0;
            if (freexl_get_info(handle, FREEXL_BIFF_SHEET_COUNT, &count_sheets) != FREEXL_OK) count_sheets = 0;
            for (unsigned short i = 0; i < count_sheets && i < 1000; ++i) {
                const char *name = nullptr;
                if (freexl_get_worksheet_name(handle, i, &name) != FREEXL_OK || !name) continue;
                if (freexl_select_active_worksheet(handle, i) != FREEXL_OK) continue;
                unsigned int rows = 0;
                unsigned short cols = 0;
                if (freexl_worksheet_dimensions(handle, &rows, &cols) != FREEXL_OK) continue;
                Sheet s;
                size_t count = 0;
                for (unsigned int r = 0; r < rows && r < 1'000'000; ++r)
                    for (unsigned short c = 0; c < cols; ++c) {
                        FreeXL_CellValue v;
                        if (freexl_get_cell_value(handle, r, c, &v) != FREEXL_OK) continue;
                        std::string text;
                        switch (v.type) {
                        case FREEXL_CELL_INT: text = std::to_string(v.value.int_value); break;
                        case FREEXL_CELL_DOUBLE: {
                            std::ostringstream o;
                            o.precision(17);
                            o << v.value.double_value;
                            text = o.str();
                            break;
                        }
                        case FREEXL_CELL_TEXT:
                        case FREEXL_CELL_SST_TEXT: text = v.value.text_value ? v.value.text_value : ""; break;
                        default: continue;
                        }
                        put(s, r, c, text, count);
                    }
                book.sheets[lower(name)] = std::move(s);
            }
        } else {
            throw ModelError("data file '" + file + "': unsupported format (use .csv, .tab, .xlsx or .xls)");
        }
    } catch (const Poco::Exception &e) {
        throw ModelError("data file '" + file + "': " + e.displayText());
    }
    return books_.emplace(file, std::move(book)).first->second;
}

const Sheet &DataFiles::sheet(const std::string &file, const std::string &tab) {
    const Workbook &b = workbook(file);
    if (b.sheets.size() == 1 && b.sheets.count("")) return b.sheets.at("");
    auto it = b.sheets.find(lower(tab));
    if (it == b.sheets.end()) throw ModelError("data file '" + file + "' has no sheet '" + tab + "'");
    return it->second;
}

namespace {

// A cell reference or a named range: the first cell and the extent (for named ranges).
struct Area {
    size_t row = 0, col = 0, rows = 0, cols = 0; // rows/cols 0: open-ended
    bool transposed = false;
    std::string sheet; // from a named range
};

} // namespace

static Area area_of(const std::map<std::string, std::string> &names, std::string ref) {
    Area a;
    if (!ref.empty() && ref.back() == '*') {
        a.transposed = true;
        ref.pop_back();
    }
    if (cell_address(ref, a.row, a.col)) return a;
    auto it = names.find(lower(ref));
    if (it == names.end()) throw ModelError("'" + ref + "' is neither a cell nor a named range");
    std::string target = it->second;
    size_t bang = target.rfind('!');
    if (bang != std::string::npos) {
        a.sheet = target.substr(0, bang);
        if (a.sheet.size() >= 2 && a.sheet.front() == '\'') a.sheet = a.sheet.substr(1, a.sheet.size() - 2);
        target = target.substr(bang + 1);
    }
    size_t colon = target.find(':');
    size_t r2 = 0, c2 = 0;
    if (!cell_address(target.substr(0, colon), a.row, a.col)) throw ModelError("named range '" + ref + "' is not a cell range");
    if (colon != std::string::npos && cell_address(target.substr(colon + 1), r2, c2)) {
        a.rows = r2 - a.row + 1;
        a.cols = c2 - a.col + 1;
    } else {
        a.rows = a.cols = 1;
    }
    return a;
}

DataValue DataFiles::evaluate(const VExpr &call, const std::string &mode) {
    std::vector<std::vector<std::string>> one{{}};
    return evaluate_array(call, one, {}, Symbols{}, mode)[0];
}

GraphicalFunction look_forward(const GraphicalFunction &gf) {
    GraphicalFunction f;
    f.type = GraphicalFunctionType::discrete;
    for (size_t k = 0; k < gf.xs.size(); ++k) {
        f.xs.push_back(gf.xs[k]);
        f.ys.push_back(gf.ys[k]);
        if (k + 1 < gf.xs.size()) {
            f.xs.push_back(std::nextafter(gf.xs[k], gf.xs[k + 1]));
            f.ys.push_back(gf.ys[k + 1]);
        }
    }
    return f;
}

static GraphicalFunction with_data_mode(GraphicalFunction gf, const std::string &mode) {
    if (mode == "HOLD BACKWARD") gf.type = GraphicalFunctionType::discrete;
    if (mode == "RAW") {
        // Each point's value only at its own time; no value (NaN, Vensim's :NA:) just after it.
        GraphicalFunction f;
        f.type = GraphicalFunctionType::discrete;
        f.xs.push_back(std::nextafter(gf.xs[0], -std::numeric_limits<double>::infinity())); // none before the first
        f.ys.push_back(std::numeric_limits<double>::quiet_NaN());
        for (size_t k = 0; k < gf.xs.size(); ++k) {
            f.xs.push_back(gf.xs[k]);
            f.ys.push_back(gf.ys[k]);
            f.xs.push_back(std::nextafter(gf.xs[k], std::numeric_limits<double>::infinity()));
            f.ys.push_back(std::numeric_limits<double>::quiet_NaN());
        }
        gf = std::move(f);
    }
    if (mode == "LOOK FORWARD") gf = look_forward(gf);
    return gf;
}

// A column header "name[A, D]" compared by canonical names of the variable and of each element.
static std::string column_key(const std::string &header) {
    size_t open = header.find('[');
    if (open == std::string::npos) return canonical_name(header);
    std::string key = canonical_name(header.substr(0, open)) + "[";
    size_t close = header.find(']', open);
    std::string inside = header.substr(open + 1, close == std::string::npos ? std::string::npos : close - open - 1);
    std::stringstream parts(inside);
    std::string part;
    bool first = true;
    while (std::getline(parts, part, ',')) {
        if (!first) key += ',';
        key += canonical_name(part);
        first = false;
    }
    return key + "]";
}

std::optional<GraphicalFunction> DataFiles::series(const std::vector<std::string> &files, const std::string &name,
                                                   const std::vector<std::string> &elements, const std::string &mode) {
    std::string wanted = canonical_name(name);
    if (!elements.empty()) {
        wanted += "[";
        for (size_t i = 0; i < elements.size(); ++i) {
            if (i) wanted += ',';
            wanted += canonical_name(elements[i]);
        }
        wanted += "]";
    }
    for (const std::string &file : files) {
        const Sheet &s = sheet(file, "");
        if (s.cells.empty()) continue;
        const std::vector<std::string> &header = s.cells[0];
        for (size_t col = 1; col < header.size(); ++col) {
            if (column_key(header[col]) != wanted) continue;
            GraphicalFunction gf;
            for (size_t row = 1; row < s.cells.size(); ++row) {
                const std::string *x = s.cell(row, 0);
                const std::string *y = s.cell(row, col);
                if (!x || !y) continue; // a blank cell: no data point at that time
                if (!is_number(*x) || !is_number(*y)) continue; // text: missing, as a blank
                gf.xs.push_back(to_number(*x, where(row, 0)));
                gf.ys.push_back(to_number(*y, where(row, col)));
            }
            if (gf.xs.empty()) throw ModelError("data file '" + file + "': column '" + header[col] + "' has no values");
            for (size_t k = 1; k < gf.xs.size(); ++k)
                if (gf.xs[k] <= gf.xs[k - 1]) throw ModelError("data file '" + file + "': the times in the first column do not increase");
            return with_data_mode(std::move(gf), mode);
        }
    }
    return std::nullopt;
}

std::vector<DataValue> DataFiles::evaluate_array(const VExpr &call, const std::vector<std::vector<std::string>> &instances,
                                                 const std::vector<std::string> &lhs_subscripts, const Symbols &symbols,
                                                 const std::string &mode) {
    const std::string &f = call.name;
    bool constants = f == "get xls constants" || f == "get direct constants";
    bool data = f == "get xls data" || f == "get direct data";
    bool lookups = f == "get xls lookups" || f == "get direct lookups";
    if (!constants && !data && !lookups) throw ModelError("unsupported Vensim function '" + f + "'");
    const std::string &file = string_arg(call, 0);
    const std::string &tab = string_arg(call, 1);
    const Workbook &book = workbook(file);
    std::vector<DataValue> out;
    if (constants) {
        Area a = area_of(book.defined_names, string_arg(call, 2));
        const Sheet &s = sheet(file, a.sheet.empty() ? tab : a.sheet);
        // The last range of the left-hand side runs along a row (down a column when transposed);
        // earlier ones move to the next row.
        size_t last = 1;
        for (size_t k = lhs_subscripts.size(); k-- > 0;)
            if (const Range *r = symbols.range(canonical_name(lhs_subscripts[k]))) {
                last = r->elements.size();
                break;
            }
        for (size_t i = 0; i < instances.size(); ++i) {
            size_t along = i % last, across = i / last;
            size_t row = a.transposed ? a.row + along : a.row + across;
            size_t col = a.transposed ? a.col + across : a.col + along;
            const std::string *cell = s.cell(row, col);
            if (!cell) throw ModelError("data file '" + file + "': cell " + where(row, col) + " is empty");
            // Text where a number belongs is missing: Vensim's :NA:.
            out.push_back(DataValue{is_number(*cell) ? to_number(*cell, where(row, col)) : vensim_na, std::nullopt});
        }
        return out;
    }
    // DATA and LOOKUPS: the x (time) values along a row or down a column, one series per element.
    const std::string &axis = string_arg(call, 2);
    const std::string &first = string_arg(call, 3);
    Area fa = area_of(book.defined_names, first);
    const Sheet &s = sheet(file, fa.sheet.empty() ? tab : fa.sheet);
    bool by_row = true;
    size_t axis_row = 0, axis_col = 0;
    Area xa;
    bool named_axis = false;
    if (!axis.empty() && std::isdigit(static_cast<unsigned char>(axis[0]))) {
        axis_row = static_cast<size_t>(std::strtoul(axis.c_str(), nullptr, 10));
        if (axis_row == 0) throw ModelError("row 0 in " + f);
        --axis_row;
    } else if (axis.size() <= 3 && std::all_of(axis.begin(), axis.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })) {
        by_row = false;
        size_t r = 0;
        cell_address(axis + "1", r, axis_col);
    } else {
        xa = area_of(book.defined_names, axis);
        named_axis = true;
        by_row = xa.rows == 1 && xa.cols > 1;
        axis_row = xa.row;
        axis_col = xa.col;
    }
    for (size_t i = 0; i < instances.size(); ++i) {
        GraphicalFunction gf;
        for (size_t k = 0; k < 1'000'000; ++k) {
            size_t xr = by_row ? axis_row : fa.row + k, xc = by_row ? fa.col + k : axis_col;
            size_t vr = by_row ? fa.row + i : fa.row + k, vc = by_row ? fa.col + k : fa.col + i;
            if (named_axis && k >= (by_row ? xa.cols : xa.rows)) break;
            const std::string *x = s.cell(xr, xc);
            if (!x) break;
            const std::string *y = s.cell(vr, vc);
            if (!y) continue; // a gap in the series
            if (!is_number(*y)) continue; // text: missing, a gap as well
            gf.xs.push_back(to_number(*x, where(xr, xc)));
            gf.ys.push_back(to_number(*y, where(vr, vc)));
        }
        if (gf.xs.empty()) throw ModelError("data file '" + file + "': no values at " + first);
        for (size_t k = 1; k < gf.xs.size(); ++k)
            if (gf.xs[k] < gf.xs[k - 1]) throw ModelError("data file '" + file + "': the x values at " + axis + " decrease");
        if (data) gf = with_data_mode(std::move(gf), mode);
        out.push_back(DataValue{0, std::move(gf)});
    }
    return out;
}

std::vector<std::string> DataFiles::subscript(const VExpr &call) {
    if (call.name != "get direct subscript" && call.name != "get xls subscript")
        throw ModelError("unsupported subscript definition '" + call.name + "'");
    const std::string &file = string_arg(call, 0);
    const std::string &tab = string_arg(call, 1);
    const Workbook &book = workbook(file);
    Area a = area_of(book.defined_names, string_arg(call, 2));
    const Sheet &s = sheet(file, a.sheet.empty() ? tab : a.sheet);
    size_t r2 = a.row, c2 = a.col;
    const std::string &last = string_arg(call, 3);
    if (!last.empty() && !cell_address(last, r2, c2)) throw ModelError("'" + last + "' is not a cell");
    std::string prefix = call.args.size() > 4 && call.args[4]->kind == VKind::string ? call.args[4]->name : "";
    std::vector<std::string> out;
    for (size_t r = a.row; r <= r2; ++r)
        for (size_t c = a.col; c <= c2; ++c)
            if (const std::string *cell = s.cell(r, c)) out.push_back(prefix + *cell);
    if (out.empty()) throw ModelError("data file '" + file + "': no subscript names in the cells given");
    return out;
}

} // namespace holon_sd::mdl
