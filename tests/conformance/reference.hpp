// The SD conformance rule (see sd-test-models/README.md): reading a canonical output.csv /
// output.tab and comparing an engine's series with it. Independent of any engine.
#pragma once

#include <string>
#include <vector>

namespace holon::conformance {

struct Series {
    std::vector<std::string> names; // columns without time
    std::vector<double> times;
    std::vector<std::vector<double>> columns; // columns[c][row]
};

// Reads output.csv (comma) or output.tab (tab): mixed line endings, quoted names, Vensim's
// constants written only in the first row (forward-filled), other blanks as NaN.
// Throws std::runtime_error when the file is missing or malformed.
Series read_reference(const std::string &path);

// Name matching of the rule: case-insensitive, quotes stripped, runs of spaces/underscores as
// one space, no spaces around [ , ].
std::string normalize_column(const std::string &name);

struct Comparison {
    bool passed = false;
    size_t columns_compared = 0;
    std::vector<std::string> problems; // the first few, for a person
};

// Every reference column except time and the control columns must be in `simulated` and match
// at every reference time: |ref - sim| <= 1e-5 + 1e-5 * |sim|, NaN matching NaN.
Comparison compare(const Series &reference, const Series &simulated);

} // namespace holon::conformance
