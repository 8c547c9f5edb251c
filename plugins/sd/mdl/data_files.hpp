// External data of Vensim's GET XLS/DIRECT DATA, CONSTANTS, LOOKUPS and SUBSCRIPT functions,
// read at import time from files next to the model: .csv and .tab (and .txt) directly, .xlsx
// through Poco's Zip and XML readers, .xls through libfreexl.
#pragma once

#include "ir/model.hpp"
#include "mdl/symbols.hpp"
#include "mdl/vensim_ast.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace holon_sd::mdl {

// A constant, or a series (data: input TIME; lookups: input x) as a graphical function.
struct DataValue {
    double value = 0;
    std::optional<GraphicalFunction> gf;
};

// One worksheet: cells as text, row-major; and its workbook's named ranges.
struct Sheet {
    std::vector<std::vector<std::string>> cells;
    const std::string *cell(size_t row, size_t col) const {
        return row < cells.size() && col < cells[row].size() && !cells[row][col].empty() ? &cells[row][col] : nullptr;
    }
};

class DataFiles {
public:
    explicit DataFiles(std::string dir) : dir_(std::move(dir)) {}

    // A scalar GET ... call. `mode` is the data variable's keyword (INTERPOLATE, HOLD BACKWARD,
    // LOOK FORWARD, RAW) or empty.
    DataValue evaluate(const VExpr &call, const std::string &mode);
    // An arrayed GET ... call: one value per instance (in the order of the left-hand side).
    std::vector<DataValue> evaluate_array(const VExpr &call, const std::vector<std::vector<std::string>> &instances,
                                          const std::vector<std::string> &lhs_subscripts, const Symbols &symbols,
                                          const std::string &mode = {});
    // A data variable without an equation: the series in the first of `files` (.tab/.csv, time in
    // the first column, one header row) with a column "name" or "name[e1,e2]"; nullopt if none has.
    std::optional<GraphicalFunction> series(const std::vector<std::string> &files, const std::string &name,
                                            const std::vector<std::string> &elements, const std::string &mode);
    // GET DIRECT SUBSCRIPT: element names.
    std::vector<std::string> subscript(const VExpr &call);

private:
    struct Workbook {
        std::map<std::string, Sheet> sheets;               // by lower-case name
        std::map<std::string, std::string> defined_names;  // lower-case name -> "Sheet!$A$1:$B$2"
    };
    const Workbook &workbook(const std::string &file);
    const Sheet &sheet(const std::string &file, const std::string &tab);

    std::string dir_;
    std::map<std::string, Workbook> books_;
};

// Vensim's "look forward" reading of a series: each point's own value at its time, the next
// point's value just after it (a discrete function with a step right after every point).
GraphicalFunction look_forward(const GraphicalFunction &gf);

} // namespace holon_sd::mdl
