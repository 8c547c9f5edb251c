// Compiled by the header matrix (C++17, C++20; g++ and clang++) with -pedantic -Wall -Wextra
// -Wconversion -Wsign-conversion -Werror: both public headers must stay warning-free in
// the strictest settings a vendor or the in-tree plugins use. A full plugin is instantiated so
// that the templates of plugin.hpp are compiled, not only parsed.
#include <holon/holon_plugin.h>
#include <holon/plugin.hpp>

namespace {

struct CheckMethod {
    static holon::MethodInfo info() {
        return {"check.method", "Check", "Exercises the C++ layer.", R"({"type":"object"})", R"({"type":"object"})"};
    }
    void run(holon::Context &ctx) {
        ctx.check_cancelled();
        ctx.progress(0.5, "half");
        ctx.info("model bytes: " + std::to_string(ctx.model_json().size()));
        holon::Table t;
        t.name = "t";
        t.add_column("x", {1.0, 2.0});
        ctx.put_table(t);
        ctx.put_blob("a.txt", "text/plain", "a");
        holon::InvokeResult nested = ctx.invoke("check.other");
        if (!nested.ok()) throw holon::Error(HOLON_ERR_INVOKE, std::string(nested.error_message()));
        for (uint32_t i = 0; i < ctx.table_count(); ++i) (void)ctx.table(i).find("x");
        ctx.put_json(nested.json());
    }
};

struct OtherMethod {
    static holon::MethodInfo info() {
        return {"check.other", "Other", "", "{}", "{}", HOLON_METHOD_KIND_EXPORTER, HOLON_METHOD_FLAG_NO_MODEL, "dot"};
    }
    void run(holon::Context &ctx) { ctx.put_json("{}"); }
};

} // namespace

HOLON_PLUGIN("check", "1.0.0", CheckMethod, OtherMethod)
