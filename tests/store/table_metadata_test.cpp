// Result tables keep their columns' display names and units (schema migration 2); tables without
// them, and tables stored before the migration, read back without.
#include "store_fixture.hpp"

namespace holon::store::testing {
namespace {

class TableMetadataTest : public StoreTest {
protected:
    TableMetadataTest() : workspace_(store().create_workspace("w").id) {
        run_ = store().create_run(workspace_, {"sd.simulate", std::nullopt, std::nullopt, "{}", "{}", std::nullopt}).id;
        EXPECT_TRUE(store().claim("host", 60'000));
    }
    std::string workspace_, run_;
};

TEST_F(TableMetadataTest, LabelsAndUnitsRoundTripAndATableWithoutThemStaysWithout) {
    RunOutputs outputs;
    ResultTable series{"series", {"time", "Teacup Temperature"}, {{0, 1}, {180, 170}}};
    series.labels = {"Time", ""};
    series.units = {"Minutes", "Degrees Fahrenheit"};
    outputs.tables.push_back(series);
    outputs.tables.push_back({"plain", {"x"}, {{1}}});
    ASSERT_TRUE(store().finish(run_, "host", 1, {RunState::succeeded, "", outputs}));

    const RunOutputs stored = store().get_outputs(workspace_, run_);
    ASSERT_EQ(stored.tables.size(), 2u);
    EXPECT_EQ(stored.tables[0].labels, (std::vector<std::string>{"Time", ""}));
    EXPECT_EQ(stored.tables[0].units, (std::vector<std::string>{"Minutes", "Degrees Fahrenheit"}));
    EXPECT_TRUE(stored.tables[1].labels.empty());
    EXPECT_TRUE(stored.tables[1].units.empty());
    EXPECT_EQ(store().get_result_table(workspace_, run_, "series").units[1], "Degrees Fahrenheit");
    // Nothing is stored for a table without metadata: NULL, as rows written before migration 2.
    EXPECT_EQ(query_int("SELECT COUNT(*) FROM run_tables WHERE labels_json IS NULL"), 1);
    EXPECT_EQ(query_int("SELECT COUNT(*) FROM run_tables WHERE units_json IS NULL"), 1);
}

TEST_F(TableMetadataTest, LabelsOrUnitsThatDoNotMatchTheColumnsAreRejected) {
    RunOutputs outputs;
    ResultTable t{"t", {"a", "b"}, {{1}, {2}}};
    t.units = {"m"};
    outputs.tables.push_back(t);
    EXPECT_THROW(store().finish(run_, "host", 1, {RunState::succeeded, "", outputs}), InvalidArgument);
}

} // namespace
} // namespace holon::store::testing
