// Executor::limits_for: host defaults < the manifest's per-method limits < the call's, each
// capped by the host maxima. Pure arithmetic over hand-made registry entries: no runner starts.
#include "execution/executor.hpp"

#include <gtest/gtest.h>

using holon::execution::Executor;
using holon::execution::ExecutorOptions;
using holon::registry::LimitOverrides;
using holon::registry::MethodEntry;
using holon::registry::PluginEntry;
using holon::registry::Registry;
using holon::runner::Limits;

namespace {

class LimitsFor : public ::testing::Test {
protected:
    LimitsFor() : pool_(pool_options()) {
        options_.defaults.wall_seconds = 60;
        options_.defaults.cpu_seconds = 50;
        options_.defaults.memory_bytes = 2000;
        options_.defaults.output_bytes = 300;
        options_.maxima.wall_seconds = 100;
        options_.maxima.cpu_seconds = 100;
        options_.maxima.memory_bytes = 5000;
        options_.maxima.output_bytes = 1000;
        method_.description.id = "x.run";
        method_.plugin = &plugin_;
    }

    static holon::runner::PoolOptions pool_options() {
        holon::runner::PoolOptions o;
        o.runner_executable = HOLON_RUNNER_EXE;
        return o;
    }

    Limits limits(const LimitOverrides &call = {}) const {
        Executor executor(registry_, pool_, options_);
        return executor.limits_for(method_, call);
    }

    Registry registry_;
    mutable holon::runner::RunnerPool pool_;
    ExecutorOptions options_;
    PluginEntry plugin_;
    MethodEntry method_;
};

} // namespace

TEST_F(LimitsFor, HostDefaultsWhenNothingElseSays) {
    const Limits l = limits();
    EXPECT_EQ(l.wall_seconds, 60);
    EXPECT_EQ(l.cpu_seconds, 50);
    EXPECT_EQ(l.memory_bytes, 2000u);
    EXPECT_EQ(l.output_bytes, 300u);
}

TEST_F(LimitsFor, ManifestOverridesDefaultsForItsOwnMethodOnly) {
    plugin_.manifest.limits["x.run"].wall_seconds = 90;
    plugin_.manifest.limits["x.run"].memory_bytes = 4000;
    plugin_.manifest.limits["x.other"].cpu_seconds = 7;  // another method's: not applied
    const Limits l = limits();
    EXPECT_EQ(l.wall_seconds, 90);
    EXPECT_EQ(l.cpu_seconds, 50);
    EXPECT_EQ(l.memory_bytes, 4000u);
    EXPECT_EQ(l.output_bytes, 300u);
}

TEST_F(LimitsFor, CallOverridesManifestFieldByField) {
    plugin_.manifest.limits["x.run"].wall_seconds = 90;
    plugin_.manifest.limits["x.run"].cpu_seconds = 80;
    LimitOverrides call;
    call.wall_seconds = 5;
    call.output_bytes = 10;
    const Limits l = limits(call);
    EXPECT_EQ(l.wall_seconds, 5);    // call beats manifest
    EXPECT_EQ(l.cpu_seconds, 80);    // manifest, the call said nothing
    EXPECT_EQ(l.memory_bytes, 2000u); // default
    EXPECT_EQ(l.output_bytes, 10u);  // call beats default
}

TEST_F(LimitsFor, MaximaCapManifestAndCall) {
    plugin_.manifest.limits["x.run"].memory_bytes = 9000;
    plugin_.manifest.limits["x.run"].cpu_seconds = 500;
    LimitOverrides call;
    call.wall_seconds = 1e6;
    call.output_bytes = 1u << 30;
    const Limits l = limits(call);
    EXPECT_EQ(l.wall_seconds, 100);
    EXPECT_EQ(l.cpu_seconds, 100);
    EXPECT_EQ(l.memory_bytes, 5000u);
    EXPECT_EQ(l.output_bytes, 1000u);
}

TEST_F(LimitsFor, DefaultMaximaAreADayAnd64GiB) {
    const Limits m = ExecutorOptions::max_limits();
    EXPECT_EQ(m.wall_seconds, 24 * 3600);
    EXPECT_EQ(m.cpu_seconds, 24 * 3600);
    EXPECT_EQ(m.memory_bytes, uint64_t{64} << 30);
    EXPECT_EQ(m.output_bytes, uint64_t{8} << 30);
}

TEST(ExecutorOptions, HostDefaultsAreTheDocumentedOnes) {
    // docs/architecture.md, "Limits": 60 s wall clock, 60 s CPU, 2 GiB address space, 256 MiB output.
    const ExecutorOptions options;
    EXPECT_EQ(options.defaults.wall_seconds, 60);
    EXPECT_EQ(options.defaults.cpu_seconds, 60);
    EXPECT_EQ(options.defaults.memory_bytes, uint64_t{2} << 30);
    EXPECT_EQ(options.defaults.output_bytes, uint64_t{256} << 20);
}
