// The admission rule every channel asks (execution/admission.hpp).
#include "execution/admission.hpp"

#include <holon/holon_plugin.h>

#include <gtest/gtest.h>

using holon::execution::missing_model_message;
using holon::execution::needs_model;
using holon::runner::MethodDescription;

namespace {

MethodDescription method(int32_t kind, uint32_t flags) {
    MethodDescription d;
    d.id = "x.method";
    d.kind = kind;
    d.flags = flags;
    return d;
}

} // namespace

TEST(Admission, AnalysesAndExportersNeedAModel) {
    EXPECT_TRUE(needs_model(method(HOLON_METHOD_KIND_ANALYSIS, 0)));
    EXPECT_TRUE(needs_model(method(HOLON_METHOD_KIND_ANALYSIS, HOLON_METHOD_FLAG_CONCURRENT)));
    EXPECT_TRUE(needs_model(method(HOLON_METHOD_KIND_EXPORTER, 0)));
}

TEST(Admission, ImportersAndNoModelMethodsDoNot) {
    EXPECT_FALSE(needs_model(method(HOLON_METHOD_KIND_IMPORTER, 0)));
    EXPECT_FALSE(needs_model(method(HOLON_METHOD_KIND_ANALYSIS, HOLON_METHOD_FLAG_NO_MODEL)));
    EXPECT_FALSE(needs_model(method(HOLON_METHOD_KIND_EXPORTER, HOLON_METHOD_FLAG_NO_MODEL | HOLON_METHOD_FLAG_CONCURRENT)));
}

TEST(Admission, MissingModelMessageNamesTheMethod) {
    EXPECT_EQ(missing_model_message("sd.simulate"), "method 'sd.simulate' needs a model");
}
