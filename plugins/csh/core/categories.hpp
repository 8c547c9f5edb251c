// Ulrich's twelve boundary categories: ids, names and Holon's own paraphrase of each question.
// The question wording here is Holon's (the verbatim checklist text of Ulrich & Reynolds 2020 is
// CC BY-NC-ND and is not shipped); a deployment may load its own text into csh.questionnaire.
#pragma once

#include <array>
#include <string>

namespace holon_csh {

enum class Mode { is = 0, ought = 1 };

inline const char *mode_name(Mode m) { return m == Mode::is ? "is" : "ought"; }

struct Category {
    int id;
    const char *name;    // the concern, e.g. "Beneficiary"
    const char *source;  // "motivation", "control", "knowledge", "legitimacy"
    const char *is_question;
    const char *ought_question;
};

inline constexpr int category_count = 12;

// Categories 1..12 at positions 0..11.
const std::array<Category, category_count> &categories();
const Category &category(int id);

// The citation printed wherever the paraphrases appear.
inline constexpr const char *categories_citation =
    "Categories after W. Ulrich, Critical Heuristics of Social Planning (1983) and W. Ulrich & M. Reynolds, "
    "\"Critical Systems Heuristics: The Idea and Practice of Boundary Critique\", in M. Reynolds & S. Holwell "
    "(eds), Systems Approaches to Making Change (2nd ed., Springer, 2020), ch. 6. Question wording: Holon's "
    "own paraphrase.";

} // namespace holon_csh
