// HOLON_HAS_FIELD is how a newer reader stays safe with an older producer: a field counts only
// when it lies wholly inside the producer's struct_size.
#include <holon/holon_plugin.h>

#include <gtest/gtest.h>

#include <cstddef>

namespace {

// What holon_method_descriptor_t could look like in a later 1.x: v1.0 plus fields at the end.
struct descriptor_v1_later {
    uint32_t struct_size;
    const char *id;
    const char *name;
    const char *description;
    const char *params_schema;
    const char *result_schema;
    int32_t kind;
    uint32_t flags;
    const char *formats;
    const char *documentation_url; // added after v1.0
    uint64_t max_rows;             // added after v1.0
};

static_assert(offsetof(descriptor_v1_later, formats) == offsetof(holon_method_descriptor_t, formats),
              "a later descriptor must keep the v1.0 prefix");

TEST(HasField, AFieldInsideStructSizeIsPresent) {
    holon_method_descriptor_t d{};
    d.struct_size = sizeof(d);
    EXPECT_TRUE(HOLON_HAS_FIELD(&d, holon_method_descriptor_t, struct_size));
    EXPECT_TRUE(HOLON_HAS_FIELD(&d, holon_method_descriptor_t, kind));
    EXPECT_TRUE(HOLON_HAS_FIELD(&d, holon_method_descriptor_t, formats));
}

TEST(HasField, AProducerWithASmallerStructLacksTheLaterFields) {
    // An older producer whose struct ended after `flags`.
    holon_method_descriptor_t d{};
    d.struct_size = static_cast<uint32_t>(offsetof(holon_method_descriptor_t, formats));
    EXPECT_TRUE(HOLON_HAS_FIELD(&d, holon_method_descriptor_t, flags));
    EXPECT_FALSE(HOLON_HAS_FIELD(&d, holon_method_descriptor_t, formats));

    // A field that is only partly inside struct_size is absent too.
    d.struct_size = static_cast<uint32_t>(offsetof(holon_method_descriptor_t, formats) + 4);
    EXPECT_FALSE(HOLON_HAS_FIELD(&d, holon_method_descriptor_t, formats));
}

TEST(HasField, ALaterReaderSeesOnlyV1_0FieldsOfAV1_0Producer) {
    holon_method_descriptor_t v1_0{};
    v1_0.struct_size = sizeof(holon_method_descriptor_t);
    const auto *seen_by_later_reader = reinterpret_cast<const descriptor_v1_later *>(&v1_0);
    EXPECT_TRUE(HOLON_HAS_FIELD(seen_by_later_reader, descriptor_v1_later, formats));
    EXPECT_FALSE(HOLON_HAS_FIELD(seen_by_later_reader, descriptor_v1_later, documentation_url));
    EXPECT_FALSE(HOLON_HAS_FIELD(seen_by_later_reader, descriptor_v1_later, max_rows));

    descriptor_v1_later later{};
    later.struct_size = sizeof(later);
    EXPECT_TRUE(HOLON_HAS_FIELD(&later, descriptor_v1_later, max_rows));
}

TEST(HasField, NullAndZeroSizeHaveNoFields) {
    const holon_host_t *none = nullptr;
    EXPECT_FALSE(HOLON_HAS_FIELD(none, holon_host_t, struct_size));
    holon_host_t empty{};
    empty.struct_size = 0;
    EXPECT_FALSE(HOLON_HAS_FIELD(&empty, holon_host_t, struct_size));
    EXPECT_FALSE(HOLON_HAS_FIELD(&empty, holon_host_t, version));
    empty.struct_size = static_cast<uint32_t>(offsetof(holon_host_t, name));
    EXPECT_TRUE(HOLON_HAS_FIELD(&empty, holon_host_t, version));
    EXPECT_FALSE(HOLON_HAS_FIELD(&empty, holon_host_t, name));
}

} // namespace

namespace {

// holon_column_t as a plugin built against SDK 1.0 lays it out: 24 bytes, no label or units.
struct column_v1_0 {
    uint32_t struct_size;
    const char *name;
    const double *values;
};

TEST(HasField, ColumnsOfA1_0ProducerAreSteppedByTheirOwnSizeAndHaveNoLabelOrUnits) {
    const double a[] = {1, 2}, b[] = {3, 4};
    const column_v1_0 old_columns[] = {{sizeof(column_v1_0), "a", a}, {sizeof(column_v1_0), "b", b}};
    holon_table_t t{};
    t.struct_size = sizeof t;
    t.name = "old";
    t.row_count = 2;
    t.column_count = 2;
    t.columns = reinterpret_cast<const holon_column_t *>(old_columns);
    ASSERT_EQ(sizeof(column_v1_0), 24u);
    const holon_column_t *second = HOLON_TABLE_COLUMN(&t, 1);
    EXPECT_STREQ(second->name, "b");
    EXPECT_EQ(second->values[1], 4.0);
    EXPECT_FALSE(HOLON_HAS_FIELD(second, holon_column_t, label));
    EXPECT_FALSE(HOLON_HAS_FIELD(second, holon_column_t, units));
}

TEST(HasField, ColumnsOfA1_1ProducerCarryLabelAndUnits) {
    const double v[] = {1};
    const holon_column_t columns[] = {{sizeof(holon_column_t), "time", v, "Time", "days"},
                                      {sizeof(holon_column_t), "x", v, nullptr, nullptr}};
    holon_table_t t{sizeof t, "new", 1, 2, columns};
    EXPECT_EQ(HOLON_TABLE_COLUMN(&t, 1), &columns[1]);
    ASSERT_TRUE(HOLON_HAS_FIELD(HOLON_TABLE_COLUMN(&t, 0), holon_column_t, units));
    EXPECT_STREQ(HOLON_TABLE_COLUMN(&t, 0)->label, "Time");
    EXPECT_STREQ(HOLON_TABLE_COLUMN(&t, 0)->units, "days");
    EXPECT_EQ(HOLON_TABLE_COLUMN(&t, 1)->label, nullptr);
}

} // namespace
