#include "test_matrices.hpp"

#include <sstream>

namespace holon_scenarios::test {
namespace {

cib::Matrix from_rows(const std::vector<int> &counts, const std::vector<std::vector<int>> &rows) {
    cib::Matrix m(counts);
    for (int i = 0; i < m.descriptor_count(); ++i)
        for (int a = 0; a < m.variant_count(i); ++a)
            for (int j = 0; j < m.descriptor_count(); ++j)
                for (int b = 0; b < m.variant_count(j); ++b)
                    if (i != j)
                        m.set(i, a, j, b, rows[static_cast<size_t>(m.offset(i) + a)][static_cast<size_t>(m.offset(j) + b)]);
    return m;
}

} // namespace

cib::Matrix somewhereland() {
    return from_rows({3, 3, 3, 2, 3, 3}, {
        {0, 0, 0, -2, 1, 1, 0, 0, 0, 0, 0, -2, 1, 1, 0, 0, 0},
        {0, 0, 0, 2, 1, -3, -2, -1, 3, -2, 2, 0, 0, 0, 2, -1, -1},
        {0, 0, 0, 0, 0, 0, 0, 2, -2, 3, -3, 2, -1, -1, -2, 2, 0},
        {0, 0, 0, 0, 0, 0, -2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0},
        {0, 0, 0, 0, 0, 0, 0, 1, -1, 0, 0, 1, 0, -1, 0, 0, 0},
        {3, -1, -2, 0, 0, 0, 3, 0, -3, 0, 0, 3, -1, -2, -2, 1, 1},
        {2, 1, -3, 0, 0, 0, 0, 0, 0, -2, 2, -3, 1, 2, 0, 0, 0},
        {-1, 2, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        {0, 0, 0, 0, 0, 0, 0, 0, 0, -2, 2, 3, -1, -2, 0, 0, 0},
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, -1, -2, -2, 1, 1},
        {0, -3, 3, 0, 0, 0, 0, 0, 0, 0, 0, -3, 1, 2, 2, -1, -1},
        {0, 0, 0, 0, 0, 0, -2, -1, 3, 0, 0, 0, 0, 0, 2, -1, -1},
        {0, 0, 0, -1, 0, 1, 1, 1, -2, 0, 0, 0, 0, 0, -1, 0, 1},
        {2, -1, -1, -3, 1, 2, 3, 0, -3, 0, 0, 0, 0, 0, -2, -1, 3},
        {0, 3, -3, 0, 0, 0, -3, 0, 3, -3, 3, -2, 1, 1, 0, 0, 0},
        {1, -2, 1, 0, 0, 0, -1, 2, -1, 2, -2, 2, -1, -1, 0, 0, 0},
        {0, 0, 0, 0, 0, 0, -1, 2, -1, 1, -1, 2, -1, -1, 0, 0, 0},
    });
}

cib::Matrix cib_global() {
    return from_rows({3, 3, 4}, {
        {0, 0, 0, 1, 2, -3, -4, -2, 3, 3},
        {0, 0, 0, -2, 1, 1, 3, 5, -3, -5},
        {0, 0, 0, 2, 1, -3, -2, 0, 4, -2},
        {1, -3, 2, 0, 0, 0, -1, -1, 1, 1},
        {1, -2, 1, 0, 0, 0, 0, 1, 0, -1},
        {-2, 3, -1, 0, 0, 0, 1, 2, -1, -2},
        {-3, 5, -2, -3, 1, 2, 0, 0, 0, 0},
        {-2, 3, -1, -2, 1, 1, 0, 0, 0, 0},
        {2, -4, 2, 1, 0, -1, 0, 0, 0, 0},
        {3, -6, 3, -1, 1, 0, 0, 0, 0, 0},
    });
}

cib::Scenario parse_somewhereland(const std::string &text) {
    std::istringstream in(text);
    std::string token;
    cib::Scenario s;
    while (in >> token) s.push_back(std::stoi(token.substr(1)) - 1);
    return s;
}

std::string somewhereland_label(const cib::Scenario &s) {
    std::string out;
    for (size_t d = 0; d < s.size(); ++d) {
        if (d) out += ' ';
        out += static_cast<char>('A' + d);
        out += std::to_string(s[d] + 1);
    }
    return out;
}

std::string cib_global_label(const cib::Scenario &s) {
    static const std::vector<std::vector<std::string>> names{
        {"FT", "Ntl", "Mix"}, {"Rlx", "Mod", "Alrt"}, {"Decl", "Stag", "ModGr", "RpdGr"}};
    std::string out;
    for (size_t d = 0; d < s.size(); ++d) {
        if (d) out += '/';
        out += names[d][static_cast<size_t>(s[d])];
    }
    return out;
}

} // namespace holon_scenarios::test
