// The current host reads a v1.0 plugin: abi_frozen.so was compiled against the frozen copy of the
// v1.0 headers; this test is compiled against the current ones, loads it with dlopen, negotiates
// with the current host version and runs every method through a context built from the current
// header.
#include "harness/plugin_library.hpp"
#include "harness/recording_context.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstring>
#include <memory>
#include <set>
#include <string>

namespace holon::abi_test {
namespace {

using nlohmann::json;

class FrozenPlugin : public ::testing::Test {
protected:
    void SetUp() override {
        library_ = std::make_unique<PluginLibrary>(HOLON_ABI_FROZEN_PLUGIN);
        entry_ = library_->entry(current_host_version());
        ASSERT_NE(entry_, nullptr);
        host_.struct_size = sizeof(holon_host_t);
        host_.version = current_host_version();
        host_.name = "holon";
        host_.host_version = "test";
        host_.get_extension = [](const holon_host_t *, const char *) -> const void * { return nullptr; };
        ASSERT_EQ(entry_->init(&host_, HOLON_ABI_FROZEN_DIR), HOLON_OK);
        factory_ = static_cast<const holon_method_factory_v1_t *>(entry_->get_factory(HOLON_FACTORY_METHODS));
        ASSERT_NE(factory_, nullptr);
    }
    void TearDown() override {
        if (entry_) entry_->deinit();
    }

    std::unique_ptr<PluginLibrary> library_;
    const holon_plugin_entry_t *entry_ = nullptr;
    holon_host_t host_{};
    const holon_method_factory_v1_t *factory_ = nullptr;
};

TEST_F(FrozenPlugin, EntryDescribesAV1_0PluginThatTheCurrentHostCanRead) {
    EXPECT_EQ(entry_->abi.major, 1u);
    EXPECT_EQ(entry_->abi.minor, 0u);
    EXPECT_EQ(entry_->abi.patch, 0u);
    EXPECT_EQ(entry_->abi.major, static_cast<uint32_t>(HOLON_ABI_MAJOR));
    EXPECT_LE(entry_->abi.minor, static_cast<uint32_t>(HOLON_ABI_MINOR));
    // The v1.0 entry is at least as large as every field the current header defines for v1.0.
    EXPECT_TRUE(HOLON_HAS_FIELD(entry_, holon_plugin_entry_t, get_factory));
    EXPECT_STREQ(entry_->plugin_id, "abi_frozen");
    EXPECT_STREQ(entry_->plugin_version, "1.0.0");
    EXPECT_EQ(entry_->get_factory("holon.method-factory/999"), nullptr);
}

TEST_F(FrozenPlugin, RefusesAHostOfAnotherMajorVersion) {
    const holon_version_t v2{HOLON_ABI_MAJOR + 1, 0, 0};
    EXPECT_EQ(library_->entry(v2), nullptr);
    EXPECT_EQ(library_->entry_function()(nullptr), nullptr);
}

TEST_F(FrozenPlugin, ListsItsMethodsWithReadableDescriptors) {
    ASSERT_EQ(factory_->count(factory_), 5u);
    EXPECT_EQ(factory_->get(factory_, 5), nullptr);
    std::set<std::string> ids;
    for (uint32_t i = 0; i < factory_->count(factory_); ++i) {
        const holon_method_descriptor_t *d = factory_->get(factory_, i);
        ASSERT_NE(d, nullptr);
        ASSERT_TRUE(HOLON_HAS_FIELD(d, holon_method_descriptor_t, formats));
        ids.insert(d->id);
        EXPECT_TRUE(json::accept(d->params_schema)) << d->id;
        EXPECT_TRUE(json::accept(d->result_schema)) << d->id;
        EXPECT_EQ(d->kind, HOLON_METHOD_KIND_ANALYSIS);
        EXPECT_STREQ(d->formats, "");
    }
    EXPECT_EQ(ids, (std::set<std::string>{"abi_frozen.echo", "abi_frozen.fail", "abi_frozen.throw",
                                          "abi_frozen.wait_cancel", "abi_frozen.nested"}));
    EXPECT_EQ(factory_->get(factory_, 0)->flags, HOLON_METHOD_FLAG_CONCURRENT);
}

TEST_F(FrozenPlugin, EchoUsesEveryOutputOfTheCurrentContext) {
    RunInputs in;
    in.model_json = R"({"variables": []})";
    in.params_json = R"({"k": 7})";
    in.tables.push_back({"series", 3, {"a"}, {{1.5, 2.5, 3.0}}});
    RecordingContext ctx(in);
    ASSERT_EQ(ctx.run(factory_, "abi_frozen.echo"), HOLON_OK) << ctx.error_message;

    EXPECT_FALSE(ctx.has_error);
    ASSERT_TRUE(ctx.has_json);
    const json result = json::parse(ctx.json);
    EXPECT_EQ(result["model_bytes"], in.model_json.size());
    EXPECT_DOUBLE_EQ(result["input_sum"].get<double>(), 7.0);
    EXPECT_EQ(result["params"], json({{"k", 7}}));

    ASSERT_EQ(ctx.tables.size(), 1u); // the second put_table appended to the first
    const RecordedTable &t = ctx.tables[0];
    EXPECT_EQ(t.name, "squares");
    EXPECT_EQ(t.row_count, 6u);
    EXPECT_EQ(t.column_names, (std::vector<std::string>{"x", "x2"}));
    EXPECT_EQ(t.columns[1], (std::vector<double>{0, 1, 4, 9, 16, 25}));
    // 1.0 columns are 24 bytes and end before label/units: read by their own size, without them.
    EXPECT_EQ(t.column_labels, (std::vector<std::string>{"", ""}));
    EXPECT_EQ(t.column_units, (std::vector<std::string>{"", ""}));

    ASSERT_EQ(ctx.blobs.count("note.txt"), 1u);
    EXPECT_EQ(ctx.blobs["note.txt"].media_type, "text/plain");
    EXPECT_EQ(ctx.blobs["note.txt"].data, "frozen v1.0");
    ASSERT_EQ(ctx.logs.size(), 1u);
    EXPECT_EQ(ctx.logs[0].first, HOLON_LOG_INFO);
    EXPECT_EQ(ctx.progress, (std::vector<double>{0.25, 1.0}));
    EXPECT_EQ(ctx.stages, (std::vector<std::string>{"reading", "done"}));
}

TEST_F(FrozenPlugin, ErrorsCarryCodeMessageAndDetails) {
    RecordingContext failed(RunInputs{});
    EXPECT_EQ(failed.run(factory_, "abi_frozen.fail"), HOLON_ERR_INVALID_PARAMS);
    EXPECT_EQ(failed.error_code, HOLON_ERR_INVALID_PARAMS);
    EXPECT_EQ(failed.error_message, "'x' must be positive");
    EXPECT_EQ(json::parse(failed.error_details), json({{"path", "/x"}}));
    EXPECT_FALSE(failed.has_json);

    RecordingContext threw(RunInputs{});
    EXPECT_EQ(threw.run(factory_, "abi_frozen.throw"), HOLON_ERR_INTERNAL);
    EXPECT_NE(threw.error_message.find("boom"), std::string::npos);

    RecordingContext unknown(RunInputs{});
    EXPECT_EQ(unknown.run(factory_, "abi_frozen.nope"), HOLON_ERR_NOT_FOUND);
    EXPECT_EQ(factory_->run(factory_, nullptr, unknown.raw()), HOLON_ERR_BAD_ARGUMENT);
}

TEST_F(FrozenPlugin, StopsAtTheFirstPollThatSeesCancellation) {
    RecordingContext ctx(RunInputs{});
    ctx.cancel_at_poll(3);
    EXPECT_EQ(ctx.run(factory_, "abi_frozen.wait_cancel"), HOLON_ERR_CANCELLED);
    EXPECT_EQ(ctx.polls, 3);
    EXPECT_EQ(ctx.error_code, HOLON_ERR_CANCELLED);
    EXPECT_EQ(ctx.progress.size(), 2u); // progress between polls, none after the cancelling one
}

TEST_F(FrozenPlugin, InvokesAnotherMethodThroughTheCurrentHost) {
    RunInputs in;
    in.model_json = R"({"a": 1})";
    RecordingContext ctx(in, factory_);
    ASSERT_EQ(ctx.run(factory_, "abi_frozen.nested"), HOLON_OK) << ctx.error_message;
    EXPECT_EQ(ctx.extension_queries, (std::vector<std::string>{HOLON_EXT_INVOKE}));
    const json result = json::parse(ctx.json);
    EXPECT_EQ(result["nested_rows"], 6);
    EXPECT_EQ(result["nested"]["params"], json({{"from", "nested"}}));
    EXPECT_EQ(result["nested"]["model_bytes"], in.model_json.size()); // the calling run's model
}

TEST_F(FrozenPlugin, ReportsAMissingInvokeExtensionAsUnsupported) {
    RecordingContext ctx(RunInputs{}); // no factory: get_extension answers NULL
    EXPECT_EQ(ctx.run(factory_, "abi_frozen.nested"), HOLON_ERR_UNSUPPORTED);
}

} // namespace
} // namespace holon::abi_test
