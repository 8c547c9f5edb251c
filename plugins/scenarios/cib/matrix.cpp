#include "cib/matrix.hpp"

#include <limits>
#include <stdexcept>

namespace holon_scenarios::cib {

Matrix::Matrix(std::vector<int> variant_counts) : counts_(std::move(variant_counts)) {
    offsets_.reserve(counts_.size());
    for (int c : counts_) {
        if (c < 1) throw std::invalid_argument("every descriptor needs at least one variant");
        offsets_.push_back(size_);
        size_ += c;
        if (c > max_variants_) max_variants_ = c;
    }
    cells_.assign(static_cast<size_t>(size_) * static_cast<size_t>(size_), 0);
}

void Matrix::set(int from_descriptor, int from_variant, int to_descriptor, int to_variant, int32_t value) {
    if (from_variant < 0 || from_variant >= variant_count(from_descriptor) || to_variant < 0 ||
        to_variant >= variant_count(to_descriptor))
        throw std::invalid_argument("variant index out of range");
    cells_[static_cast<size_t>((offset(from_descriptor) + from_variant) * size_ + offset(to_descriptor) + to_variant)] =
        value;
}

uint64_t Matrix::scenario_count() const {
    uint64_t n = 1;
    for (int c : counts_) {
        if (n > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(c)) return std::numeric_limits<uint64_t>::max();
        n *= static_cast<uint64_t>(c);
    }
    return n;
}

int Matrix::self_impact_cells() const {
    int n = 0;
    for (int d = 0; d < descriptor_count(); ++d)
        for (int a = 0; a < variant_count(d); ++a)
            for (int b = 0; b < variant_count(d); ++b) n += get(d, a, d, b) != 0 ? 1 : 0;
    return n;
}

Matrix Matrix::without_self_impacts() const {
    Matrix out = *this;
    for (int d = 0; d < descriptor_count(); ++d)
        for (int a = 0; a < variant_count(d); ++a)
            for (int b = 0; b < variant_count(d); ++b) out.set(d, a, d, b, 0);
    return out;
}

bool Matrix::standardised() const {
    for (int r = 0; r < size_; ++r)
        for (int j = 0; j < descriptor_count(); ++j) {
            int64_t s = 0;
            for (int b = 0; b < variant_count(j); ++b) s += at(r, offset(j) + b);
            if (s != 0) return false;
        }
    return true;
}

Matrix sum(const std::vector<Matrix> &matrices) {
    if (matrices.empty()) throw std::invalid_argument("no matrices to sum");
    Matrix total(matrices.front().variant_counts());
    for (const Matrix &m : matrices) {
        if (m.variant_counts() != total.variant_counts()) throw std::invalid_argument("ensemble matrices differ in shape");
        for (int i = 0; i < m.descriptor_count(); ++i)
            for (int a = 0; a < m.variant_count(i); ++a)
                for (int j = 0; j < m.descriptor_count(); ++j)
                    for (int b = 0; b < m.variant_count(j); ++b)
                        total.set(i, a, j, b, total.get(i, a, j, b) + m.get(i, a, j, b));
    }
    return total;
}

uint64_t scenario_index(const std::vector<int> &counts, const Scenario &s) {
    uint64_t index = 0;
    for (size_t d = 0; d < counts.size(); ++d) index = index * static_cast<uint64_t>(counts[d]) + static_cast<uint64_t>(s[d]);
    return index;
}

Scenario scenario_at(const std::vector<int> &counts, uint64_t index) {
    Scenario s(counts.size());
    for (size_t d = counts.size(); d-- > 0;) {
        s[d] = static_cast<int>(index % static_cast<uint64_t>(counts[d]));
        index /= static_cast<uint64_t>(counts[d]);
    }
    return s;
}

} // namespace holon_scenarios::cib
