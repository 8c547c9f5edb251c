// Sensitivity designs: Sobol sequence, Saltelli layout and size, Morris trajectories, factorial.
#include "batch/designs.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace holon::batch {
namespace {

TEST(SobolSequence, UnscrambledStartsLikeTheJoeKuoSequence) {
    // The first points of the 2-D sequence in Gray-code order (Joe & Kuo 2008).
    const auto p = sobol_sequence(2, 8, false, 0);
    const double expect[8][2] = {{0, 0},         {0.5, 0.5},     {0.75, 0.25},   {0.25, 0.75},
                                 {0.375, 0.375}, {0.875, 0.875}, {0.625, 0.125}, {0.125, 0.625}};
    for (int i = 0; i < 8; ++i) {
        EXPECT_EQ(p[i][0], expect[i][0]) << i;
        EXPECT_EQ(p[i][1], expect[i][1]) << i;
    }
}

TEST(SobolSequence, SkipContinuesTheSameSequence) {
    const auto all = sobol_sequence(5, 40, true, 3);
    const auto tail = sobol_sequence(5, 10, true, 3, 30);
    for (size_t i = 0; i < 10; ++i) EXPECT_EQ(tail[i], all[30 + i]);
}

TEST(SobolSequence, EveryDimensionIsStratifiedOverAPowerOfTwo) {
    // Each one-dimensional projection of the first 2^k points puts one point in each of 2^k
    // equal intervals, scrambled or not (the scramble is a bijection of digits).
    for (bool scramble : {false, true}) {
        const auto p = sobol_sequence(kSobolMaxDimensions, 64, scramble, 11);
        for (unsigned d = 0; d < kSobolMaxDimensions; ++d) {
            std::set<int> cells;
            for (const auto &row : p) cells.insert(static_cast<int>(row[d] * 64));
            EXPECT_EQ(cells.size(), 64u) << "dimension " << d << (scramble ? " scrambled" : "");
        }
    }
}

TEST(SobolSequence, SameSeedSamePointsOtherSeedOthers) {
    EXPECT_EQ(sobol_sequence(4, 16, true, 42), sobol_sequence(4, 16, true, 42));
    EXPECT_NE(sobol_sequence(4, 16, true, 42), sobol_sequence(4, 16, true, 43));
    EXPECT_NE(sobol_sequence(4, 16, true, 42)[0], std::vector<double>(4, 0.0)); // the shift moves the origin
}

TEST(Saltelli, SizesAreNTimes2DPlus2AndDPlus2) {
    EXPECT_EQ(saltelli(3, 8, true, true, 1).size(), 8u * (2 * 3 + 2));
    EXPECT_EQ(saltelli(3, 8, false, true, 1).size(), 8u * (3 + 2));
    EXPECT_EQ(saltelli_rows(5, 1024, true), 1024u * 12);
    EXPECT_EQ(saltelli_rows(5, 1024, false), 1024u * 7);
}

TEST(Saltelli, BlocksFollowSALibLayout) {
    const unsigned D = 3;
    const auto rows = saltelli(D, 4, true, true, 9);
    const auto base = sobol_sequence(2 * D, 4, true, 9);
    for (size_t j = 0; j < 4; ++j) {
        const auto *block = &rows[j * (2 * D + 2)];
        std::vector<double> a(base[j].begin(), base[j].begin() + D), b(base[j].begin() + D, base[j].end());
        EXPECT_EQ(block[0], a);
        EXPECT_EQ(block[2 * D + 1], b);
        for (unsigned i = 0; i < D; ++i) {
            auto ab = a;
            ab[i] = b[i];
            EXPECT_EQ(block[1 + i], ab) << "AB_" << i;
            auto ba = b;
            ba[i] = a[i];
            EXPECT_EQ(block[1 + D + i], ba) << "BA_" << i;
        }
    }
}

TEST(Morris, EveryStepChangesOneFactorByDelta) {
    const unsigned D = 4, levels = 4;
    const double delta = morris_delta(levels);
    EXPECT_DOUBLE_EQ(delta, 2.0 / 3.0);
    const auto rows = morris(D, 10, levels, 0, 5);
    ASSERT_EQ(rows.size(), 10u * (D + 1));
    for (size_t t = 0; t < 10; ++t) {
        std::set<size_t> changed;
        for (size_t k = 0; k < D; ++k) {
            const auto &x = rows[t * (D + 1) + k], &y = rows[t * (D + 1) + k + 1];
            size_t diffs = 0;
            for (size_t d = 0; d < D; ++d)
                if (x[d] != y[d]) {
                    ++diffs;
                    changed.insert(d);
                    EXPECT_NEAR(std::abs(y[d] - x[d]), delta, 1e-12);
                }
            EXPECT_EQ(diffs, 1u);
        }
        EXPECT_EQ(changed.size(), D) << "each factor moves once per trajectory";
        for (const auto &row : rows)
            for (double v : row) {
                const double level = v * (levels - 1);
                EXPECT_NEAR(level, std::round(level), 1e-12) << "on the grid";
                EXPECT_GE(v, 0.0);
                EXPECT_LE(v, 1.0);
            }
    }
}

TEST(Morris, OptimisedSelectionIsMoreSpreadThanTheFirstTrajectories) {
    const unsigned D = 3;
    auto spread = [&](const UnitPoints &rows, size_t r) {
        double total = 0;
        for (size_t i = 0; i < r; ++i)
            for (size_t j = i + 1; j < r; ++j) {
                UnitPoints a(rows.begin() + i * (D + 1), rows.begin() + (i + 1) * (D + 1));
                UnitPoints b(rows.begin() + j * (D + 1), rows.begin() + (j + 1) * (D + 1));
                total += std::pow(trajectory_distance(a, b), 2);
            }
        return total;
    };
    const auto plain = morris(D, 4, 4, 0, 8);
    const auto chosen = morris(D, 4, 4, 40, 8);
    ASSERT_EQ(chosen.size(), 4u * (D + 1));
    EXPECT_GT(spread(chosen, 4), spread(plain, 4));
    EXPECT_EQ(chosen, morris(D, 4, 4, 40, 8));
}

TEST(Morris, TrajectoryDistanceOfTwoKnownTrajectories) {
    const UnitPoints a{{0, 0}, {1, 0}}, b{{0, 1}, {1, 1}};
    // |a0-b0| = 1, |a0-b1| = sqrt 2, |a1-b0| = sqrt 2, |a1-b1| = 1
    EXPECT_DOUBLE_EQ(trajectory_distance(a, b), 2 + 2 * std::sqrt(2.0));
}

TEST(Factorial, CentredLevels) {
    EXPECT_EQ(centred_levels(4), (std::vector<double>{0.125, 0.375, 0.625, 0.875}));
}

} // namespace
} // namespace holon::batch
