// A CIB cross-impact matrix over the variants of all descriptors, with exact integer cells.
// Row (i,a) impacts column (j,b). The diagonal blocks (i == j) are zero in the textbook form; a
// non-zero cell there is a self-impact (a descriptor's variant on its own variants, as standardising
// a matrix leaves them), which ScenarioWizard counts in the impact balances and so does Holon.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace holon_scenarios::cib {

// A scenario: one variant index per descriptor.
using Scenario = std::vector<int>;

class Matrix {
public:
    Matrix() = default;
    explicit Matrix(std::vector<int> variant_counts);

    int descriptor_count() const { return static_cast<int>(counts_.size()); }
    int variant_count(int descriptor) const { return counts_[static_cast<size_t>(descriptor)]; }
    const std::vector<int> &variant_counts() const { return counts_; }
    int offset(int descriptor) const { return offsets_[static_cast<size_t>(descriptor)]; }
    int size() const { return size_; }
    int max_variants() const { return max_variants_; }

    int32_t get(int from_descriptor, int from_variant, int to_descriptor, int to_variant) const {
        return at(offset(from_descriptor) + from_variant, offset(to_descriptor) + to_variant);
    }
    // A cell inside a diagonal block (from_descriptor == to_descriptor) is a self-impact.
    void set(int from_descriptor, int from_variant, int to_descriptor, int to_variant, int32_t value);
    int32_t at(int row, int column) const { return cells_[static_cast<size_t>(row * size_ + column)]; }
    const int32_t *row(int row) const { return cells_.data() + static_cast<size_t>(row * size_); }

    // The number of scenarios, saturating at UINT64_MAX.
    uint64_t scenario_count() const;
    // The non-zero cells of the diagonal blocks (self-impacts).
    int self_impact_cells() const;
    // The same matrix with every diagonal-block cell 0 (the textbook form).
    Matrix without_self_impacts() const;
    // True when every judgement section row sums to zero (Weimer-Jehle's standardised form).
    bool standardised() const;

    bool operator==(const Matrix &o) const { return counts_ == o.counts_ && cells_ == o.cells_; }

private:
    std::vector<int> counts_, offsets_;
    int size_ = 0, max_variants_ = 0;
    std::vector<int32_t> cells_;
};

// The element-wise sum of matrices of the same shape (the ensemble's sum matrix).
Matrix sum(const std::vector<Matrix> &matrices);

// Mixed-radix index of a scenario (descriptor 0 is the most significant digit) and back.
uint64_t scenario_index(const std::vector<int> &counts, const Scenario &s);
Scenario scenario_at(const std::vector<int> &counts, uint64_t index);

} // namespace holon_scenarios::cib
