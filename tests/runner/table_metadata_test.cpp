// Column display names and units (SDK 1.1 label/units) through the wire protocol and the real
// runner: encoded only when present, read from a plugin's columns by their own struct_size (a
// 1.0 plugin's 24-byte columns still work), lent to each plugin in the layout it was built with.
#include "protocol.hpp"
#include "runner_pool.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstddef>

namespace holon::runner {
namespace {

using nlohmann::json;

// holon_column_t as a plugin built against SDK 1.0 lays it out.
struct ColumnV1_0 {
    uint32_t struct_size;
    const char *name;
    const double *values;
};

TableData labelled_table() {
    TableData t{"series", {"time", "stock"}, {{0, 1}, {10, 12}}};
    t.labels = {"Time", "Stock of tea"};
    t.units = {"minutes", ""};
    return t;
}

TEST(TableProtocol, LabelsAndUnitsRoundTripInJobsAndResults) {
    protocol::TaskMessage job;
    job.method_id = "m";
    job.tables = {labelled_table(), TableData{"plain", {"x"}, {{1, 2, 3}}}};
    const protocol::TaskMessage back = protocol::decode_task(protocol::encode(job));
    ASSERT_EQ(back.tables.size(), 2u);
    EXPECT_EQ(back.tables[0].labels, (std::vector<std::string>{"Time", "Stock of tea"}));
    EXPECT_EQ(back.tables[0].units, (std::vector<std::string>{"minutes", ""}));
    EXPECT_EQ(back.tables[0].values, job.tables[0].values);
    EXPECT_TRUE(back.tables[1].labels.empty()) << "a table without metadata stays without";
    EXPECT_TRUE(back.tables[1].units.empty());

    const TableData result = protocol::decode_table(protocol::encode_table(labelled_table()));
    EXPECT_EQ(result.labels, labelled_table().labels);
    EXPECT_EQ(result.units, labelled_table().units);
}

TEST(TableProtocol, HeaderWithoutMetadataIsUnchangedAndMismatchedMetadataIsRefused) {
    const std::string plain = protocol::encode_table(TableData{"t", {"a"}, {{1}}});
    EXPECT_EQ(plain.find("labels"), std::string::npos);
    EXPECT_EQ(plain.find("units"), std::string::npos);

    protocol::Writer w;
    w.str(R"({"name":"t","columns":["a","b"],"labels":["A"],"rows":0})");
    EXPECT_THROW(protocol::decode_table(w.take()), protocol::ProtocolError);
    TableData bad{"t", {"a", "b"}, {{}, {}}};
    bad.units = {"m"};
    protocol::Writer out;
    EXPECT_THROW(protocol::write_table(out, bad), protocol::ProtocolError);
}

TEST(TableProtocol, APluginsOld1_0ColumnsAreReadByTheirOwnSizeWithoutLabels) {
    const double a[] = {1, 2}, b[] = {3, 4};
    const ColumnV1_0 columns[] = {{sizeof(ColumnV1_0), "a", a}, {sizeof(ColumnV1_0), "b", b}};
    const holon_table_t table{sizeof(holon_table_t), "old", 2, 2, reinterpret_cast<const holon_column_t *>(columns)};
    protocol::Writer w;
    protocol::write_table(w, table);
    protocol::Reader r(w.buffer());
    const TableData back = protocol::read_table(r);
    EXPECT_EQ(back.columns, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(back.values, (std::vector<std::vector<double>>{{1, 2}, {3, 4}}));
    EXPECT_TRUE(back.labels.empty());
    EXPECT_TRUE(back.units.empty());
    EXPECT_EQ(protocol::table_bytes(table), 3u + 2 + 2 * 16);
}

TEST(TableProtocol, A1_1PluginsLabelsAndUnitsAreRead) {
    const double v[] = {5};
    const holon_column_t columns[] = {{sizeof(holon_column_t), "t", v, "Time", "days"},
                                      {sizeof(holon_column_t), "x", v, nullptr, "m"}};
    const holon_table_t table{sizeof(holon_table_t), "new", 1, 2, columns};
    protocol::Writer w;
    protocol::write_table(w, table);
    protocol::Reader r(w.buffer());
    const TableData back = protocol::read_table(r);
    EXPECT_EQ(back.labels, (std::vector<std::string>{"Time", ""}));
    EXPECT_EQ(back.units, (std::vector<std::string>{"days", "m"}));
}

TEST(TableProtocol, ColumnsOfDifferentOrTooSmallSizesAreRefused) {
    const double v[] = {5};
    holon_column_t columns[] = {{sizeof(holon_column_t), "t", v, nullptr, nullptr},
                                {sizeof(holon_column_t), "x", v, nullptr, nullptr}};
    columns[1].struct_size = 24;
    const holon_table_t mixed{sizeof(holon_table_t), "mixed", 1, 2, columns};
    protocol::Writer w;
    EXPECT_THROW(protocol::write_table(w, mixed), protocol::ProtocolError);
    columns[0].struct_size = columns[1].struct_size = 8;
    EXPECT_THROW(protocol::write_table(w, mixed), protocol::ProtocolError);
}

TEST(TableProtocol, TablesAreLentInTheLayoutThePluginWasBuiltWith) {
    const std::vector<TableData> tables{labelled_table()};
    protocol::LentTables for_1_0;
    for_1_0.lend(tables, 0);
    ASSERT_EQ(for_1_0.size(), 1u);
    const auto *old = reinterpret_cast<const ColumnV1_0 *>(for_1_0.at(0)->columns);
    EXPECT_EQ(old[1].struct_size, sizeof(ColumnV1_0)) << "a 1.0 plugin steps columns[i] by 24 bytes";
    EXPECT_STREQ(old[1].name, "stock");
    EXPECT_EQ(old[1].values[1], 12);

    protocol::LentTables for_1_1;
    for_1_1.lend(tables, 1);
    const holon_column_t *columns = for_1_1.at(0)->columns;
    EXPECT_EQ(columns[1].struct_size, sizeof(holon_column_t));
    EXPECT_STREQ(columns[0].label, "Time");
    EXPECT_STREQ(columns[0].units, "minutes");
    EXPECT_STREQ(columns[1].label, "Stock of tea");
    EXPECT_EQ(columns[1].units, nullptr) << "no units is NULL, not \"\"";
    EXPECT_EQ(for_1_1.at(1), nullptr);
}

TaskRequest echo_request(json params) {
    TaskRequest request;
    request.plugin = test::fixture(HOLON_FIXTURE_ECHO);
    request.method_id = "fixture.echo.run";
    request.model_json = R"({"schema":"holon-model/1","variables":[]})";
    request.params_json = params.dump();
    request.limits = test::small_limits();
    return request;
}

TEST(TableRunner, LabelsAndUnitsTravelFromPluginToHostAndBackIntoNestedRuns) {
    RunnerPool pool(test::pool_options());
    TaskCallbacks callbacks;
    callbacks.on_invoke = [&](const InvokeRequest &nested) {
        TaskRequest request = echo_request(json::parse(nested.params_json));
        TaskCallbacks nested_callbacks;
        nested_callbacks.cancel = nested.cancel;
        return pool.run(request, nested_callbacks);
    };
    TaskRequest request = echo_request({{"rows", 3},
                                        {"labelled", true},
                                        {"invoke", {{"method", "fixture.echo.run"}, {"params", {{"rows", 2}, {"labelled", true}}}}}});
    request.tables.push_back(labelled_table());
    const TaskOutcome out = pool.run(request, callbacks);
    ASSERT_TRUE(out.ok()) << out.problem << ": " << out.message;
    const json result = json::parse(out.result_json);
    // The plugin saw the input table's names and units (lent in its 1.1 layout).
    EXPECT_EQ(result["input_tables"][0]["labels"], json({"Time", "Stock of tea"}));
    EXPECT_EQ(result["input_tables"][0]["units"], json({"minutes", ""}));
    // A nested run's table reached the calling plugin with its names and units.
    EXPECT_EQ(result["nested_columns"], json::parse(R"([{"name":"x","label":"Side","units":"m"},
                                                         {"name":"x2","label":"Area, square","units":"m²"}])"));
    // The host got the plugin's own table with them.
    ASSERT_EQ(out.tables.size(), 1u);
    EXPECT_EQ(out.tables[0].columns, (std::vector<std::string>{"x", "x2"}));
    EXPECT_EQ(out.tables[0].labels, (std::vector<std::string>{"Side", "Area, square"}));
    EXPECT_EQ(out.tables[0].units, (std::vector<std::string>{"m", "m²"}));
    EXPECT_EQ(out.tables[0].values[1], (std::vector<double>{0, 1, 4}));
}

} // namespace
} // namespace holon::runner

namespace holon::runner {
namespace {

// abi_frozen.so was compiled against the frozen SDK 1.0 headers: it indexes columns[i] with the
// 1.0 size, so the runner must lend it 24-byte columns. Its echo sums every input column.
TEST(TableRunner, APluginBuiltAgainst1_0ReadsEveryColumnTheRunnerLendsIt) {
    RunnerPool pool(test::pool_options());
    TaskRequest request;
    request.plugin = test::fixture(HOLON_ABI_FROZEN_PLUGIN);
    request.method_id = "abi_frozen.echo";
    request.model_json = R"({"schema":"holon-model/1","variables":[]})";
    request.limits = test::small_limits();
    request.tables.push_back(labelled_table()); // 0 + 1 + 10 + 12
    const TaskOutcome out = pool.run(request);
    ASSERT_TRUE(out.ok()) << out.problem << ": " << out.message;
    EXPECT_DOUBLE_EQ(json::parse(out.result_json)["input_sum"].get<double>(), 23.0);
    ASSERT_EQ(out.tables.size(), 1u); // its own 1.0 columns reach the host intact, without metadata
    EXPECT_EQ(out.tables[0].columns, (std::vector<std::string>{"x", "x2"}));
    EXPECT_EQ(out.tables[0].values[1], (std::vector<double>{0, 1, 4, 9, 16, 25}));
    EXPECT_TRUE(out.tables[0].labels.empty());
}

} // namespace
} // namespace holon::runner
