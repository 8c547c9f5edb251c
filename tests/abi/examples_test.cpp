// The SDK examples (sdk/examples/hello-cpp, sdk/examples/hello-c) built in the tree from the same
// sources a vendor builds out of tree, loaded and run through the current ABI. The C example is
// the proof that a pure-C plugin works.
#include "harness/plugin_library.hpp"
#include "harness/recording_context.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

namespace holon::abi_test {
namespace {

using nlohmann::json;

// A plugin loaded, initialised and holding its method factory.
struct LoadedPlugin {
    explicit LoadedPlugin(const std::string &path) : library(path) {
        entry = library.entry(current_host_version());
        if (!entry) throw std::runtime_error(path + " refused the current host version");
        host.struct_size = sizeof(holon_host_t);
        host.version = current_host_version();
        host.name = "holon";
        host.host_version = "test";
        if (entry->init(&host, "") != HOLON_OK) throw std::runtime_error(path + ": init failed");
        factory = static_cast<const holon_method_factory_v1_t *>(entry->get_factory(HOLON_FACTORY_METHODS));
        if (!factory) throw std::runtime_error(path + ": no method factory");
    }
    ~LoadedPlugin() { entry->deinit(); }

    PluginLibrary library;
    const holon_plugin_entry_t *entry = nullptr;
    holon_host_t host{};
    const holon_method_factory_v1_t *factory = nullptr;
};

const char *const model = R"({
  "variables": [
    {"id": "pop", "name": "Population", "kind": "stock"},
    {"id": "births", "name": "Births", "kind": "flow"},
    {"id": "deaths", "name": "Deaths", "kind": "flow"},
    {"id": "rate", "name": "Birth rate", "kind": "aux"}
  ],
  "links": [
    {"id": "l1", "from": "births", "to": "pop", "polarity": "+"},
    {"id": "l2", "from": "pop", "to": "births", "polarity": "+"},
    {"id": "l3", "from": "deaths", "to": "pop", "polarity": "-"},
    {"id": "l4", "from": "pop", "to": "deaths", "polarity": "+"},
    {"id": "l5", "from": "rate", "to": "births", "polarity": "+"},
    {"id": "l6", "from": "ghost", "to": "pop", "polarity": "?"}
  ]
})";

TEST(HelloCppExample, SummarisesVariablesLinksAndTheMostConnectedVariables) {
    LoadedPlugin hello(HOLON_ABI_HELLO_PLUGIN);
    ASSERT_EQ(hello.factory->count(hello.factory), 1u);
    const holon_method_descriptor_t *d = hello.factory->get(hello.factory, 0);
    EXPECT_STREQ(d->id, "hello.summary");
    EXPECT_TRUE(json::accept(d->params_schema));
    EXPECT_TRUE(json::accept(d->result_schema));

    RunInputs in;
    in.model_json = model;
    in.params_json = R"({"top": 2})";
    RecordingContext ctx(in);
    ASSERT_EQ(ctx.run(hello.factory, "hello.summary"), HOLON_OK) << ctx.error_message;
    const json r = json::parse(ctx.json);
    EXPECT_EQ(r["variables"]["total"], 4);
    EXPECT_EQ(r["variables"]["by_kind"], json({{"stock", 1}, {"flow", 2}, {"aux", 1}}));
    EXPECT_EQ(r["links"]["total"], 6);
    EXPECT_EQ(r["links"]["by_polarity"], json({{"+", 4}, {"-", 1}, {"?", 1}}));
    EXPECT_EQ(r["links"]["dangling"], 1);
    ASSERT_EQ(r["most_connected"].size(), 2u);
    EXPECT_EQ(r["most_connected"][0], json({{"id", "pop"}, {"name", "Population"}, {"degree", 4}, {"in", 2}, {"out", 2}}));
    EXPECT_EQ(r["most_connected"][1]["id"], "births"); // degree 3
    EXPECT_EQ(r["most_connected"][1]["degree"], 3);
    ASSERT_FALSE(ctx.progress.empty());
    EXPECT_EQ(ctx.progress.back(), 1.0);
    EXPECT_GE(ctx.polls, 2); // polled while walking variables and links
}

std::string read_fixture(const std::string &name) {
    std::ifstream in(std::string(HOLON_ABI_DATA_DIR) + "/" + name, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read fixture " + name);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(HelloCppExample, RanksTiesByIdOnAValidHolonModel) {
    LoadedPlugin hello(HOLON_ABI_HELLO_PLUGIN);
    RunInputs in;
    in.model_json = read_fixture("population.model.json"); // the model out_of_tree.sh falls back to
    in.params_json = R"({"top": 3})";
    RecordingContext ctx(in);
    ASSERT_EQ(ctx.run(hello.factory, "hello.summary"), HOLON_OK) << ctx.error_message;
    const json r = json::parse(ctx.json);
    EXPECT_EQ(r["variables"]["by_kind"], json({{"stock", 1}, {"flow", 2}, {"aux", 1}, {"factor", 1}}));
    EXPECT_EQ(r["links"]["by_polarity"], json({{"+", 5}, {"-", 1}, {"?", 1}}));
    EXPECT_EQ(r["links"]["dangling"], 0);
    ASSERT_EQ(r["most_connected"].size(), 3u);
    EXPECT_EQ(r["most_connected"][0]["id"], "pop"); // 2 in + 3 out
    EXPECT_EQ(r["most_connected"][0]["degree"], 5);
    EXPECT_EQ(r["most_connected"][1]["id"], "births"); // degree 3, before "deaths" (also 3) by id
    EXPECT_EQ(r["most_connected"][2]["id"], "deaths");
    EXPECT_EQ(r["most_connected"][2]["degree"], 3);
}

TEST(HelloCppExample, RejectsBadParamsAndModelsWithPreciseErrors) {
    LoadedPlugin hello(HOLON_ABI_HELLO_PLUGIN);
    RunInputs bad_params;
    bad_params.model_json = model;
    bad_params.params_json = R"({"top": 0})";
    RecordingContext p(bad_params);
    EXPECT_EQ(p.run(hello.factory, "hello.summary"), HOLON_ERR_INVALID_PARAMS);
    EXPECT_EQ(json::parse(p.error_details)["path"], "/top");

    RunInputs bad_model;
    bad_model.model_json = R"({"variables": [{"name": "no id"}]})";
    RecordingContext m(bad_model);
    EXPECT_EQ(m.run(hello.factory, "hello.summary"), HOLON_ERR_INVALID_MODEL);
    EXPECT_EQ(json::parse(m.error_details)["path"], "/variables/0");

    RecordingContext empty(RunInputs{});
    EXPECT_EQ(empty.run(hello.factory, "hello.summary"), HOLON_ERR_INVALID_MODEL);
}

TEST(HelloCppExample, StopsWhenCancelled) {
    LoadedPlugin hello(HOLON_ABI_HELLO_PLUGIN);
    RunInputs in;
    in.model_json = model;
    RecordingContext ctx(in);
    ctx.cancel_at_poll(1);
    EXPECT_EQ(ctx.run(hello.factory, "hello.summary"), HOLON_ERR_CANCELLED);
    EXPECT_FALSE(ctx.has_json);
}

TEST(HelloCExample, ReportsSizesAndIdOccurrences) {
    LoadedPlugin helloc(HOLON_ABI_HELLOC_PLUGIN);
    ASSERT_EQ(helloc.factory->count(helloc.factory), 1u);
    EXPECT_STREQ(helloc.factory->get(helloc.factory, 0)->id, "helloc.stats");
    EXPECT_EQ(helloc.factory->get(helloc.factory, 1), nullptr);

    RunInputs in;
    in.model_json = model;
    RecordingContext ctx(in);
    ASSERT_EQ(ctx.run(helloc.factory, "helloc.stats"), HOLON_OK) << ctx.error_message;
    const json r = json::parse(ctx.json);
    EXPECT_EQ(r["model_bytes"], std::string(model).size());
    EXPECT_EQ(r["params_bytes"], 2); // "{}"
    EXPECT_EQ(r["id_occurrences"], 10); // 4 variables + 6 links
    EXPECT_EQ(ctx.progress.back(), 1.0);
}

TEST(HelloCExample, CountsMatchesThatStraddleItsScanChunks) {
    LoadedPlugin helloc(HOLON_ABI_HELLOC_PLUGIN);
    // Larger than the plugin's 1 MiB scan chunk, with a match across the boundary.
    RunInputs in;
    in.model_json = std::string((1u << 20) - 2, ' ') + "\"id\"" + std::string(100, ' ') + "\"id\"";
    RecordingContext ctx(in);
    ASSERT_EQ(ctx.run(helloc.factory, "helloc.stats"), HOLON_OK) << ctx.error_message;
    EXPECT_EQ(json::parse(ctx.json)["id_occurrences"], 2);
    EXPECT_EQ(ctx.polls, 2);
}

TEST(HelloCExample, FailsPreciselyAndStopsWhenCancelled) {
    LoadedPlugin helloc(HOLON_ABI_HELLOC_PLUGIN);
    RecordingContext empty(RunInputs{});
    EXPECT_EQ(empty.run(helloc.factory, "helloc.stats"), HOLON_ERR_INVALID_MODEL);
    EXPECT_EQ(empty.error_message, "this method needs a model");

    RunInputs in;
    in.model_json = model;
    RecordingContext cancelled(in);
    cancelled.cancel_at_poll(1);
    EXPECT_EQ(cancelled.run(helloc.factory, "helloc.stats"), HOLON_ERR_CANCELLED);
    EXPECT_FALSE(cancelled.has_json);

    RecordingContext unknown(in);
    EXPECT_EQ(unknown.run(helloc.factory, "helloc.nope"), HOLON_ERR_NOT_FOUND);
}

} // namespace
} // namespace holon::abi_test
