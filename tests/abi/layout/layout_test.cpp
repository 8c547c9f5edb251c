// Golden layout check from C++: the same numbers as layout_c.c (golden_layout.inc), enforced at
// compile time with static_assert and reported at run time, so a layout change both breaks the
// build and names every field that moved.
#include <holon/holon_plugin.h>

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <vector>

namespace {

#if defined(__x86_64__)
#define HOLON_GOLDEN_SIZE(type, size, align)                                 \
    static_assert(sizeof(type) == (size), "sizeof(" #type ") changed");      \
    static_assert(alignof(type) == (align), "alignof(" #type ") changed");
#define HOLON_GOLDEN_OFFSET(type, field, offset) \
    static_assert(offsetof(type, field) == (offset), "offsetof(" #type ", " #field ") changed");
#define HOLON_GOLDEN_VALUE(macro, value) static_assert((macro) == (value), #macro " changed");
#include "golden_layout.inc"
#include "golden_values.inc"
#undef HOLON_GOLDEN_SIZE
#undef HOLON_GOLDEN_OFFSET
#undef HOLON_GOLDEN_VALUE
#endif

struct Entry {
    std::string what;
    size_t actual;
    size_t golden;
};

std::vector<Entry> golden_entries() {
    std::vector<Entry> entries;
#define HOLON_GOLDEN_SIZE(type, size, align)                        \
    entries.push_back({"sizeof(" #type ")", sizeof(type), size});  \
    entries.push_back({"alignof(" #type ")", alignof(type), align});
#define HOLON_GOLDEN_OFFSET(type, field, offset) \
    entries.push_back({"offsetof(" #type ", " #field ")", offsetof(type, field), offset});
#define HOLON_GOLDEN_VALUE(macro, value) \
    entries.push_back({#macro, static_cast<size_t>(macro), static_cast<size_t>(value)});
#include "golden_layout.inc"
#include "golden_values.inc"
#undef HOLON_GOLDEN_SIZE
#undef HOLON_GOLDEN_OFFSET
#undef HOLON_GOLDEN_VALUE
    return entries;
}

TEST(AbiLayout, EveryPublicStructMatchesTheGoldenLayout) {
#if !defined(__x86_64__)
    GTEST_SKIP() << "golden layouts are written for x86_64";
#endif
    const auto entries = golden_entries();
    ASSERT_GE(entries.size(), 100u); // every struct of holon_plugin.h is listed
    for (const auto &e : entries) EXPECT_EQ(e.actual, e.golden) << e.what;
}

TEST(AbiLayout, StringIdsAreFrozen) {
    EXPECT_STREQ(HOLON_PLUGIN_ENTRY_SYMBOL, "holon_plugin_entry");
    EXPECT_STREQ(HOLON_FACTORY_METHODS, "holon.method-factory/1");
    EXPECT_STREQ(HOLON_EXT_INVOKE, "holon.invoke/1");
}

TEST(AbiLayout, EveryStructStartsWithItsSize) {
    // struct_size first is what lets a reader of any later version find out what it was given.
    EXPECT_EQ(offsetof(holon_column_t, struct_size), 0u);
    EXPECT_EQ(offsetof(holon_table_t, struct_size), 0u);
    EXPECT_EQ(offsetof(holon_run_inputs_t, struct_size), 0u);
    EXPECT_EQ(offsetof(holon_context_t, struct_size), 0u);
    EXPECT_EQ(offsetof(holon_invoke_request_t, struct_size), 0u);
    EXPECT_EQ(offsetof(holon_invoke_v1_t, struct_size), 0u);
    EXPECT_EQ(offsetof(holon_method_descriptor_t, struct_size), 0u);
    EXPECT_EQ(offsetof(holon_method_factory_v1_t, struct_size), 0u);
    EXPECT_EQ(offsetof(holon_host_t, struct_size), 0u);
    EXPECT_EQ(offsetof(holon_plugin_entry_t, struct_size), 0u);
}

} // namespace
