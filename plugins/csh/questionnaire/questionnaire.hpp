// csh.questionnaire: the workshop sheet for one perspective, the 24 questions pre-filled with the
// model's current answers and the entities they bind, as Markdown, HTML and CSV.
#pragma once

#include "core/model.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <string>

namespace holon_csh {

// The deployment's own question text for some categories ([category-1][mode]); empty = Holon's.
using QuestionText = std::array<std::array<std::string, 2>, category_count>;

struct Sheet {
    nlohmann::json result; // {perspective, questions_from, citation, rows[24]}
    std::string markdown, html, csv;
};

// `perspective`: an actor id, a perspective key ("name:..."), or a perspective's display name;
// one the model has no answers from gives a blank sheet under that name.
Sheet questionnaire(const Model &m, const std::string &perspective, const QuestionText &text, const std::string &title);

std::string csv_field(const std::string &text);

} // namespace holon_csh
