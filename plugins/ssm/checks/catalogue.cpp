#include "checks/checks.hpp"

#include <stdexcept>

namespace holon_ssm::checks {
namespace {

constexpr const char *kce_rd = "KCE process book 5.1.2.2, PQR and CATWOE (processbook.kce.be/book/export/html/271)";
constexpr const char *kce_models = "KCE process book, Build activity models (processbook.kce.fgov.be/node/532)";

const std::vector<CheckInfo> checks_list = {
    {"SSM-RD-001", Severity::error, "T, W or O missing from the root definition", kce_rd},
    {"SSM-RD-002", Severity::error, "T does not turn an input into the same entity in a changed state, of the same nature",
     "Checkland 1993 p. 317 (input -> output); same-nature rule as taught (creatingtheatre.net, secondary)"},
    {"SSM-RD-003", Severity::warning, "PQR incomplete (do P, by Q, in order to help achieve R)", kce_rd},
    {"SSM-RD-004", Severity::error, "more than one worldview in one model",
     "Checkland & Poulter (2006/2010): each model encapsulates a single worldview (abstract, ch. 5 in Reynolds & Holwell)"},
    {"SSM-RD-005", Severity::warning, "C, A or E missing from the root definition", kce_rd},
    {"SSM-RD-006", Severity::warning, "P does not name what T transforms",
     "OR Society teaching notes: reconsider the root definition and CATWOE in the light of each other"},
    {"SSM-PAM-001", Severity::warning, "operational activities outside 7 +/- 2",
     "Checkland's models use about seven plus or minus two activities (secondary: Wikipedia, SSM conceptual models)"},
    {"SSM-PAM-002", Severity::error, "no monitoring and control", kce_models},
    {"SSM-PAM-003", Severity::warning, "an E of the 3Es missing, or a measure without an indicator", kce_models},
    {"SSM-PAM-004", Severity::warning, "a root-definition element reflected in no activity",
     "Checkland 1993 p. 317: every element in the definition must be reflected in the model"},
    {"SSM-PAM-005", Severity::error, "a cycle in the operational dependencies",
     "logical dependency is a precedence (Checkland's models; Wilson 2001)"},
    {"SSM-PAM-006", Severity::warning, "operational activity not reachable from the activity that takes in T's input",
     "Holon design: every activity reachable from the input"},
    {"SSM-PAM-007", Severity::warning, "operational activity that no monitor watches", kce_models},
    {"SSM-PAM-008", Severity::info, "activity linked to no element of the root definition", kce_models},
    {"SSM-CMP-001", Severity::warning, "activity without a comparison row",
     "Checkland & Scholes (1990) seven-stage model: compare models with the real world"},
    {"SSM-CMP-002", Severity::warning, "comparison row that does not say whether the activity exists",
     "Checkland & Scholes (1990): comparison table (exists? how? judged how?)"},
    {"SSM-CMP-003", Severity::info, "no comparison yet", "Checkland & Scholes (1990): compare models with the real world"},
    {"SSM-CHG-001", Severity::error, "change traced to no comparison row",
     "Checkland & Scholes (1990): changes come from the comparison"},
    {"SSM-CHG-002", Severity::warning, "change agreed without being judged both desirable and feasible",
     "Checkland & Scholes (1990): changes systemically desirable and culturally feasible"},
    {"SSM-CHG-003", Severity::info, "change not yet judged desirable and feasible",
     "Checkland & Scholes (1990): changes systemically desirable and culturally feasible"},
    {"SSM-JOIN-001", Severity::warning, "CATWOE party that is not an actor of the model", "Holon join J6: CATWOE <-> actors"},
    {"SSM-JOIN-002", Severity::warning, "owner whose power rating says they cannot stop the system",
     "KCE 5.1.2.2: O could change or stop the system; power from the actors' ratings"},
    {"SSM-JOIN-003", Severity::warning, "environmental constraint bound to a variable that is not exogenous",
     "Checkland 1993: E is taken as given; Holon join J6: E <-> exogenous variables"},
    {"SSM-JOIN-004", Severity::info, "environmental constraint bound to no variable", "Holon join J6: E <-> exogenous variables"},
    {"SSM-JOIN-005", Severity::warning, "no causal path from T's input variable to its output variable",
     "Holon design: T <-> a CLD/SD sub-model"},
    {"SSM-JOIN-006", Severity::error, "worldview record that is not a worldview",
     "CSH category 12 is the worldview (Ulrich); boundary records of framework ssm-worldview"},
    {"SSM-JOIN-007", Severity::info, "no CSH worldview answer (category 12) from the worldview's perspective",
     "Holon join J6: W <-> CSH Q12"},
};

} // namespace

const char *severity_name(Severity s) {
    switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::info: return "info";
    }
    return "info";
}

const std::vector<CheckInfo> &catalogue() { return checks_list; }

const CheckInfo &info(const std::string &code) {
    for (const CheckInfo &c : checks_list)
        if (code == c.code) return c;
    throw std::logic_error("unknown SSM check " + code);
}

} // namespace holon_ssm::checks
