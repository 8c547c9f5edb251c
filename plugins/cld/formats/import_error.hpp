// Why a foreign document could not be imported, and where (1-based line and column; 0 when the
// problem has no single place).
#pragma once

#include "graph/causal_graph.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace holon_cld {

class ImportError : public std::runtime_error {
public:
    ImportError(const std::string &message, std::uint64_t line = 0, std::uint64_t column = 0)
        : std::runtime_error(located(message, line, column)), line_(line), column_(column) {}
    std::uint64_t line() const { return line_; }
    std::uint64_t column() const { return column_; }

private:
    // "line L, column C: message", or the message alone when there is no place.
    static std::string located(const std::string &message, std::uint64_t line, std::uint64_t column);

    std::uint64_t line_;
    std::uint64_t column_;
};

struct Imported {
    CausalGraph graph;
    std::vector<std::string> warnings; // things kept in a changed form, for the run log
};

// prefix followed by the number, e.g. "e12". (A function: GCC 12 warns falsely on "e" + to_string.)
std::string numbered_id(const char *prefix, std::size_t number);

// Turns a free-text label into an id: lower case ASCII letters, digits and '-', never empty.
std::string id_from_label(const std::string &label);

} // namespace holon_cld
