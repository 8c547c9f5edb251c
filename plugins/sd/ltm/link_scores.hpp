// Loops That Matter, the SD side: link scores over a simulation (Schoenberg, Davidsen & Eberlein
// 2020; the flow-to-stock form of Schoenberg, Hayward & Eberlein 2023).
//
// The ceteris-paribus change of z caused by x alone, f(x(t), others(t - dt)), is computed by the
// ordinary compiler and engine: for every link x -> z into an auxiliary or flow the model gets one
// synthetic variable whose equation is z's with every other variable y read as PREVIOUS(y). The
// augmented model runs once with Euler, saving every dt. Smoothing and material delays (SMTH1/3/N,
// DELAY1/3/N) and INIT are first rewritten into explicit stocks and flows (expand_builtins.hpp), so
// their hidden stages appear in the scored links.
//
// Time convention: the score labelled T describes the change from T to T + dt (the values at T
// and T + dt), the convention under which the published Bass diffusion table is reproduced. The
// model runs one dt past stop so that the series covers start..stop. Flow -> stock scores labelled
// T use the flows at T - dt and T (2023 form; 0 at the first step, which has no earlier flow) or at
// T (2020 form).
#pragma once

#include "ir/model.hpp"
#include "vm/simulator.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace holon_sd::ltm {

// A model or a request that cannot be scored honestly (arrays, PREVIOUS, TREND, FORCST, pipeline
// DELAY or random functions inside a scored equation, a non-Euler method).
class Unsupported : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class FlowStockForm {
    corrected_2023, // |Δflow / Δnet flow|, sign -1 for outflows
    original_2020,  // |flow / net flow|, sign -1 for outflows
};

struct ScoredLink {
    std::string from; // the model's own variable names
    std::string to;
    char polarity = '?';        // from the equation structure: '+', '-' or '?'
    bool flow_to_stock = false; // a flow feeding (or draining) a stock
    std::vector<double> scores; // one per entry of LinkScores::times
};

struct LinkScores {
    double dt = 0;
    std::vector<double> times; // start, start + dt, ..., stop
    std::vector<ScoredLink> links;
};

// The score of one link for one step (the 2020 definition for links into auxiliaries and flows):
//   |Δ_x z / Δz| · sign(Δ_x z / Δx), and 0 when Δz = 0 or Δx = 0.
double link_score(double partial_change, double total_change, double source_change);

// Scores every link of the model's dependency graph. `settings` may set start, stop and dt;
// saving is every dt and the method is Euler (a different method in `settings` or in the model's
// sim specs is refused unless `settings.method` says euler). Throws ModelError for a model that
// does not compile and Unsupported for what cannot be scored.
LinkScores link_scores(const Model &original, RunSettings settings, FlowStockForm form = FlowStockForm::corrected_2023);

} // namespace holon_sd::ltm
