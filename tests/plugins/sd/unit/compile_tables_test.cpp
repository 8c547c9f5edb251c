// The compiler lowers a call by the handler its builtin's kind names in one of two tables
// (compile/calls.cpp, compile/stateful.cpp). A kind without a handler would fail only when a model
// calls it, and a kind with two would silently use the first: both are caught here.
#include "builtins/functions.hpp"
#include "compile/lowering.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <span>

using namespace holon_sd;

namespace {

int handlers_for(FunctionKind kind) {
    int count = 0;
    for (std::span<const compiler::CallRule> rules : {compiler::stateless_calls(), compiler::stateful_calls()})
        for (const compiler::CallRule &rule : rules) count += rule.kind == kind ? 1 : 0;
    return count;
}

} // namespace

TEST(SdCompileTables, EveryBuiltinIsLoweredByExactlyOneHandler) {
    ASSERT_FALSE(all_functions().empty());
    for (const FunctionInfo &f : all_functions()) EXPECT_EQ(handlers_for(f.kind), 1) << f.name;
}

TEST(SdCompileTables, EveryHandlerServesABuiltin) {
    for (std::span<const compiler::CallRule> rules : {compiler::stateless_calls(), compiler::stateful_calls()})
        for (const compiler::CallRule &rule : rules) {
            bool used = false;
            for (const FunctionInfo &f : all_functions()) used = used || f.kind == rule.kind;
            EXPECT_TRUE(used) << "kind " << static_cast<int>(rule.kind);
        }
}
