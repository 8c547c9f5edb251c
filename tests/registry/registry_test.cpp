// Registry::discover with real fixture plugins described in real runners: plugins are described
// concurrently, yet the outcome is what describing them one by one in search-path order gives.
#include "registry/registry.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;
using holon::registry::Registry;
using holon::registry::SearchOptions;

namespace {

class RegistryDiscover : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() / ("holon-registry-test-" + std::to_string(getpid()));
        fs::remove_all(root_);
        fs::create_directories(root_);
    }
    void TearDown() override { fs::remove_all(root_); }

    // A copy of a built fixture plugin folder at root/<where>/<name>; `edit` may change the manifest.
    fs::path install(const std::string &fixture, const std::string &where, const std::string &from = "", const std::string &to = "") {
        const fs::path source = fs::path(HOLON_TEST_PLUGINS) / fixture;
        const fs::path target = root_ / where / fixture;
        fs::create_directories(target);
        for (const auto &entry : fs::directory_iterator(source)) fs::copy(entry.path(), target / entry.path().filename());
        if (!from.empty()) {
            std::ifstream in(target / "plugin.json");
            std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            const auto at = text.find(from);
            EXPECT_NE(at, std::string::npos) << from;
            text.replace(at, from.size(), to);
            std::ofstream(target / "plugin.json", std::ios::trunc) << text;
        }
        return target;
    }

    Registry discover(const std::vector<std::string> &wheres) {
        SearchOptions options;
        for (const auto &w : wheres) options.explicit_paths.push_back(root_ / w);
        options.use_environment = false;
        options.use_defaults = false;
        holon::runner::PoolOptions pool_options;
        pool_options.runner_executable = HOLON_RUNNER_EXE;
        pool_ = std::make_unique<holon::runner::RunnerPool>(pool_options);
        return Registry::discover(options, *pool_);
    }

    fs::path root_;
    std::unique_ptr<holon::runner::RunnerPool> pool_;
};

TEST_F(RegistryDiscover, DescribesEveryPluginAndKeepsSearchOrder) {
    install("echo", "a");
    install("c99", "a");
    install("segfault", "b");
    const Registry reg = discover({"a", "b"});
    ASSERT_EQ(reg.plugins().size(), 3u);
    EXPECT_EQ(reg.plugins()[0]->manifest.dir, root_ / "a" / "c99"); // sorted within a search entry
    EXPECT_EQ(reg.plugins()[1]->manifest.dir, root_ / "a" / "echo");
    EXPECT_EQ(reg.plugins()[2]->manifest.dir, root_ / "b" / "segfault");
    for (const auto &p : reg.plugins()) EXPECT_TRUE(p->usable()) << p->error;
    ASSERT_NE(reg.find_method("fixture.echo.run"), nullptr);
    EXPECT_EQ(reg.find_method("fixture.echo.run")->plugin, reg.plugins()[1].get());
    EXPECT_EQ(reg.plugins()[1]->description.plugin_id, "fixture.echo");
    // Described in runners, which the pool keeps warm for the jobs that follow.
    EXPECT_EQ(pool_->spawned_count(), 3u);
}

TEST_F(RegistryDiscover, AnEarlierFolderShadowsTheSameIdWithoutLoadingIt) {
    install("echo", "first");
    install("echo", "second");
    const Registry reg = discover({"first", "second"});
    ASSERT_EQ(reg.plugins().size(), 2u);
    EXPECT_TRUE(reg.plugins()[0]->usable()) << reg.plugins()[0]->error;
    EXPECT_EQ(reg.plugins()[1]->error, "plugin id 'fixture.echo' is shadowed by " + (root_ / "first" / "echo").string());
    EXPECT_EQ(reg.find_method("fixture.echo.run")->plugin, reg.plugins()[0].get());
    EXPECT_EQ(pool_->spawned_count(), 1u); // the shadowed copy was never loaded
}

TEST_F(RegistryDiscover, AnUnusableEarlierFolderLetsTheLaterOneServe) {
    // The first copy's manifest disagrees with its library: unusable once described, so the
    // second copy is not shadowed and is described after it.
    install("echo", "first", "\"version\": \"1.0.0\"", "\"version\": \"9.9.9\"");
    install("echo", "second");
    const Registry reg = discover({"first", "second"});
    ASSERT_EQ(reg.plugins().size(), 2u);
    EXPECT_NE(reg.plugins()[0]->error.find("plugin reports version '1.0.0' but its manifest says '9.9.9'"), std::string::npos)
        << reg.plugins()[0]->error;
    EXPECT_TRUE(reg.plugins()[1]->usable()) << reg.plugins()[1]->error;
    ASSERT_NE(reg.find_method("fixture.echo.run"), nullptr);
    EXPECT_EQ(reg.find_method("fixture.echo.run")->plugin, reg.plugins()[1].get());
}

TEST_F(RegistryDiscover, ABrokenManifestDoesNotStopDiscovery) {
    install("echo", "a", "\"abi\": \"1.0\"", "\"abi\": \"2.0\"");
    install("c99", "a");
    const Registry reg = discover({"a"});
    ASSERT_EQ(reg.plugins().size(), 2u);
    EXPECT_TRUE(reg.plugins()[0]->usable()) << reg.plugins()[0]->error; // c99
    EXPECT_FALSE(reg.plugins()[1]->usable());
    EXPECT_EQ(reg.find_method("fixture.echo.run"), nullptr);
    EXPECT_EQ(pool_->spawned_count(), 1u); // a manifest refused before loading is never loaded
}

} // namespace
