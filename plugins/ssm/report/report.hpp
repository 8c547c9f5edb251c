// ssm.report: the inquiry as one self-contained document (HTML and Markdown): per activity model
// the root definition in Checkland's full sentence form built from its CATWOE, the CATWOE table,
// the PQR line, the activity model picture, the check results, the comparison table and the changes.
#pragma once

#include "checks/checks.hpp"
#include "compare/compare.hpp"
#include "model/inquiry.hpp"

#include <map>
#include <string>
#include <vector>

namespace holon_ssm::report {

// Checkland (1993, p. 317) general form: "A (O)-owned system which, under the following
// environmental constraints which it takes as given: (E), transforms this input (...) into this
// output (...) by means of the following major activities among others: (...), ..." Elements the
// model does not state read "(not stated)".
std::string full_sentence(const model::ActivityModel &m);

// The PQR line in the OR Society teaching form: "A system to P, by Q, in order to R."
std::string pqr_line(const model::ActivityModel &m);

struct Inputs {
    std::string title;
    const model::Inquiry *inquiry = nullptr;
    std::vector<const model::ActivityModel *> models;
    const checks::Report *checks = nullptr;
    const std::vector<compare::Comparison> *comparisons = nullptr;
    std::map<std::string, std::string> svg;      // model id -> picture (inlined in HTML)
    std::map<std::string, std::string> png_name; // model id -> PNG file beside the Markdown
};

std::string markdown(const Inputs &in);
std::string html(const Inputs &in);

} // namespace holon_ssm::report
