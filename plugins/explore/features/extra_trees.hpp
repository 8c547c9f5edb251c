// Feature scoring with extremely randomised trees (Geurts, Ernst & Wehenkel 2006), as the EMA
// Workbench's get_ex_feature_scores uses them (scikit-learn's ExtraTrees: no bootstrap, every
// tree grown on all rows until its leaves are pure or hold one row): at each node `max_features`
// inputs are drawn at random, each gets one threshold drawn uniformly between its smallest and
// largest value in the node, and the split that most reduces the impurity wins. An input's score
// is the impurity decrease of its splits (weighted by the rows they split), normalised to sum to
// 1 per tree and averaged over the trees. The impurity is the variance of the outcome; for a 0/1
// outcome (scenario discovery's cases of interest) the Gini index 2p(1-p) is twice the variance
// p(1-p), so the splits and the normalised scores are the same as with Gini.
#pragma once

#include <cstdint>
#include <vector>

namespace holon_explore::features {

struct ExtraTreesOptions {
    int trees = 100;
    int max_features = 0; // 0: a third of the inputs (at least 1), as EMA's default
    uint64_t seed = 1;
};

// One score per input column of x (x[column][row]); they sum to 1 unless y is constant (then
// every score is 0). Throws std::invalid_argument on no rows or columns of different lengths.
std::vector<double> extra_trees_scores(const std::vector<std::vector<double>> &x, const std::vector<double> &y,
                                       const ExtraTreesOptions &options);

} // namespace holon_explore::features
