// ScenarioWizard files: the .scw project (descriptors, variants, cross-impact matrix) and the
// .sl solution list. The layout is the one ScenarioWizard 4 writes: sections separated by '#'
// lines - descriptors ("&name", " -variant"), descriptor and variant descriptions, variant
// colours, the matrix as comma-separated integer rows, then cell explanations.
#pragma once

#include "cib/matrix.hpp"

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace holon_scenarios::formats {

struct ScwVariant {
    std::string name, description;
};
struct ScwDescriptor {
    std::string name, description;
    std::vector<ScwVariant> variants;
};
// A non-zero cell of a diagonal block: descriptor's variant `from` impacting its own variant `to`.
// ScenarioWizard reads such cells (they come out of standardising a matrix) and counts them in the
// impact balances; they are in `matrix` like every other cell and listed here with their line, so
// an importer can say where they are.
struct ScwSelfImpact {
    int descriptor = 0, from = 0, to = 0;
    int32_t value = 0;
    int line = 0;
};
struct ScwProject {
    std::string title;
    std::vector<ScwDescriptor> descriptors;
    cib::Matrix matrix;
    std::vector<ScwSelfImpact> self_impacts;
};

class FormatError : public std::runtime_error {
public:
    FormatError(const std::string &message, int line) : std::runtime_error(message + " (line " + std::to_string(line) + ")"), line_(line) {}
    int line() const { return line_; }

private:
    int line_;
};

ScwProject read_scw(std::string_view text);
std::string write_scw(const ScwProject &project);

struct SolutionRow {
    cib::Scenario scenario;       // 0-based variant indices
    std::vector<int64_t> numbers; // the numeric columns after the scenario, as in the file
    std::string note;             // the closing quoted text
};
struct SolutionList {
    std::string header;
    std::vector<SolutionRow> rows;
};
// Column 5 of a row (numbers[3]) is the total impact score.
SolutionList read_sl(std::string_view text);

} // namespace holon_scenarios::formats
