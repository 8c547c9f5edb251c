// The left-hand sides of .mdl equations: how an equation assigns (=, :=, ==, a lookup's
// parenthesis), the variable with its subscripts, :EXCEPT: lists and data keywords, and subscript
// range definitions (NAME: elements, NAME <-> OTHER, numeric ranges (a1-a5)).
#pragma once

#include "ir/names.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace holon_sd::mdl {

std::string upper(std::string s);

enum class Assign { equals, data, unchangeable, lookup, none };

struct Lhs {
    std::string name;
    bool quoted = false;
    std::vector<std::string> subscripts;
    std::vector<std::vector<std::string>> excepts;
    std::string data_mode; // INTERPOLATE, RAW, HOLD BACKWARD, LOOK FORWARD
    Assign assign = Assign::none;
};

// Splits at the end of the left-hand side: the text before '=', ':=', '==' or a lookup's '('
// outside quotes and brackets.
Assign split_equation(const std::string &text, std::string &lhs, std::string &rhs);

// Throws ModelError on a malformed left-hand side.
Lhs parse_lhs(const std::string &text);

// A subscript range definition: "NAME: elements" or "NAME <-> OTHER".
bool is_range_definition(const std::string &text, std::string &name, std::string &body, bool &equivalence);

// "(a1-a5)" -> a1, a2, ..., a5. Throws ModelError when the ends do not match.
std::vector<std::string> numeric_range(const std::string &from, const std::string &to);

} // namespace holon_sd::mdl
