#include "store_fixture.hpp"

#include <cmath>
#include <limits>

namespace holon::store::testing {
namespace {


class OutputsTest : public StoreTest {
protected:
    OutputsTest() : workspace_(store().create_workspace("w").id) {
        run_ = store().create_run(workspace_, {"sd.simulate", std::nullopt, std::nullopt, "{}", "{}", std::nullopt}).id;
        EXPECT_TRUE(store().claim("host", 60'000));
    }
    std::string workspace_, run_;
};

TEST_F(OutputsTest, ResultJsonTablesAndBlobsRoundTrip) {
    EXPECT_TRUE(store().get_outputs(workspace_, run_).result_json.empty());
    const double nan = std::numeric_limits<double>::quiet_NaN();
    RunOutputs outputs;
    outputs.result_json = R"({"final":{"population":1234.5}})";
    outputs.tables.push_back({"series", {"time", "population"}, {{0, 1, 2}, {100, 150.25, nan}}});
    outputs.tables.push_back({"empty", {}, {}});
    outputs.tables.push_back({"tiny", {"x"}, {{-0.0}}});
    outputs.blobs.push_back({"plot.svg", "image/svg+xml", "<svg/>"});
    outputs.blobs.push_back({"raw", "application/octet-stream", std::string("\0\1\2\xff", 4)});
    outputs.blobs.push_back({"nothing", "text/plain", ""});
    ASSERT_TRUE(store().finish(run_, "host", 1, {RunState::succeeded, "", outputs}));

    const RunOutputs stored = store().get_outputs(workspace_, run_);
    EXPECT_EQ(stored.result_json, outputs.result_json);
    ASSERT_EQ(stored.tables.size(), 3u);
    EXPECT_EQ(stored.tables[0].name, "series");
    EXPECT_EQ(stored.tables[0].columns, (std::vector<std::string>{"time", "population"}));
    EXPECT_EQ(stored.tables[0].values[0], (std::vector<double>{0, 1, 2}));
    EXPECT_EQ(stored.tables[0].values[1][1], 150.25);
    EXPECT_TRUE(std::isnan(stored.tables[0].values[1][2]));
    EXPECT_TRUE(stored.tables[1].columns.empty());
    EXPECT_TRUE(std::signbit(stored.tables[2].values[0][0]));
    ASSERT_EQ(stored.blobs.size(), 3u);
    EXPECT_EQ(stored.blobs[1].data, std::string("\0\1\2\xff", 4));
    EXPECT_EQ(stored.blobs[1].media_type, "application/octet-stream");
    EXPECT_EQ(stored.blobs[2].data, "");

    EXPECT_EQ(store().get_result_table(workspace_, run_, "series").values[0][2], 2);
    EXPECT_EQ(store().get_result_blob(workspace_, run_, "plot.svg").data, "<svg/>");
    EXPECT_THROW(store().get_result_table(workspace_, run_, "missing"), NotFound);
    EXPECT_THROW(store().get_result_blob(workspace_, run_, "missing"), NotFound);
    EXPECT_THROW(store().get_outputs(workspace_, "run_missing"), NotFound);
}

TEST_F(OutputsTest, MalformedOutputsAreRejectedAndTheRunStaysRunning) {
    RunOutputs ragged;
    ragged.tables.push_back({"t", {"a", "b"}, {{1, 2}, {3}}});
    EXPECT_THROW(store().finish(run_, "host", 1, {RunState::succeeded, "", ragged}), InvalidArgument);
    RunOutputs unnamed;
    unnamed.tables.push_back({"t", {"a"}, {{1}, {2}}});
    EXPECT_THROW(store().finish(run_, "host", 1, {RunState::succeeded, "", unnamed}), InvalidArgument);
    RunOutputs duplicate;
    duplicate.blobs = {{"b", "text/plain", "1"}, {"b", "text/plain", "2"}};
    EXPECT_THROW(store().finish(run_, "host", 1, {RunState::succeeded, "", duplicate}), InvalidArgument);
    EXPECT_EQ(store().get_run(workspace_, run_).state, RunState::running);
}

}  // namespace
}  // namespace holon::store::testing
