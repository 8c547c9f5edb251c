// A compile error of the SD core told the way the user wrote the model: the name they typed (not
// its canonical form), where it is (line/column of the source, or the JSON path of the shared
// model) and the names they could have meant (the host turns those into "did you mean").
#pragma once

#include "ir/error.hpp"
#include "ir/model.hpp"

#include <holon/plugin.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace holon_sd {

struct CompileProblem {
    std::string message;                 // the core's message, with the user's spelling
    std::string variable;                // the variable whose definition is wrong, as written
    std::string unknown;                 // the name it uses that does not exist, as written; "" if none
    bool unknown_is_flow = false;        // the unknown name is a stock's inflow/outflow
    std::vector<std::string> candidates; // the names it could have meant
};

CompileProblem describe(const ModelError &e, const Model &model);

// A reader's own refusal (the model did not even read): the unknown name it quotes and
// `candidates` as the names it could have meant.
CompileProblem describe_read_error(const ModelError &e, std::vector<std::string> candidates);

// The names a Vensim source defines (the left-hand sides of its records).
std::vector<std::string> mdl_defined_names(std::string_view source);

// `name` (canonical or not) as `text` writes it, e.g. "Contact_Infectivity" for
// "contact infectivity"; "" when the text does not contain it as a whole name.
std::string spelled_in(std::string_view text, std::string_view name);

// 1-based line and column of a byte offset.
struct Position {
    int line = 0, column = 0;
};
Position position_at(std::string_view text, size_t offset);

// Where the problem is in an XMILE / Vensim source: at the unknown name inside the variable's
// definition when it is found there, else at the definition; {0,0} when not found.
Position locate_in_xmile(std::string_view source, const CompileProblem &p);
Position locate_in_mdl(std::string_view source, const CompileProblem &p);

// The JSON pointer of the problem in a holon-model/1 document: the variable's equation, or the
// sd.inflows/outflows entry naming an unknown flow; "" when the variable is not found.
std::string locate_in_model_json(std::string_view model_json, const CompileProblem &p);

// HOLON_ERR_INVALID_MODEL with {variable, unknown, candidates, line/column or path} as details.
holon::Error to_holon_error(const CompileProblem &p, Position where, const std::string &path = {});

} // namespace holon_sd
